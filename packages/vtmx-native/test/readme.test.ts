// Every runtime export of vtmx-native is named in its README.
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as api from 'vtmx-native';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('every runtime export is documented in the README', (t) => {
  const missing = Object.keys(api).filter((name) => !new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(readme));
  t.deepEqual(missing, []);
});
