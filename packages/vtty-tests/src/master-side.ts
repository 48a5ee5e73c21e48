import { Vtmx } from 'vtmx-native';
import type { Packet } from 'vtty-protocol';

/**
 * Reads packets until `size` data bytes arrived; control packets that come
 * in between are returned too, in order, so a test can check them.
 */
export async function readData(master: Vtmx, size: number): Promise<{ data: Uint8Array; control: Packet[] }> {
  const data = new Uint8Array(size);
  const control: Packet[] = [];
  let filled = 0;
  while (filled < size) {
    const packet = await master.read();
    if (packet.type !== 'data') {
      control.push(packet);
      continue;
    }
    if (filled + packet.data.length > size) {
      throw new Error(`${filled + packet.data.length - size} bytes more than the ${size} expected`);
    }
    data.set(packet.data, filled);
    filled += packet.data.length;
  }
  return { data, control };
}

/** Reads the next packet that is not data, failing if data comes first. */
export async function readControl(master: Vtmx): Promise<Packet> {
  const packet = await master.read();
  if (packet.type === 'data') {
    throw new Error(`expected a control packet, got ${packet.data.length} data bytes`);
  }
  return packet;
}

/** Opens a master and closes it when `body` ends, however it ends. */
export async function withMaster<T>(body: (master: Vtmx) => Promise<T>): Promise<T> {
  const master = await Vtmx.open();
  try {
    return await body(master);
  } finally {
    await master.close();
  }
}
