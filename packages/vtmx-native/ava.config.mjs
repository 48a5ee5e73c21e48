// ava's settings. A config file rather than package.json's "ava" field, so
// that the time a test may go without finishing stretches with the
// machine's measured pace, like every deadline inside the tests.
import { scaledDeadline } from './dist/testing.js';

export default {
  typescript: {
    rewritePaths: { 'test/': 'build-test/test/' },
    compile: false,
  },
  files: ['test/**/*.test.ts'],
  timeout: `${scaledDeadline(10 * 60_000)}ms`,
  workerThreads: false,
  nodeArguments: ['--expose-gc'],
};
