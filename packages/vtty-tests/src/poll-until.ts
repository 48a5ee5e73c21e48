import { scaledDeadline } from 'vtmx-native/testing';

/**
 * Looks at `check` every `intervalMs` until it holds, for at most `timeoutMs` on a quiet
 * machine (scaled to this one). For state that no event announces to the test: a tty's input
 * queue, another program's screen, a process that is not our child. Returns whether it held,
 * so the caller's assertion says what was awaited.
 */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + scaledDeadline(timeoutMs);
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
