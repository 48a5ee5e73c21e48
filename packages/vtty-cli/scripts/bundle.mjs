// Builds the `vtty` executable, dist/bin/vtty.cjs, as one file (the package's `build` runs it
// after `tsc -b`, which type-checks everything and compiles the library export into dist/).
//
// One file, because a start that loads dozens of ES modules (this package's, commander,
// vtty-protocol, vtmx-native) costs seconds where the filesystem is slow, as user-mode
// Linux's hostfs is (issue 23). What a command runs is imported when it runs (src/cli.ts),
// so the bundle holds it but evaluates it only then.
//
// CommonJS, not an ES module, for two reasons measured on Node 20: an ES module entry costs
// about a tenth of Node's own start more than a script does, and an ES module bundle must
// import every Node built-in any of its code uses (net, child_process, …) at the top, before
// anything runs, where CommonJS requires each one only when the code that needs it runs.
//
// The native addon stays a separate file: vtmx-native loads it at run time through
// node-gyp-build, from its own package directory (vtmx-native's src/native.ts).
//
//   node scripts/bundle.mjs
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const { version } = JSON.parse(readFileSync(here('package.json'), 'utf8'));

// commander requires child_process when it loads, for sub-commands that are separate
// executables, which vtty has none of; loading it (and the net module under it) is a tenth of
// Node's own start. commander gets a stand-in whose spawn() loads the real module on use.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(bundle) {
    bundle.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "exports.spawn = (...args) => require('node:child_process').spawn(...args);",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [here('src/bin/vtty.ts')],
  outfile: here('dist/bin/vtty.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: what they read from `import.meta.url` is the bundle's own URL.
  define: {
    'import.meta.url': '__vttyBundleUrl',
    // src/version.ts: `vtty --version` without reading package.json.
    __VTTY_CLI_VERSION__: JSON.stringify(version),
  },
  // After the entry's `#!/usr/bin/env node`.
  banner: { js: "const __vttyBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Half the bytes to read and compile at every start, and a smaller package. Names are
  // kept, so that a stack trace still says which function failed.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyChildProcessForCommander],
  logLevel: 'warning',
});

chmodSync(here('dist/bin/vtty.cjs'), 0o755);
// tsc compiled the same entry, unbundled, as dist/bin/vtty.js; the command is the bundle.
for (const stale of ['vtty.js', 'vtty.js.map', 'vtty.d.ts', 'vtty.d.ts.map']) rmSync(here(`dist/bin/${stale}`), { force: true });
