// ava's settings. A config file rather than package.json's "ava" field, so
// that the time a test may go without finishing stretches with the
// machine's measured pace, like every deadline inside the tests.
import { scaledDeadline } from 'vtmx-native/testing';

export default {
  typescript: {
    rewritePaths: { 'test/': 'dist/test/' },
    compile: false,
  },
  files: ['test/**/*.test.ts'],
  // Index numbering and the module's ports are global: one file at a time.
  concurrency: 1,
  timeout: `${scaledDeadline(5 * 60_000)}ms`,
  workerThreads: false,
};
