/**
 * The server side of `superviseServer` (supervisor.ts): a vtty started by a supervisor stops when the
 * supervisor dies without having handed over (killed with SIGKILL, say), so no port outlives
 * a command its user believes gone; after the hand-over it serves on its own.
 *
 * @packageDocumentation
 */
/** Environment variable that marks the server child of a supervisor (internal). @internal */
export const SUPERVISED_ENV = 'VTTY_INTERNAL_SUPERVISED';

/** The line a supervisor sends on the server's stdin to leave it running on its own. @internal */
export const DETACH_MESSAGE = 'detach\n';

/** The link of a supervised server to its supervisor. @internal */
export interface SupervisorLink {
  /** Resolves when the supervisor went away without handing over. */
  readonly lost: Promise<void>;
  /** Stop listening (at the end of the session). */
  close(): void;
}

/**
 * If this process is a supervised server, take the marker out of the environment (so programs
 * it runs do not inherit it) and listen for the supervisor on stdin.
 *
 * @returns the link, or undefined when this process is not supervised
 * @internal
 */
export function takeSupervisorLink(): SupervisorLink | undefined {
  if (process.env[SUPERVISED_ENV] !== '1') return undefined;
  Reflect.deleteProperty(process.env, SUPERVISED_ENV);
  const stdin = process.stdin;
  let received = '';
  let handedOver = false;
  const lost = new Promise<void>((resolve) => {
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes(DETACH_MESSAGE)) {
        handedOver = true;
        stdin.destroy();
      }
    });
    const gone = (): void => {
      if (!handedOver) resolve();
    };
    stdin.on('end', gone);
    stdin.on('error', gone);
  });
  return {
    lost,
    close: () => {
      stdin.destroy();
    },
  };
}
