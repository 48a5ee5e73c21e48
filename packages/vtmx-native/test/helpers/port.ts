// A master and its application side, closed after the test.
import { Vtmx, openTty, type Tty } from 'vtmx-native';

/** Both ends of one port. */
export interface Port {
  vtmx: Vtmx;
  tty: Tty;
}

/** Opens a master and its ttyV; closes both in teardown. */
export async function openPort(t: { teardown: (fn: () => Promise<void>) => void }): Promise<Port> {
  const vtmx = await Vtmx.open();
  const tty = openTty(vtmx.path);
  // Master first, as an application would see it: its port is hung up, then closed.
  t.teardown(async () => {
    await vtmx.close();
    await tty.close();
  });
  return { vtmx, tty };
}
