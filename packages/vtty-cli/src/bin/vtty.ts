#!/usr/bin/env node
/**
 * The `vtty` executable (bundled by scripts/bundle.mjs into dist/bin/vtty.cjs, a CommonJS
 * script: hence no top-level await here).
 *
 * @packageDocumentation
 */
import { main } from '../cli.js';

void main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
  // Once nothing is left to do, end at once: Node's own teardown (freeing the heap and its
  // handles) would add a few per cent to a short command such as `vtty --version`.
  process.once('beforeExit', () => {
    process.exit(status);
  });
  // Anything left holding the event loop (a thread-pool close of a real tty, a child that
  // ignores SIGTERM) must not keep a stopped command alive.
  setTimeout(() => {
    process.exit(status);
  }, 3000).unref();
});
