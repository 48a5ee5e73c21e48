// Regenerates src/constant-names.ts from the built addon's constants table (the names the
// system's kernel headers give it; the vtmx numbers come from vtty-protocol, in constants.ts).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const binding = require('node-gyp-build')(root);
const names = Object.keys(binding.constants).filter((n) => typeof binding.constants[n] === 'number');
const text = `// Generated from the native constants table (native/tty_ioctl.cc).
// Regenerate with: node scripts/gen-constants.cjs

/**
 * Names of the numeric constants the native layer exports: termios flags, c_cc indices,
 * baud codes, TIOCM_* modem bits and tty ioctl request numbers, from the kernel UAPI headers
 * the addon was built against.
 */
export const NATIVE_CONSTANT_NAMES = [
${names.map((n) => `  '${n}',`).join('\n')}
] as const;

/** One of {@link NATIVE_CONSTANT_NAMES}. */
export type NativeConstantName = (typeof NATIVE_CONSTANT_NAMES)[number];
`;
fs.writeFileSync(path.join(root, 'src', 'constant-names.ts'), text);
