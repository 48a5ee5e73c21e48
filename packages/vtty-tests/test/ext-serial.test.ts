import test from 'ava';
import { SerialPort } from 'serialport';
import { openTty, Vtmx } from 'vtmx-native';
import { assertInsideBench, python, run, waitForPacket, isTermios } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

const PORT_16550A = 4;
const ASYNC_SKIP_TEST = 0x40;
const ASYNC_LOW_LATENCY = 0x2000;
const ASYNC_SPD_CUST = 0x0030;

test.serial('setserial -g shows a 16550A with the port line, and -a the details', async (t) => {
  const master = await Vtmx.open();
  const { stdout } = await run('setserial', ['-g', master.path]);
  t.regex(stdout, new RegExp(`^${master.path}, UART: 16550A, Port: 0x0000, IRQ: 0`));
  const all = (await run('setserial', ['-a', master.path])).stdout;
  t.regex(all, /Baud_base: 115200/);
  t.regex(all, /skip_test/);
  await master.close();
});

test.serial('TIOCGSERIAL values', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  t.like(app.getSerial(), {
    type: PORT_16550A,
    line: master.index,
    port: 0,
    irq: 0,
    flags: ASYNC_SKIP_TEST,
    xmitFifoSize: 16,
    baudBase: 115200,
    customDivisor: 0,
    closeDelay: 50,
    closingWait: 65535,
  });
  await app.close();
  await master.close();
});

test.serial('low latency can be set and cleared by anyone; hardware fields cannot change', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  app.setSerial({ flags: ASYNC_SKIP_TEST | ASYNC_LOW_LATENCY });
  t.is(app.getSerial().flags & ASYNC_LOW_LATENCY, ASYNC_LOW_LATENCY);
  app.setSerial({ flags: ASYNC_SKIP_TEST });
  t.is(app.getSerial().flags & ASYNC_LOW_LATENCY, 0);
  t.throws(() => { app.setSerial({ irq: 4 }); }, { code: 'EINVAL' });
  t.throws(() => { app.setSerial({ port: 0x3f8 }); }, { code: 'EINVAL' });
  t.throws(() => { app.setSerial({ xmitFifoSize: 64 }); }, { code: 'EINVAL' });
  await app.close();
  await master.close();
});

test.serial('setserial low_latency and spd_cust: the master learns the custom speed of a B38400 port', async (t) => {
  const master = await Vtmx.open();
  await run('setserial', [master.path, 'low_latency']);
  await run('stty', ['-F', master.path, '38400']);
  await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> => isTermios(p) && p.termios.ospeed === 38400);
  // 115200 / 5 = 23040 baud through the old alias.
  await run('setserial', [master.path, 'spd_cust', 'divisor', '5']);
  const { packet } = await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> => isTermios(p) && p.termios.ospeed === 23040);
  t.is(packet.termios.ispeed, 23040);
  const app = openTty(master.path);
  t.like(app.getSerial(), { customDivisor: 5 });
  t.is(app.getSerial().flags & (ASYNC_SPD_CUST | ASYNC_LOW_LATENCY), ASYNC_SPD_CUST | ASYNC_LOW_LATENCY);
  await run('setserial', [master.path, 'spd_normal']);
  await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> => isTermios(p) && p.termios.ospeed === 38400);
  await app.close();
  await master.close();
});

test.serial('pyserial reads TIOCGSERIAL through its low-latency setter', async (t) => {
  const master = await Vtmx.open();
  const script = `
import serial, sys, fcntl, struct, termios, array
port = serial.Serial(sys.argv[1])
port.set_low_latency_mode(True)
buf = array.array('i', [0] * 32)
fcntl.ioctl(port.fd, termios.TIOCGSERIAL, buf)
print(buf[0], buf[1], hex(buf[4] & 0x2000))
port.set_low_latency_mode(False)
fcntl.ioctl(port.fd, termios.TIOCGSERIAL, buf)
print(hex(buf[4] & 0x2000))
port.close()
`;
  const out = (await python(script, [master.path])).trim().split('\n');
  t.deepEqual(out, [`${PORT_16550A} ${master.index} 0x2000`, '0x0']);
  await master.close();
});

test.serial('npm serialport: set({ lowLatency: true }) succeeds and get() reports it', async (t) => {
  const master = await Vtmx.open();
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path: master.path, baudRate: 115200 }, (error) => {
      if (error) reject(error);
      else resolve(p);
    });
  });
  await new Promise<void>((resolve, reject) => {
    port.set({ lowLatency: true } as never, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  const status = await new Promise<Record<string, unknown>>((resolve, reject) => {
    port.get((error, s) => {
      if (error) reject(error);
      else resolve(s as unknown as Record<string, unknown>);
    });
  });
  t.is(status.lowLatency, true);
  const app = openTty(master.path);
  t.is(app.getSerial().flags & ASYNC_LOW_LATENCY, ASYNC_LOW_LATENCY);
  await app.close();
  await new Promise<void>((resolve) => {
    port.close(() => {
      resolve();
    });
  });
  await master.close();
});
