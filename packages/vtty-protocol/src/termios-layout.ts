import { ProtocolError } from './errors.js';

/**
 * The `process.arch` values whose `struct termios2` this library knows: the asm-generic layout
 * (`include/uapi/asm-generic/termbits.h`) — four u32 flag words, u8 `c_line`, u8 `c_cc[19]`,
 * u32 `c_ispeed`, u32 `c_ospeed`, 44 bytes, no padding — in the CPU's byte order, and the
 * asm-generic flag values (`termbits-common.h`).
 *
 * x64, ia32, arm, arm64, riscv64 and loong64 are little-endian; s390x is big-endian.
 *
 * Architectures with their own `asm/termbits.h` are not supported and give
 * `ProtocolError('UNSUPPORTED_ARCH')`: alpha (`c_line` after `c_cc`), mips (NCCS 23, different
 * flags), powerpc (`c_cc` before `c_line`, different flags), sparc (NCCS 17+2) and parisc
 * (IMAXBEL/IUTF8 differ).
 *
 * @public
 */
export type TermiosArch = 'x64' | 'ia32' | 'arm' | 'arm64' | 'riscv64' | 'loong64' | 's390x';

/**
 * What the `arch` options accept: a {@link TermiosArch}, or any other string (typically
 * `process.arch`), which is rejected at run time with `UNSUPPORTED_ARCH`.
 *
 * @public
 */
export type ArchName = TermiosArch | (string & {});

/**
 * The byte layout of `struct termios2` on one architecture.
 *
 * @public
 */
export interface TermiosLayout {
  /** The architecture this describes. */
  readonly arch: TermiosArch;
  /** Byte order of the integer fields. */
  readonly littleEndian: boolean;
  /** `sizeof(struct termios2)`. */
  readonly size: number;
  /** Number of control characters (`NCCS`). */
  readonly nccs: number;
  /** Offset of `c_iflag`. */
  readonly iflag: number;
  /** Offset of `c_oflag`. */
  readonly oflag: number;
  /** Offset of `c_cflag`. */
  readonly cflag: number;
  /** Offset of `c_lflag`. */
  readonly lflag: number;
  /** Offset of `c_line`. */
  readonly line: number;
  /** Offset of `c_cc[0]`. */
  readonly cc: number;
  /** Offset of `c_ispeed`. */
  readonly ispeed: number;
  /** Offset of `c_ospeed`. */
  readonly ospeed: number;
}

/** Number of control characters in the asm-generic `c_cc` array. @public */
export const NCCS = 19;

function generic(arch: TermiosArch, littleEndian: boolean): TermiosLayout {
  return Object.freeze({
    arch,
    littleEndian,
    size: 44,
    nccs: NCCS,
    iflag: 0,
    oflag: 4,
    cflag: 8,
    lflag: 12,
    line: 16,
    cc: 17,
    ispeed: 36,
    ospeed: 40,
  });
}

const LAYOUTS: Readonly<Record<TermiosArch, TermiosLayout>> = Object.freeze({
  x64: generic('x64', true),
  ia32: generic('ia32', true),
  arm: generic('arm', true),
  arm64: generic('arm64', true),
  riscv64: generic('riscv64', true),
  loong64: generic('loong64', true),
  s390x: generic('s390x', false),
});

const LAYOUT_MAP: ReadonlyMap<string, TermiosLayout> = new Map(Object.entries(LAYOUTS));

const KNOWN_DIFFERENT: Readonly<Record<string, string>> = {
  alpha: 'alpha puts c_line after c_cc and uses different flag values',
  mips: 'mips has NCCS 23 and different flag values',
  mipsel: 'mips has NCCS 23 and different flag values',
  mips64: 'mips has NCCS 23 and different flag values',
  mips64el: 'mips has NCCS 23 and different flag values',
  ppc: 'powerpc puts c_cc before c_line and uses different flag values',
  ppc64: 'powerpc puts c_cc before c_line and uses different flag values',
  ppc64le: 'powerpc puts c_cc before c_line and uses different flag values',
  sparc: 'sparc has NCCS 17 (+2) and different flag values',
  sparc64: 'sparc has NCCS 17 (+2) and different flag values',
  parisc: 'parisc uses different IMAXBEL/IUTF8 values',
  s390: '31-bit s390 is not supported by Node.js; use s390x',
};

/**
 * Whether `arch` names an architecture with a known termios2 layout.
 *
 * @param arch - a `process.arch` value
 * @returns true for the members of {@link TermiosArch}
 * @public
 */
export function isSupportedArch(arch: string): arch is TermiosArch {
  return LAYOUT_MAP.has(arch);
}

let hostArchCache: string | undefined;
let hostLayoutCache: TermiosLayout | undefined;

/**
 * The architecture used when none is given: `process.arch` under Node.js, `'x64'` (the common
 * little-endian layout) where there is no `process`.
 *
 * @returns the host's architecture name
 * @public
 */
export function hostArch(): string {
  if (hostArchCache === undefined) {
    const proc = (globalThis as { process?: { arch?: unknown } }).process;
    hostArchCache = typeof proc?.arch === 'string' ? proc.arch : 'x64';
  }
  return hostArchCache;
}

/**
 * The termios2 layout for an architecture.
 *
 * @param arch - architecture name, defaults to {@link hostArch}
 * @returns the frozen layout
 * @throws {@link ProtocolError} `UNSUPPORTED_ARCH` when the layout is unknown
 * @public
 */
export function termiosLayout(arch?: ArchName): TermiosLayout {
  if (arch === undefined) {
    hostLayoutCache ??= termiosLayout(hostArch());
    return hostLayoutCache;
  }
  const layout = LAYOUT_MAP.get(arch);
  if (layout !== undefined) return layout;
  const why = KNOWN_DIFFERENT[arch] ?? 'not an architecture with a known struct termios2 layout';
  throw new ProtocolError('UNSUPPORTED_ARCH', `termios2 layout of '${arch}' is not supported: ${why}`, 0);
}

/**
 * `sizeof(struct termios2)` on an architecture (44 on every supported one).
 *
 * @param arch - architecture name, defaults to {@link hostArch}
 * @returns the size in bytes
 * @throws {@link ProtocolError} `UNSUPPORTED_ARCH`
 * @public
 */
export function termios2Size(arch?: ArchName): number {
  return termiosLayout(arch).size;
}
