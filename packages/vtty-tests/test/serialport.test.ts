import test from 'ava';
import { SerialPort } from 'serialport';
import { Vtmx } from 'vtmx-native';
import { modemLinesFromBits, toLineSettings } from 'vtty-protocol';
import { assertInsideBench, isBreak, isModem, isTermios, readData, waitForPacket } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate }, (error) => {
      if (error) reject(error);
      else resolve(port);
    });
  });
}

function call(fn: (done: (error: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    fn((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

test.serial('node-serialport 13 opens a ttyV, changes baud, sets and gets lines, breaks, writes and reads', async (t) => {
  const master = await Vtmx.open();
  const port = await openPort(master.path, 38400);
  t.is((await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> => isTermios(p) && p.termios.ospeed === 38400)).packet.termios.ospeed, 38400);

  await call((done) => {
    port.update({ baudRate: 57600 }, done);
  });
  const { packet: updated } = await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> => isTermios(p) && p.termios.ospeed === 57600);
  t.like(toLineSettings(updated.termios), { baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1 });

  await call((done) => {
    port.set({ rts: false, dtr: true }, done);
  });
  const { packet: lines } = await waitForPacket(master, (p): p is Extract<typeof p, { type: 'modem' }> => isModem(p) && !modemLinesFromBits(p.lines).rts);
  t.like(modemLinesFromBits(lines.lines), { rts: false, dtr: true });

  master.setModemLines({ cts: true, dsr: true, dcd: false });
  const status = await new Promise<{ cts: boolean; dsr: boolean; dcd: boolean }>((resolve, reject) => {
    port.get((error, value) => {
      if (error || !value) reject(error ?? new Error('no status'));
      else resolve(value);
    });
  });
  t.like(status, { cts: true, dsr: true, dcd: false });

  await call((done) => {
    port.set({ brk: true }, done);
  });
  t.deepEqual((await waitForPacket(master, isBreak)).packet.state, { kind: 'on' });
  await call((done) => {
    port.set({ brk: false }, done);
  });
  t.deepEqual((await waitForPacket(master, isBreak)).packet.state, { kind: 'off' });

  port.write('hello');
  const { data } = await readData(master, 5);
  t.is(Buffer.from(data).toString(), 'hello');

  const received = new Promise<string>((resolve) => {
    port.once('data', (chunk: Buffer) => {
      resolve(chunk.toString());
    });
  });
  await master.write('world');
  t.is(await received, 'world');

  await call((done) => {
    port.close(done);
  });
  await master.close();
});
