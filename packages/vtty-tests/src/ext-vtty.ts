/**
 * vtty's extension interface (kernel/vtty.h, "since 0.2.0" and later) as the tests use
 * it: ioctl numbers, feature bits, the new packet tags. The ioctls all take
 * an int by pointer (or nothing), so `Vtmx.ioctlInt` issues them.
 */
import type { Vtmx } from 'vtmx-native';
import { scaledDeadline } from 'vtmx-native/testing';
import { collectFromUntilQuiet } from './packets.js';

// asm-generic/ioctl.h: dir << 30 | size << 16 | type << 8 | nr (UML/x86, arm, riscv...).
const IOC_WRITE = 1;
const IOC_READ = 2;
function ioc(dir: number, type: string, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}

export const VTMX_GET_FEATURES = ioc(IOC_READ, 'V', 0xe0, 4);
export const VTMX_SET_FEATURES = ioc(IOC_WRITE, 'V', 0xe1, 4);
export const VTMX_GET_ENABLED = ioc(IOC_READ, 'V', 0xe2, 4);
export const VTMX_REQUEST_STATE = ioc(IOC_WRITE, 'V', 0xe3, 4);
export const VTMX_INJECT_RX = ioc(IOC_WRITE, 'V', 0xe4, 4);

export const FEAT_MODEM_EVENTS = 0x01;
export const FEAT_HW_FLOW = 0x02;
export const FEAT_SW_FLOW = 0x04;
export const FEAT_OPEN_EVENTS = 0x08;
export const FEAT_FLUSH_EVENTS = 0x10;
/** Line-rate pacing of the application's output (since 0.3.0). */
export const FEAT_LINE_RATE = 0x20;

export const TAG_UART_RX = 0;
export const TAG_SET_TERMIOS = 1;
export const TAG_SET_MODEM = 2;
export const TAG_BREAK_CTL = 3;
export const TAG_OPEN_COUNT = 4;
export const TAG_FLUSH = 5;

export const FLUSH_INPUT = 1;
export const FLUSH_OUTPUT = 2;

export const RX_NORMAL = 0;
export const RX_BREAK = 1;
export const RX_FRAME = 2;
export const RX_PARITY = 3;
export const RX_OVERRUN = 4;

export function setFeatures(master: Vtmx, features: number): void {
  master.ioctlInt(VTMX_SET_FEATURES, features);
}

export function getFeatures(master: Vtmx): number {
  return master.ioctlInt(VTMX_GET_FEATURES, 0) >>> 0;
}

export function injectRx(master: Vtmx, byte: number, condition: number): void {
  master.ioctlInt(VTMX_INJECT_RX, (byte & 0xff) | (condition << 8));
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
