#!/usr/bin/env node
/**
 * The `vtty` executable.
 *
 * @packageDocumentation
 */
import { main } from '../cli.js';

const status = await main(process.argv.slice(2));
process.exitCode = status;
// Anything left holding the event loop (a thread-pool close of a real tty, a child that
// ignores SIGTERM) must not keep a stopped command alive.
setTimeout(() => {
  process.exit(status);
}, 3000).unref();
