import test from 'ava';
import {
  ProtocolError,
  VTMX_GET_ENABLED,
  VTMX_GET_FEATURES,
  VTMX_INJECT_RX,
  VTMX_REQUEST_STATE,
  VTMX_SET_FEATURES,
  VTTY_FLUSH_INPUT,
  VTTY_FLUSH_OUTPUT,
  VTTY_RX_BREAK,
  VTTY_RX_PARITY,
  flushQueueFromBits,
  flushQueueToBits,
  vttyInject,
} from 'vtty-protocol';

// The values themselves are checked against kernel/vtty.h at build time
// (scripts/check-vtty-header.mjs); these tests pin the encodings a reader can see.

test('extension ioctls are _IOR/_IOW(V, 0xE0..0xE4, __u32)', (t) => {
  t.deepEqual(
    [VTMX_GET_FEATURES, VTMX_SET_FEATURES, VTMX_GET_ENABLED, VTMX_REQUEST_STATE, VTMX_INJECT_RX].map((n) => n.toString(16)),
    ['800456e0', '400456e1', '800456e2', '400456e3', '400456e4'],
  );
});

test('vttyInject: byte in bits 0-7, condition in bits 8-15', (t) => {
  t.is(vttyInject(0x41, VTTY_RX_PARITY), 0x341);
  t.is(vttyInject(0, VTTY_RX_BREAK), 0x100);
  for (const [byte, condition] of [[256, 0], [-1, 0], [0, 256], [0.5, 0], [0, Number.NaN]] as const) {
    t.throws(() => vttyInject(byte, condition), { instanceOf: ProtocolError });
  }
});

test('flush queues and VTTY_FLUSH_* bits convert both ways', (t) => {
  for (const queue of ['input', 'output', 'both'] as const) t.is(flushQueueFromBits(flushQueueToBits(queue)), queue);
  t.is(flushQueueToBits('both'), VTTY_FLUSH_INPUT | VTTY_FLUSH_OUTPUT);
  t.throws(() => flushQueueFromBits(0), { instanceOf: ProtocolError });
});
