import test from 'ava';
import { readFileSync } from 'node:fs';
import * as main from 'vtty-protocol';
import * as rfc2217 from 'vtty-protocol/rfc2217';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('every runtime export is documented in the README', (t) => {
  const missing = [...Object.keys(main), ...Object.keys(rfc2217)].filter(
    (name) => !new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(readme),
  );
  t.deepEqual(missing, []);
});
