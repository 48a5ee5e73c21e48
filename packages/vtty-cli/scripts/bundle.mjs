// Builds the `vtty` executable, dist/bin/vtty.js, as one file (the package's `build` runs it
// after `tsc -b`, which type-checks everything and compiles the library export into dist/).
//
// One file, because a start that loads dozens of ES modules (this package's, commander,
// vtty-protocol, vtmx-native) costs seconds where the filesystem is slow, as user-mode
// Linux's hostfs is (issue 23). The bundle replaces the dist/bin/vtty.js that tsc wrote
// from the same source; either of the two runs the same command. What a command runs is
// imported when it runs (src/cli.ts), so the bundle holds it but evaluates it only then.
// The native addon stays a separate file: vtmx-native loads it at run time through
// node-gyp-build, from its own package directory (vtmx-native's src/native.ts).
//
//   node scripts/bundle.mjs
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const { version } = JSON.parse(readFileSync(here('package.json'), 'utf8'));

await build({
  entryPoints: [here('src/bin/vtty.ts')],
  outfile: here('dist/bin/vtty.js'),
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The entry's `#!/usr/bin/env node` comes first, then this. commander is CommonJS, and its
  // require() of Node's modules needs a real `require` inside an ES module.
  banner: {
    js: "import { createRequire as __vttyCreateRequire } from 'node:module';\nconst require = __vttyCreateRequire(import.meta.url);",
  },
  // src/version.ts: `vtty --version` without reading package.json.
  define: { __VTTY_CLI_VERSION__: JSON.stringify(version) },
  // Half the bytes to read and compile at every start, and a smaller package. Names are
  // kept, so that a stack trace still says which function failed.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

// Written over tsc's output, the file keeps that file's mode: make it executable.
chmodSync(here('dist/bin/vtty.js'), 0o755);
// tsc's map and declarations of the file just replaced describe something else now.
for (const stale of ['vtty.js.map', 'vtty.d.ts', 'vtty.d.ts.map']) rmSync(here(`dist/bin/${stale}`), { force: true });
