import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR, TIOCM_DTR, TIOCM_RNG, TIOCM_RTS, modemLinesFromBits } from 'vtty-protocol';
import { assertInsideBench, collectUntilQuiet, isModem, openAppSide, python, sleep, stty } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.serial('pyserial rts and dtr setters reach the master as modem packets', async (t) => {
  const master = await Vtmx.open();
  const script = `
import serial, sys, time
port = serial.Serial(sys.argv[1])
port.rts = False
port.dtr = False
port.rts = True
port.close()
`;
  await python(script, [master.path]);
  const states = (await collectUntilQuiet(master)).filter(isModem).map((p) => modemLinesFromBits(p.lines));
  // pyserial raises DTR and RTS when it opens; the last three are the setters, in order.
  t.true(states.length >= 3, `only ${states.length} modem packets`);
  const last = states.slice(-3);
  t.like(last[0], { rts: false });
  t.like(last[1], { rts: false, dtr: false });
  t.like(last[2], { rts: true, dtr: false });
  await master.close();
});

test.serial('pyserial cts, dsr, ri and cd getters show what the master set', async (t) => {
  const master = await Vtmx.open();
  const read = `
import serial, sys
port = serial.Serial(sys.argv[1])
print(int(port.cts), int(port.dsr), int(port.ri), int(port.cd))
port.close()
`;
  master.setModemLines({ cts: true, dsr: false, ri: true, dcd: false });
  t.is((await python(read, [master.path])).trim(), '1 0 1 0');
  master.setModemLines({ cts: false, dsr: true, ri: false, dcd: true });
  t.is((await python(read, [master.path])).trim(), '0 1 0 1');
  await master.close();
});

test.serial('TIOCMGET on the port gives the application outputs plus the master inputs', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  app.setModemLines(TIOCM_DTR);
  master.setModemLines(TIOCM_CTS | TIOCM_RNG);
  const bits = app.getModemLines();
  t.is(bits & (TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG), TIOCM_DTR | TIOCM_CTS | TIOCM_RNG);
  await app.close();
  await master.close();
});

test.serial('the master cannot drive output lines, the application cannot drive input lines', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  app.setModemLines(0);
  master.setModemLines(TIOCM_DTR | TIOCM_RTS);
  t.is(app.getModemLines() & (TIOCM_DTR | TIOCM_RTS), 0);
  app.setModemLines(TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG);
  t.is(app.getModemLines() & (TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG), 0);
  await app.close();
  await master.close();
});

test.serial('DCD falling while CLOCAL is off hangs the application up', async (t) => {
  const master = await Vtmx.open();
  master.setModemLines({ dcd: true });
  await stty(master.path, '-clocal');
  const app = await openAppSide(master.path);
  master.setModemLines({ dcd: false });
  await sleep(200);
  const { bytesRead } = await app.read(new Uint8Array(8), 0, 8, null);
  t.is(bytesRead, 0, 'a hung-up port reads end of file');
  await t.throwsAsync(app.write(new Uint8Array([0x41])), { code: 'EIO' });
  await app.close();
  await master.close();
});

test.serial('with CLOCAL off, a blocking open waits for DCD and a non-blocking open does not', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, '-clocal');
  const nonBlocking = openTty(master.path, { nonBlocking: true });
  await nonBlocking.close();

  let opened = false;
  const blocking = openAppSide(master.path).then((handle) => {
    opened = true;
    return handle;
  });
  await sleep(500);
  t.false(opened, 'open returned without carrier');
  master.setModemLines({ dcd: true });
  const handle = await blocking;
  t.true(opened);
  await handle.close();
  await master.close();
});
