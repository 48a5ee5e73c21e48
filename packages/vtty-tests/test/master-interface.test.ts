import test from 'ava';
import { Vtmx } from 'vtmx-native';
import { MAX_PACKET_SIZE, VTMX_GET_VTTY_NUM } from 'vtty-protocol';
import { assertInsideBench, python, stty } from '../src/index.js';

// These talk to /dev/vtmx from Python, the way a master in another language
// would, so the interface is checked without our own binding in between.
test.before(() => {
  assertInsideBench();
});

const masterScript = `
import errno, fcntl, os, select, struct, subprocess, sys
VTMX_GET_VTTY_NUM = ${VTMX_GET_VTTY_NUM}
fd = os.open('/dev/vtmx', os.O_RDWR | os.O_NONBLOCK)
index = struct.unpack('I', fcntl.ioctl(fd, VTMX_GET_VTTY_NUM, b'\\0' * 4))[0]
port = '/dev/ttyV%d' % index
poller = select.poll()
poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLOUT)
def events():
    return dict(poller.poll(0)).get(fd, 0)
out = []
out.append('idle=%d' % (events() & (select.POLLIN | select.POLLPRI)))
out.append('writable=%d' % bool(events() & select.POLLOUT))
try:
    os.read(fd, 64)
except OSError as e:
    out.append('empty=' + errno.errorcode[e.errno])
subprocess.run(['stty', '-F', port, '19200'], check=True)
ev = events()
out.append('control=%d,%d' % (bool(ev & select.POLLIN), bool(ev & select.POLLPRI)))
try:
    os.read(fd, int(sys.argv[1]) - 1)
except OSError as e:
    out.append('small=' + errno.errorcode[e.errno])
packet = os.read(fd, int(sys.argv[1]))
out.append('tag=%d len=%d' % (packet[0], len(packet)))
print(' '.join(out))
`;

test.serial('vtmx from Python: EAGAIN when empty, POLLIN|POLLPRI for control, EMSGSIZE below the largest packet', async (t) => {
  const output = await python(masterScript, [String(MAX_PACKET_SIZE)]);
  t.is(output.trim(), `idle=0 writable=1 empty=EAGAIN control=1,1 small=EMSGSIZE tag=1 len=${MAX_PACKET_SIZE}`);
});

test.serial('one read returns one packet: data and control never share a read, and a break waits for the data before it', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  // tcsendbreak drains first, as on a UART: the master must keep reading.
  const application = python(
    'import os, sys, termios\nfd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)\nos.write(fd, b"abc")\ntermios.tcsendbreak(fd, 0)\nos.write(fd, b"def")\nos.close(fd)',
    [master.path],
  );
  const sequence: string[] = [];
  let dataBytes = 0;
  while (dataBytes < 6) {
    const raw = await master.readRaw();
    const tag = raw[0];
    if (tag === 0) {
      dataBytes += raw.length - 1;
      sequence.push(Buffer.from(raw.subarray(1)).toString());
    } else if (tag !== 1) {
      // Tag 1 is the termios packet of the stty above; nothing else may come.
      t.is(tag, 3, `unexpected tag ${String(tag)}`);
      t.is(raw.length, 5, 'a break packet is a tag and an i32');
      sequence.push('break');
    }
  }
  await application;
  const breakAt = sequence.indexOf('break');
  t.is(sequence.filter((entry) => entry === 'break').length, 1);
  t.is(sequence.slice(0, breakAt).join(''), 'abc', 'data written before the break comes before it');
  t.is(sequence.slice(breakAt + 1).join(''), 'def');
  await master.close();
});
