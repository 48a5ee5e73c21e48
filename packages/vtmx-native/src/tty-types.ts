/**
 * Plain data types of the tty ioctls.
 *
 * @packageDocumentation
 */

/** TIOCGICOUNT: interrupt counters of a serial port (`struct serial_icounter_struct`). @public */
export interface Icount {
  /** CTS transitions. */
  cts: number;
  /** DSR transitions. */
  dsr: number;
  /** RI transitions. */
  rng: number;
  /** DCD transitions. */
  dcd: number;
  /** Bytes received. */
  rx: number;
  /** Bytes transmitted. */
  tx: number;
  /** Framing errors. */
  frame: number;
  /** Hardware overruns. */
  overrun: number;
  /** Parity errors. */
  parity: number;
  /** Breaks received. */
  brk: number;
  /** Buffer overruns (data dropped by the tty layer). */
  bufOverrun: number;
}

/** TIOCGSERIAL / TIOCSSERIAL: `struct serial_struct` (pointer fields left out). @public */
export interface SerialInfo {
  /** UART type (PORT_*). */
  type: number;
  /** Port index. */
  line: number;
  /** I/O port. */
  port: number;
  /** IRQ. */
  irq: number;
  /** ASYNC_* flags (e.g. ASYNC_LOW_LATENCY, ASYNC_SPD_CUST). */
  flags: number;
  /** FIFO size. */
  xmitFifoSize: number;
  /** Divisor for the ASYNC_SPD_CUST path (38400 → baudBase / customDivisor). */
  customDivisor: number;
  /** Base clock / 16. */
  baudBase: number;
  /** In 1/100 s. */
  closeDelay: number;
  /** I/O type (SERIAL_IO_*). */
  ioType: number;
  /** Hub6 (legacy). */
  hub6: number;
  /** In 1/100 s. */
  closingWait: number;
  /** In 1/100 s. */
  closingWait2: number;
  /** Register shift for iomem. */
  iomemRegShift: number;
  /** High bits of `port`. */
  portHigh: number;
  /** I/O map base. */
  iomapBase: number;
}

/** When `Tty.setAttr` takes effect: TCSETS2, TCSETSW2 (after output drains), TCSETSF2 (drain, flush input). @public */
export type SetAttrWhen = 'now' | 'drain' | 'flush';

/** Which queue `Tty.flush` discards (TCIFLUSH, TCOFLUSH, TCIOFLUSH): vtty-protocol's, as a flush packet names it. */
export type { FlushQueue } from 'vtty-protocol';
