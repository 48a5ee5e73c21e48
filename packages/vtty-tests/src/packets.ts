import type { Vtmx } from 'vtmx-native';
import { scaledDeadline } from 'vtmx-native/testing';
import type { Packet } from 'vtty-protocol';

/** A packet a test waited for, and every packet the master read before it. */
export interface Awaited<P extends Packet> {
  packet: P;
  before: Packet[];
}

/**
 * Reads packets until one matches. Real clients send more than the call a
 * test is about (pyserial sets termios and raises DTR/RTS when it opens),
 * so tests look for the packet they expect instead of assuming it is next.
 * Fails after `timeoutMs` (on a quiet machine; scaled to this one) with what
 * did arrive.
 */
export async function waitForPacket<P extends Packet>(
  master: Vtmx,
  matches: (packet: Packet) => packet is P,
  timeoutMs = 5000,
): Promise<Awaited<P>> {
  const before: Packet[] = [];
  const limit = scaledDeadline(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no matching packet within ${limit} ms; got ${JSON.stringify(before.map(summary))}`));
    }, limit);
  });
  try {
    for (;;) {
      const packet = await Promise.race([master.read(), expired]);
      if (matches(packet)) return { packet, before };
      before.push(packet);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The packet kinds as type guards, for `waitForPacket`. */
export const isTermios = (p: Packet): p is Extract<Packet, { type: 'termios' }> => p.type === 'termios';
export const isModem = (p: Packet): p is Extract<Packet, { type: 'modem' }> => p.type === 'modem';
export const isBreak = (p: Packet): p is Extract<Packet, { type: 'break' }> => p.type === 'break';

function summary(packet: Packet): string {
  return packet.type === 'data' ? `data(${packet.data.length})` : packet.type;
}

/**
 * Calls `next` until nothing has arrived for `quietMs`, returning what did.
 * For checking a whole sequence a client caused, where its exact length is
 * the client's business (pyserial raises DTR/RTS on open, for one). The
 * quiet period is how long the next item may take on a quiet machine, so it
 * is scaled to this one like any deadline.
 */
export async function collectFromUntilQuiet<T>(next: () => Promise<T>, quietMs: number): Promise<T[]> {
  const items: T[] = [];
  const limit = scaledDeadline(quietMs);
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, limit);
    });
    const item = await Promise.race([next(), quiet]);
    clearTimeout(timer);
    if (item === undefined) return items;
    items.push(item);
  }
}

/** Every decoded packet until none has arrived for `quietMs`. */
export function collectUntilQuiet(master: Vtmx, quietMs = 500): Promise<Packet[]> {
  return collectFromUntilQuiet(() => master.read(), quietMs);
}

/** Sleeps; used only where a test must let another process get somewhere first. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
