// Regenerates src/constant-names.ts from the built addon's constants table.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const binding = require('node-gyp-build')(root);
const names = Object.keys(binding.constants).filter((n) => typeof binding.constants[n] === 'number');
const text = `// Generated from the native constants table (native/tty_ioctl.cc, native/constants.cc).
// Regenerate with: node scripts/gen-constants.cjs

/**
 * Names of the numeric constants the native layer exports: termios flags, c_cc indices,
 * baud codes, TIOCM_* modem bits, ioctl request numbers (from the kernel UAPI headers the
 * addon was built against) and the vtmx ioctls.
 */
export const CONSTANT_NAMES = [
${names.map((n) => `  '${n}',`).join('\n')}
] as const;

/** One of {@link CONSTANT_NAMES}. */
export type ConstantName = (typeof CONSTANT_NAMES)[number];
`;
fs.writeFileSync(path.join(root, 'src', 'constant-names.ts'), text);
