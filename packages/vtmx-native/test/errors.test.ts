// Errors are Node system errors.
import test from 'ava';
import { OperationCancelledError, Vtmx, isCancelledError, isSystemError, openTty } from 'vtmx-native';

test('open of a missing path: ENOENT with errno, syscall, path and Node-style message', (t) => {
  const error = t.throws(() => openTty('/dev/does-not-exist'));
  t.true(isSystemError(error, 'ENOENT'));
  t.is(error.message, "ENOENT: no such file or directory, open '/dev/does-not-exist'");
  t.like(error, { code: 'ENOENT', errno: -2, syscall: 'open', path: '/dev/does-not-exist' });
});

test('Vtmx.open of a missing device says to load the module', async (t) => {
  const error = await t.throwsAsync(Vtmx.open({ path: '/dev/vtmx-missing-for-test' }));
  t.like(error, { code: 'ENOENT', errno: -2, syscall: 'open', path: '/dev/vtmx-missing-for-test' });
  t.regex(error.message, /^ENOENT: no such file or directory, open '\/dev\/vtmx-missing-for-test'/);
  t.regex(error.message, /modprobe vtty/);
  t.regex(error.message, /insmod kernel\/vtty\.ko/);
});

test('a non-tty gives ENOTTY on tty ioctls', async (t) => {
  const tty = openTty('/dev/null');
  t.teardown(() => tty.close());
  const error = t.throws(() => tty.getAttr());
  t.like(error, { code: 'ENOTTY', errno: -25, syscall: 'ioctl', path: '/dev/null' });
  t.is(error.message, "ENOTTY: inappropriate ioctl for device, ioctl '/dev/null'");
  // /dev/null cannot be polled: reading says so with a code instead of failing open
  t.like(await t.throwsAsync(tty.read()), { code: 'EPERM', syscall: 'poll', path: '/dev/null' });
});

test('permission errors carry EACCES', (t) => {
  if (process.getuid?.() === 0) {
    t.pass('running as root: no EACCES to provoke');
    return;
  }
  const error = t.throws(() => openTty('/dev/mem'));
  t.true(isSystemError(error, 'EACCES') || isSystemError(error, 'EPERM'));
});

test('OperationCancelledError is a system error with ECANCELED', (t) => {
  const error = new OperationCancelledError('read', '/dev/vtmx', 'why');
  t.true(error instanceof Error);
  t.is(error.name, 'AbortError');
  t.is(error.code, 'ECANCELED');
  t.is(error.errno, -125);
  t.is(error.cause, 'why');
  t.true(isCancelledError(error));
  t.true(isSystemError(error, 'ECANCELED'));
  t.is(error.message, "ECANCELED: operation canceled, read '/dev/vtmx'");
});
