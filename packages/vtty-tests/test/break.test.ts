import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { assertInsideBench, isBreak, python, waitForPacket } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

// pyserial 3.5 implements send_break(d) as tcsendbreak(fd, int(d / 0.25)), and
// glibc turns a positive duration into TCSBRKP((d + 99) / 100): 0.25 s
// becomes TCSBRKP(1), which the kernel defines as 100 ms. A UART driver
// would send 100 ms; so does vtty. tcsendbreak(fd, 0) is the 250 ms break.
test.serial('pyserial send_break(0.25) reaches the master as the 100 ms break it asks the kernel for', async (t) => {
  const master = await Vtmx.open();
  await python('import serial, sys\np = serial.Serial(sys.argv[1])\np.send_break(0.25)\np.close()', [master.path]);
  const { packet } = await waitForPacket(master, isBreak);
  t.deepEqual(packet.state, { kind: 'timed', ms: 100 });
  await master.close();
});

test.serial('tcsendbreak(fd, 0) from Python reaches the master as a 250 ms break', async (t) => {
  const master = await Vtmx.open();
  await python('import os, sys, termios\nfd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)\ntermios.tcsendbreak(fd, 0)\nos.close(fd)', [master.path]);
  const { packet } = await waitForPacket(master, isBreak);
  t.deepEqual(packet.state, { kind: 'timed', ms: 250 });
  await master.close();
});

test.serial('tcsendbreak, TCSBRKP(n), TIOCSBRK and TIOCCBRK map to 250, n*100, -1 and 0', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  await app.sendBreak();
  await app.sendBreak(700);
  app.breakOn();
  app.breakOff();
  const states: unknown[] = [];
  for (let i = 0; i < 4; i++) states.push((await waitForPacket(master, isBreak)).packet.state);
  t.deepEqual(states, [
    { kind: 'timed', ms: 250 },
    { kind: 'timed', ms: 700 },
    { kind: 'on' },
    { kind: 'off' },
  ]);
  await app.close();
  await master.close();
});
