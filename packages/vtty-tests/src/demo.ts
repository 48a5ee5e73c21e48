// `pnpm demo`: runs inside UML (uml/demo.sh). A Node program becomes the
// hardware of a serial port, and pyserial, a real serial client, uses it.
import { spawn } from 'node:child_process';
import { Vtmx } from 'vtmx-native';
import { formatLineSettings, toLineSettings, type Packet } from 'vtty-protocol';
import { debianPython } from './run.js';

const application = `
import serial, sys, time
port = serial.Serial(sys.argv[1], baudrate=115200, rtscts=True, timeout=5)
port.write(b'hello from pyserial\\n')
port.flush()
port.rts = False
port.send_break(0.25)
time.sleep(0.5)
print('pyserial sees CTS=%s DSR=%s' % (port.cts, port.dsr), flush=True)
print('pyserial read %r' % port.readline(), flush=True)
port.close()
`;

function describe(packet: Packet): string {
  switch (packet.type) {
    case 'data':
      return `data    ${JSON.stringify(Buffer.from(packet.data).toString('latin1'))}`;
    case 'termios':
      return `termios ${formatLineSettings(toLineSettings(packet.termios))}`;
    case 'modem':
      return `modem   0x${packet.lines.toString(16)}`;
    case 'break':
      return `break   ${packet.state.kind === 'timed' ? `${packet.state.ms} ms` : packet.state.kind}`;
  }
}

async function main(): Promise<void> {
  const master = await Vtmx.open();
  console.log(`master: opened /dev/vtmx, the port is ${master.path}`);
  master.setModemLines({ cts: true, dsr: true, dcd: true });

  const child = spawn(debianPython, ['-c', application, master.path], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

  let answered = false;
  void (async () => {
    for await (const packet of master) {
      console.log(`master: ${describe(packet)}`);
      if (packet.type === 'break' && !answered) {
        answered = true;
        await master.write('hello from the master\n');
      }
    }
  })();

  const status = await exited;
  await master.close();
  console.log(`master: pyserial exited with status ${String(status)}; port closed`);
  process.exitCode = status === 0 ? 0 : 1;
}

await main();
