// A master for ports that look like hardware (/dev/vtmx-hotplug), run as a Python process that
// the test drives line by line: the ioctls are issued exactly as a C master issues them, and
// the process (its credentials, its files) is separate from the test's.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  DEFAULT_VTMX_PATH,
  HOTPLUG_VTMX_PATH,
  PORT_KINDS,
  VTMX_GET_IDENTITY,
  VTMX_GET_VTTY_NUM,
  VTMX_PLUG,
  VTMX_SET_FEATURES,
  VTMX_SET_IDENTITY,
  VTMX_SET_INDEX,
  VTMX_SET_NAME,
  VTMX_UNPLUG,
  VTTY_FEAT_OPEN_EVENTS,
  TAG_OPEN_COUNT,
  encodeIdentity,
  encodePortName,
  type PortIdentity,
  type PortKind,
} from 'vtty-protocol';
import { scaledDeadline } from 'vtmx-native/testing';
import { debianPython, PYTHON_PACE } from './run.js';

/** An ioctl or open that failed in the rig, with its errno name (EBUSY, EPERM...). */
export class RigError extends Error {
  constructor(
    readonly op: string,
    readonly code: string,
  ) {
    super(`rig ${op} failed with ${code}`);
    this.name = 'RigError';
  }
}

const RIG_SCRIPT = `
import errno, fcntl, json, os, select, struct, sys, threading
VTMX_GET_VTTY_NUM = ${VTMX_GET_VTTY_NUM}
VTMX_SET_IDENTITY = ${VTMX_SET_IDENTITY}
VTMX_GET_IDENTITY = ${VTMX_GET_IDENTITY}
VTMX_SET_INDEX = ${VTMX_SET_INDEX}
VTMX_SET_NAME = ${VTMX_SET_NAME}
VTMX_PLUG = ${VTMX_PLUG}
VTMX_UNPLUG = ${VTMX_UNPLUG}
VTMX_SET_FEATURES = ${VTMX_SET_FEATURES}
FEAT_OPEN_EVENTS = ${VTTY_FEAT_OPEN_EVENTS}
TAG_OPEN_COUNT = ${TAG_OPEN_COUNT}
ports = {}
echoes = {}

def echo(fd, stop):
    # The port's hardware is a loopback plug: what the application writes comes back.
    while True:
        ready = select.select([fd, stop], [], [])[0]
        if stop in ready:
            return
        packet = os.read(fd, 65536)
        if packet and packet[0] == 0:
            os.write(fd, packet[1:])

def stop_echo(key):
    if key in echoes:
        thread, stop_w = echoes.pop(key)
        os.write(stop_w, b'x')
        thread.join()
        os.close(stop_w)

def cycles(fd, count):
    # count times: plug in, wait for the application's open and its byte, echo it, unplug.
    fcntl.ioctl(fd, VTMX_SET_FEATURES, struct.pack('I', FEAT_OPEN_EVENTS))
    for cycle in range(count):
        fcntl.ioctl(fd, VTMX_PLUG, struct.pack('I', 0))
        echoed = False
        while not echoed:
            if not select.select([fd], [], [], 30 * PACE)[0]:
                raise RuntimeError('cycle %d: the application did not write within %ds' % (cycle, 30 * PACE))
            packet = os.read(fd, 65536)
            if packet[0] == 0:
                os.write(fd, packet[1:])
                echoed = True
        fcntl.ioctl(fd, VTMX_UNPLUG, struct.pack('I', 0))
    return count

def handle(cmd):
    op = cmd['op']
    key = cmd.get('port')
    fd = ports.get(key)
    if op == 'open':
        fd = os.open(cmd['node'], os.O_RDWR | os.O_NOCTTY)
        ports[key] = fd
        return {}
    if op == 'identity':
        fcntl.ioctl(fd, VTMX_SET_IDENTITY, bytes.fromhex(cmd['hex']))
        return {}
    if op == 'get-identity':
        return {'hex': fcntl.ioctl(fd, VTMX_GET_IDENTITY, bytes(208)).hex()}
    if op == 'index':
        fcntl.ioctl(fd, VTMX_SET_INDEX, struct.pack('I', cmd['index']))
        return {}
    if op == 'name':
        fcntl.ioctl(fd, VTMX_SET_NAME, bytes.fromhex(cmd['hex']))
        return {}
    if op == 'plug':
        fcntl.ioctl(fd, VTMX_PLUG, struct.pack('I', cmd.get('flags', 0)))
        return {}
    if op == 'unplug':
        fcntl.ioctl(fd, VTMX_UNPLUG, struct.pack('I', 0))
        return {}
    if op == 'num':
        return {'index': struct.unpack('I', fcntl.ioctl(fd, VTMX_GET_VTTY_NUM, bytes(4)))[0]}
    if op == 'echo':
        stop_r, stop_w = os.pipe()
        thread = threading.Thread(target=echo, args=(fd, stop_r), daemon=True)
        thread.start()
        echoes[key] = (thread, stop_w)
        return {}
    if op == 'cycles':
        return {'cycles': cycles(fd, cmd['count'])}
    if op == 'close':
        stop_echo(key)
        os.close(ports.pop(key))
        return {}
    if op == 'setuid':
        os.setresuid(cmd['uid'], cmd['uid'], cmd['uid'])
        return {}
    raise ValueError('unknown op ' + op)

for line in sys.stdin:
    cmd = json.loads(line)
    try:
        reply = handle(cmd)
        reply['ok'] = True
    except OSError as e:
        if e.errno is None:
            reply = {'ok': False, 'error': repr(e)}
        else:
            reply = {'ok': False, 'errno': errno.errorcode.get(e.errno, str(e.errno))}
    except Exception as e:
        reply = {'ok': False, 'error': repr(e)}
    sys.stdout.write(json.dumps(reply) + '\\n')
    sys.stdout.flush()
`;

interface RigReply {
  ok: boolean;
  errno?: string;
  error?: string;
  index?: number;
  hex?: string;
  cycles?: number;
}

/** One port of a {@link HwRig}: its master file in the rig process. */
export interface RigPort {
  readonly key: string;
  readonly kind: PortKind;
}

/**
 * The Python master process. Each call sends one command and waits for its reply (for at most
 * `timeoutMs`, scaled); a failed system call rejects with a {@link RigError}.
 */
export class HwRig {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #replies: ((line: string) => void)[] = [];
  #stderr = '';
  #ports = 0;

  constructor() {
    this.#child = spawn(debianPython, ['-c', PYTHON_PACE + RIG_SCRIPT]);
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#replies.shift()?.(line));
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
  }

  async #send(cmd: Record<string, unknown>, timeoutMs = 30_000): Promise<RigReply> {
    const line = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`rig: no reply to ${JSON.stringify(cmd)} in time; stderr: ${this.#stderr}`));
      }, scaledDeadline(timeoutMs));
      this.#replies.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
    this.#child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const reply = JSON.parse(await line) as RigReply;
    if (!reply.ok) {
      if (reply.errno !== undefined) throw new RigError(String(cmd.op), reply.errno);
      throw new Error(`rig ${String(cmd.op)}: ${reply.error ?? 'failed'}`);
    }
    return reply;
  }

  /** Opens a master: `/dev/vtmx-hotplug` (unplugged, kind none) or `/dev/vtmx` (plugged). */
  async open(node: 'hotplug' | 'seed' = 'hotplug'): Promise<RigPort> {
    const key = `p${String(this.#ports++)}`;
    await this.#send({ op: 'open', port: key, node: node === 'hotplug' ? HOTPLUG_VTMX_PATH : DEFAULT_VTMX_PATH });
    return { key, kind: 'none' };
  }

  /** VTMX_SET_IDENTITY; the port's kind follows. */
  async setIdentity(port: RigPort, identity: PortIdentity): Promise<RigPort> {
    await this.#send({ op: 'identity', port: port.key, hex: Buffer.from(encodeIdentity(identity)).toString('hex') });
    return { key: port.key, kind: identity.kind };
  }

  /** VTMX_GET_IDENTITY, raw. */
  async getIdentity(port: RigPort): Promise<Buffer> {
    return Buffer.from((await this.#send({ op: 'get-identity', port: port.key })).hex ?? '', 'hex');
  }

  async setIndex(port: RigPort, index: number): Promise<void> {
    await this.#send({ op: 'index', port: port.key, index });
  }

  async setName(port: RigPort, name: string): Promise<void> {
    await this.#send({ op: 'name', port: port.key, hex: Buffer.from(encodePortName(name)).toString('hex') });
  }

  async plug(port: RigPort, flags = 0): Promise<void> {
    await this.#send({ op: 'plug', port: port.key, flags });
  }

  async unplug(port: RigPort): Promise<void> {
    await this.#send({ op: 'unplug', port: port.key });
  }

  /** VTMX_GET_VTTY_NUM. */
  async index(port: RigPort): Promise<number> {
    return (await this.#send({ op: 'num', port: port.key })).index ?? -1;
  }

  /** The port's node, `/dev/<family prefix><index>`. */
  async path(port: RigPort): Promise<string> {
    return `/dev/${PORT_KINDS[port.kind].prefix}${String(await this.index(port))}`;
  }

  /** The port answers whatever the application writes with the same bytes. */
  async echo(port: RigPort): Promise<void> {
    await this.#send({ op: 'echo', port: port.key });
  }

  /** `count` cycles of plug, wait for the application's byte, echo it, unplug. */
  async cycles(port: RigPort, count: number, timeoutMs: number): Promise<number> {
    return (await this.#send({ op: 'cycles', port: port.key, count }, timeoutMs)).cycles ?? 0;
  }

  async close(port: RigPort): Promise<void> {
    await this.#send({ op: 'close', port: port.key });
  }

  /** Drops the rig's privileges (root's capabilities with them) for the rest of its life. */
  async setuid(uid: number): Promise<void> {
    await this.#send({ op: 'setuid', uid });
  }

  /** Ends the process; its masters close with it. */
  async end(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.stdin.end();
    await exited;
  }
}
