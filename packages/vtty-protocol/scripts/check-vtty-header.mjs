// Checks this package's exports against kernel/vtty.h, the driver's userspace header and the
// one definition of the /dev/vtmx interface; run by `pnpm build` after tsc.
//
// Every #define of the header must be followed here: a number by the export of the same name
// (or the one named in RENAMED) with the same value, an alias of another macro of the header
// by nothing (the alias spellings are C-only), a function-like macro by the export named in
// FUNCTIONS, computing the same values. In the other direction every VTMX_*, VTTY_* and TAG_*
// export must be a macro of the header. So a header change the TypeScript does not follow
// fails the build, and so does a TypeScript number the header does not have.
//
// Without kernel/ (a build outside the repository) there is nothing to compare with: the
// check says so and passes; the published dist was checked when the repository built it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as protocol from '../dist/index.js';

/** The header: kernel/vtty.h of this repository, or the path given (to try the check itself). */
const HEADER = process.argv[2] ?? fileURLToPath(new URL('../../../kernel/vtty.h', import.meta.url));

/** Header numbers whose export has another name or is a function of the architecture. */
const RENAMED = {
  VTMX_MAX_PACKET_SIZE: ['MAX_PACKET_SIZE', () => protocol.MAX_PACKET_SIZE],
  VTTY_TERMIOS2_SIZE: ['termios2Size()', () => protocol.termios2Size('x64')],
};

/** Function-like macros: the export that computes the same, and arguments to compare on. */
const FUNCTIONS = {
  VTTY_INJECT: {
    name: 'vttyInject',
    fn: protocol.vttyInject,
    samples: [[0, 0], [0x41, 3], [0xff, 4], [0x80, 1], [0x7f, 0xff]],
  },
};

/** Headers the vtty header includes define these; their values are the exports'. */
const EXTERNAL = new Set(['TIOCGPTN', 'TIOCMSET']);

/** Exports that name header macros by prefix; each must be one. */
const HEADER_PREFIXES = /^(VTMX_|VTTY_|TAG_)/;

/** Sizes of the types the ioctl encodings, casts and structs use. */
const TYPE_BYTES = { __u8: 1, char: 1, __u16: 2, __u32: 4, __s32: 4 };

/** Structs of the header: the export giving each member's offset and the size. */
const STRUCTS = {
  vtty_identity: () => protocol.IDENTITY_LAYOUT,
  vtty_name: () => ({ name: 0, size: protocol.VTTY_NAME_SIZE }),
};

// asm-generic/ioctl.h
const IOC_WRITE = 1;
const IOC_READ = 2;
const ioc = (dir, type, nr, size) => ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
const IOCTL_MACROS = { _IOR: IOC_READ, _IOW: IOC_WRITE, _IOWR: IOC_READ | IOC_WRITE };

/**
 * The #defines of a header, comments and continuations removed, conditionals evaluated
 * for a generic architecture (no `__mips__` & co.).
 *
 * @param {string} text
 * @returns {Map<string, { params?: string[], body: string }>}
 */
function parseDefines(text, structs) {
  const lines = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, '')
    .replace(/\\\n/g, ' ')
    .replace(/struct\s+(\w+)\s*\{([^}]*)\}\s*;/g, (_all, name, body) => {
      structs.set(name, parseMembers(body));
      return '';
    })
    .split('\n');
  const defines = new Map();
  const active = [true];
  const on = () => active.every(Boolean);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line.startsWith('#')) {
      if (line !== '' && on()) throw new Error(`unexpected text outside a directive: ${line}`);
      continue;
    }
    const [, directive, rest = ''] = /^#\s*(\w+)\s*(.*)$/.exec(line) ?? [];
    switch (directive) {
      case 'ifndef':
        active.push(!defines.has(rest.trim()));
        break;
      case 'ifdef':
        active.push(defines.has(rest.trim()));
        break;
      case 'if':
        active.push(evaluateCondition(rest, defines));
        break;
      case 'else':
        active.push(!active.pop());
        break;
      case 'endif':
        active.pop();
        break;
      case 'include':
        break;
      case 'define': {
        if (!on()) break;
        const m = /^(\w+)(?:\(([^)]*)\))?\s*(.*)$/.exec(rest);
        if (m === null) throw new Error(`cannot parse #define ${rest}`);
        const [, name, params, body] = m;
        defines.set(name, { params: params?.split(',').map((p) => p.trim()), body: body.trim() });
        break;
      }
      default:
        throw new Error(`directive #${directive} is not understood by this check; teach it`);
    }
  }
  return defines;
}

/**
 * The members of a struct body: `type name;` or `type name[COUNT];`, COUNT a number or a macro.
 *
 * @param {string} body
 * @returns {{ type: string, name: string, count?: string }[]}
 */
function parseMembers(body) {
  return body
    .split(';')
    .map((m) => m.trim())
    .filter((m) => m !== '')
    .map((m) => {
      const parsed = /^(\w+)\s+(\w+)(?:\s*\[\s*(\w+)\s*\])?$/.exec(m);
      if (parsed === null) throw new Error(`struct member "${m}" is not understood by this check; teach it`);
      return { type: parsed[1], name: parsed[2], count: parsed[3] };
    });
}

/**
 * Offsets of a struct's members and its size, with the natural alignment of the types.
 *
 * @returns {Record<string, number>}
 */
function structLayout(members, valueOf) {
  const layout = {};
  let offset = 0;
  let align = 1;
  for (const { type, name, count } of members) {
    const size = TYPE_BYTES[type];
    if (size === undefined) throw new Error(`struct member type ${type} is not understood by this check; teach it`);
    offset = Math.ceil(offset / size) * size;
    layout[name] = offset;
    offset += size * (count === undefined ? 1 : /^\d+$/.test(count) ? Number(count) : valueOf(count));
    align = Math.max(align, size);
  }
  layout.size = Math.ceil(offset / align) * align;
  return layout;
}

/** `#if` conditions of the form `defined(X) [|| defined(Y)...]`, true when one is defined. */
function evaluateCondition(text, defines) {
  const terms = text.split('||').map((t) => /^\s*defined\s*\(?\s*(\w+)\s*\)?\s*$/.exec(t));
  if (terms.some((t) => t === null)) throw new Error(`#if ${text} is not understood by this check; teach it`);
  return terms.some((t) => defines.has(t[1]));
}

/** Tokens of a C constant expression. */
function tokenize(text) {
  const tokens = [];
  const re = /\s*(0[xX][0-9a-fA-F]+|\d+|'.'|\w+|<<|[()|+,])/y;
  const end = text.trimEnd().length;
  while (re.lastIndex < end) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (m === null) throw new Error(`cannot read "${text}" at offset ${at}`);
    tokens.push(m[1]);
  }
  return tokens;
}

const BINARY = { '|': [1, (a, b) => (a | b) >>> 0], '<<': [2, (a, b) => (a << b) >>> 0], '+': [3, (a, b) => a + b] };

/**
 * The value of a C constant expression: numbers, character literals, macros of the header
 * (`names`), _IOR/_IOW, casts to the __u* types, `|`, `<<` and `+` with C's precedence.
 */
function evaluate(text, names, structSize = () => undefined) {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (want) => {
    const t = tokens[i++];
    if (want !== undefined && t !== want) throw new Error(`expected ${want} in "${text}", got ${t}`);
    return t;
  };
  const primary = () => {
    const t = take();
    if (t === '(') {
      if (Object.hasOwn(TYPE_BYTES, peek()) && tokens[i + 1] === ')') {
        const bits = TYPE_BYTES[take()] * 8;
        take(')');
        const v = primary();
        return bits === 32 ? v >>> 0 : v & ((1 << bits) - 1);
      }
      const v = expression(0);
      take(')');
      return v;
    }
    if (/^0[xX]/.test(t)) return parseInt(t, 16);
    if (/^\d+$/.test(t)) return parseInt(t, 10);
    if (t.startsWith("'")) return t.charCodeAt(1);
    if (Object.hasOwn(IOCTL_MACROS, t)) {
      take('(');
      const type = expression(0);
      take(',');
      const nr = expression(0);
      take(',');
      const typeName = take();
      const size = typeName === 'struct' ? structSize(take()) : TYPE_BYTES[typeName];
      take(')');
      if (size === undefined) throw new Error(`unknown ioctl argument type in "${text}"`);
      return ioc(IOCTL_MACROS[t], type, nr, size);
    }
    const v = names(t);
    if (v === undefined) throw new Error(`unknown name ${t} in "${text}"`);
    return v;
  };
  const expression = (minPrecedence) => {
    let left = primary();
    for (let op = BINARY[peek()]; op !== undefined && op[0] > minPrecedence; op = BINARY[peek()]) {
      take();
      left = op[1](left, expression(op[0]));
    }
    return left;
  };
  const value = expression(0);
  if (i !== tokens.length) throw new Error(`trailing tokens in "${text}"`);
  return value;
}

/** A number as the header would write it. */
const show = (v) => (typeof v === 'number' && v > 0xff ? `0x${v.toString(16)}` : String(v));

/** Whether decodePacket knows a tag (a packet of the tag alone fails for its size, not its tag). */
function decodes(tag) {
  try {
    protocol.decodePacket(Uint8Array.of(tag));
  } catch (error) {
    return !protocol.isProtocolError(error, 'UNKNOWN_TAG');
  }
  return true;
}

function check(defines, structs) {
  const problems = [];
  const structSize = (name) => (structs.has(name) ? structLayout(structs.get(name), valueOf).size : undefined);
  const valueOf = (name) => {
    const d = defines.get(name);
    if (d !== undefined && d.params === undefined) return evaluate(d.body, valueOf, structSize);
    return EXTERNAL.has(name) ? protocol[name] : undefined;
  };
  for (const [name, members] of structs) {
    const counterpart = STRUCTS[name];
    if (counterpart === undefined) {
      problems.push(`struct ${name} has no counterpart here (add it to STRUCTS)`);
      continue;
    }
    const want = structLayout(members, valueOf);
    const got = counterpart();
    for (const [member, offset] of Object.entries(want)) {
      if (got[member] !== offset) problems.push(`struct ${name}: ${member} is ${offset} in the header, ${String(got[member])} here`);
    }
  }
  for (const [name, { params, body }] of defines) {
    if (body === '') continue; // the include guard
    if (params !== undefined) {
      const counterpart = FUNCTIONS[name];
      if (counterpart === undefined) {
        problems.push(`function-like macro ${name} has no counterpart here (add it to FUNCTIONS)`);
        continue;
      }
      for (const args of counterpart.samples) {
        const bound = new Map(params.map((p, k) => [p, args[k]]));
        const want = evaluate(body, (n) => (bound.has(n) ? bound.get(n) : valueOf(n)));
        const got = counterpart.fn(...args);
        if (got !== want) problems.push(`${name}(${args.join(', ')}) is ${show(want)}, ${counterpart.name} gives ${show(got)}`);
      }
      continue;
    }
    if (defines.has(body)) continue; // an alias spelling of another macro
    const want = valueOf(name);
    const [exportName, get] = RENAMED[name] ?? [name, () => protocol[name]];
    const got = get();
    if (got === undefined) problems.push(`${name} (${show(want)}) is not exported as ${exportName}`);
    else if (got !== want) problems.push(`${name} is ${show(want)} in the header, ${exportName} is ${show(got)}`);
    if (name.startsWith('TAG_') && !(Object.values(protocol.PACKET_TAGS).includes(want) && decodes(want))) {
      problems.push(`${name} (${want}) is not a packet type decodePacket knows (PACKET_TAGS)`);
    }
  }
  for (const name of Object.keys(protocol)) {
    if (HEADER_PREFIXES.test(name) && !defines.has(name)) problems.push(`export ${name} is not a macro of kernel/vtty.h`);
  }
  return problems;
}

if (!existsSync(HEADER)) {
  console.log(`check-vtty-header: ${HEADER} not found (a build outside the repository): nothing to check`);
} else {
  const structs = new Map();
  const defines = parseDefines(readFileSync(HEADER, 'utf8'), structs);
  const problems = check(defines, structs);
  if (problems.length > 0) {
    console.error(`check-vtty-header: vtty-protocol does not follow kernel/vtty.h:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`check-vtty-header: ${defines.size} macros and ${structs.size} structs of kernel/vtty.h agree with vtty-protocol`);
}
