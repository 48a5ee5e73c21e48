/**
 * vtty's extension interface (kernel/vtty.h, "since 0.2.0" and later) as the tests use
 * it: the raw ioctls, with vtty-protocol's numbers, and packets as tag and payload. The
 * ioctls all take an int by pointer (or nothing), so `Vtmx.ioctlInt` issues them; the
 * tests go around Vtmx's typed methods to see exactly what the driver answers.
 */
import type { Vtmx } from 'vtmx-native';
import { VTMX_GET_FEATURES, VTMX_INJECT_RX, VTMX_SET_FEATURES, vttyInject } from 'vtty-protocol';
import { scaledDeadline } from 'vtmx-native/testing';
import { collectFromUntilQuiet } from './packets.js';

export function setFeatures(master: Vtmx, features: number): void {
  master.ioctlInt(VTMX_SET_FEATURES, features);
}

export function getFeatures(master: Vtmx): number {
  return master.ioctlInt(VTMX_GET_FEATURES, 0) >>> 0;
}

export function injectRx(master: Vtmx, byte: number, condition: number): void {
  master.ioctlInt(VTMX_INJECT_RX, vttyInject(byte, condition));
}

/** A raw packet: tag and payload; u32 for the 4-byte payloads. */
export interface RawPacket {
  tag: number;
  payload: Uint8Array;
  u32: number;
}

export function splitRaw(raw: Uint8Array): RawPacket {
  const payload = raw.subarray(1);
  const u32 = payload.length === 4 ? new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true) : -1;
  return { tag: raw[0] ?? -1, payload, u32 };
}

/** Reads raw packets until one matches (or fails after timeoutMs on a quiet machine, scaled to this one). */
export async function waitRaw(master: Vtmx, matches: (p: RawPacket) => boolean, timeoutMs = 5000): Promise<{ packet: RawPacket; before: RawPacket[] }> {
  const before: RawPacket[] = [];
  const limit = scaledDeadline(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no matching packet within ${limit} ms; got tags ${before.map((p) => p.tag).join(',')}`));
    }, limit);
  });
  try {
    for (;;) {
      const packet = splitRaw(await Promise.race([master.readRaw(), expired]));
      if (matches(packet)) return { packet, before };
      before.push(packet);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Raw packets until none arrived for quietMs. */
export async function collectRawUntilQuiet(master: Vtmx, quietMs = 400): Promise<RawPacket[]> {
  return (await collectFromUntilQuiet(() => master.readRaw(), quietMs)).map(splitRaw);
}

/** Settles-or-not probe: whether the promise settled within ms. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}
