import { ProtocolError } from './errors.js';

/** `TAG_FLUSH` bit: the application discarded its input (what the master wrote, unread). @public */
export const VTTY_FLUSH_INPUT = 0x1;
/** `TAG_FLUSH` bit: the application discarded its output (what it wrote, unread by the master). @public */
export const VTTY_FLUSH_OUTPUT = 0x2;

/**
 * Which queues a flush discarded, as `tcflush()` names them (`TCIFLUSH`, `TCOFLUSH`,
 * `TCIOFLUSH`): `'input'`, `'output'` or `'both'`.
 *
 * @public
 */
export type FlushQueue = 'input' | 'output' | 'both';

const QUEUE_BITS: Readonly<Record<FlushQueue, number>> = Object.freeze({
  input: VTTY_FLUSH_INPUT,
  output: VTTY_FLUSH_OUTPUT,
  both: VTTY_FLUSH_INPUT | VTTY_FLUSH_OUTPUT,
});

/**
 * Interpret the u32 of a `TAG_FLUSH` packet (`VTTY_FLUSH_*` bits).
 *
 * @param bits - the payload value
 * @param offset - where the value was, for the error (default 0)
 * @returns the queue(s) discarded
 * @throws {@link ProtocolError} `INVALID_VALUE` for 0 or bits other than the two flush bits
 *   (the driver only sends a flush that discarded something)
 * @public
 */
export function flushQueueFromBits(bits: number, offset = 0): FlushQueue {
  switch (bits) {
    case QUEUE_BITS.input:
      return 'input';
    case QUEUE_BITS.output:
      return 'output';
    case QUEUE_BITS.both:
      return 'both';
    default:
      throw new ProtocolError('INVALID_VALUE', `flush value ${String(bits)} is not a set of VTTY_FLUSH_* bits`, offset);
  }
}

/**
 * The `VTTY_FLUSH_*` bits of a {@link FlushQueue} (the `TAG_FLUSH` payload).
 *
 * @param queue - which queues
 * @param offset - where the value goes, for the error (default 0)
 * @returns the bits
 * @throws {@link ProtocolError} `INVALID_VALUE` for anything but `'input'`, `'output'`, `'both'`
 * @public
 */
export function flushQueueToBits(queue: FlushQueue, offset = 0): number {
  if (typeof queue !== 'string' || !Object.hasOwn(QUEUE_BITS, queue)) {
    throw new ProtocolError('INVALID_VALUE', `unknown flush queue ${JSON.stringify(queue)}`, offset);
  }
  return QUEUE_BITS[queue];
}
