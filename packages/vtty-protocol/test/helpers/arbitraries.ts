import fc from 'fast-check';
import type { BreakState, LineSettings, Packet, Termios2, TermiosArch } from 'vtty-protocol';

export const ARCHES: readonly TermiosArch[] = ['x64', 'ia32', 'arm', 'arm64', 'riscv64', 'loong64', 's390x'];

export const u32 = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff });

export const termios2 = (): fc.Arbitrary<Termios2> =>
  fc.record({
    iflag: u32(),
    oflag: u32(),
    cflag: u32(),
    lflag: u32(),
    line: fc.integer({ min: 0, max: 255 }),
    cc: fc.uint8Array({ minLength: 19, maxLength: 19 }),
    ispeed: u32(),
    ospeed: u32(),
  }, { noNullPrototype: true });

export const breakState = (): fc.Arbitrary<BreakState> =>
  fc.oneof(
    fc.constant<BreakState>({ kind: 'on' }),
    fc.constant<BreakState>({ kind: 'off' }),
    fc.integer({ min: 1, max: 0x7fffffff }).map((ms): BreakState => ({ kind: 'timed', ms })),
  );

export const packet = (): fc.Arbitrary<Packet> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 256 }).map((data): Packet => ({ type: 'data', data })),
    termios2().map((termios): Packet => ({ type: 'termios', termios })),
    u32().map((lines): Packet => ({ type: 'modem', lines })),
    breakState().map((state): Packet => ({ type: 'break', state })),
    u32().map((count): Packet => ({ type: 'openCount', count })),
    fc.constantFrom('input' as const, 'output' as const, 'both' as const).map((queue): Packet => ({ type: 'flush', queue })),
  );

export const arch = (): fc.Arbitrary<TermiosArch> => fc.constantFrom(...ARCHES);

export const baudRate = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(0, 50, 300, 1200, 9600, 19200, 38400, 57600, 115200, 230400, 921600, 4000000),
    fc.integer({ min: 1, max: 0xffffffff }),
  );

export const lineSettings = (): fc.Arbitrary<LineSettings> =>
  fc
    .record({
      baudRate: baudRate(),
      input: fc.option(baudRate(), { nil: undefined }),
      dataBits: fc.constantFrom(5 as const, 6 as const, 7 as const, 8 as const),
      parity: fc.constantFrom('none' as const, 'odd' as const, 'even' as const, 'mark' as const, 'space' as const),
      stopBits: fc.constantFrom(1 as const, 2 as const),
      rtscts: fc.boolean(),
      xon: fc.boolean(),
      xoff: fc.boolean(),
      xany: fc.boolean(),
      hupcl: fc.boolean(),
      clocal: fc.boolean(),
      cread: fc.boolean(),
    }, { noNullPrototype: true })
    .map(({ input, ...rest }) => {
      const s: LineSettings = { ...rest };
      if (input !== undefined && input !== rest.baudRate) s.inputBaudRate = input;
      return s;
    });
