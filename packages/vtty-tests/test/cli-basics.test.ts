import test from 'ava';
import { existsSync } from 'node:fs';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';

test.afterEach.always(stopAllVtty);

const COMMANDS = ['echo', 'monitor', 'exec', 'tcp', 'rfc2217', 'attach', 'split', 'pair', 'list'];

test.serial('--version prints the package version and exits 0', async (t) => {
  const r = await runVtty(['--version']);
  t.is(r.code, 0);
  t.regex(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test.serial('--help on every command exits 0 and shows an example', async (t) => {
  for (const name of COMMANDS) {
    const r = await runVtty([name, '--help']);
    t.is(r.code, 0, name);
    t.regex(r.stdout, /Examples?:\n {2}\$ vtty /, `${name} --help has an example`);
  }
  const top = await runVtty(['--help']);
  t.is(top.code, 0);
  for (const name of COMMANDS) t.true(top.stdout.includes(`  ${name} `), `top-level help lists ${name}`);
});

test.serial('usage errors exit 2 with a message on stderr', async (t) => {
  const cases: string[][] = [['bogus'], ['echo', '--nope'], ['tcp'], ['tcp', 'nocolon'], ['tcp', 'h:99999'], ['exec'], ['monitor', '--', 'nosuch'], ['tcp', 'h:1', '--listen', '2'], []];
  for (const args of cases) {
    const r = await runVtty(args);
    t.is(r.code, 2, `vtty ${args.join(' ')}: ${r.stderr}`);
    t.not(r.stderr.trim(), '', `vtty ${args.join(' ')} says why`);
    t.is(r.stdout, '', `vtty ${args.join(' ')} prints nothing on stdout`);
  }
});

test.serial('a missing /dev/vtmx (module not loaded) says how to load it and exits 1', async (t) => {
  const env = { VTTY_VTMX: '/nonexistent/vtmx' };
  for (const args of [['echo'], ['monitor'], ['pair'], ['list']]) {
    const r = await runVtty(args, env);
    t.is(r.code, 1, args.join(' '));
    t.regex(r.stderr, /modprobe vtty/);
    t.regex(r.stderr, /insmod kernel\/vtty\.ko/);
    t.is(r.stdout, '');
  }
});

test.serial('SIGINT and SIGTERM stop a command cleanly with status 0 and remove the port', async (t) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const p = startVtty(['echo']);
    const path = await p.firstLine();
    t.regex(path, /^\/dev\/ttyV\d+$/);
    t.true(existsSync(path));
    const exit = await p.stop(signal);
    t.is(exit.code, 0, `${signal}: ${exit.stderr}`);
    t.false(existsSync(path), `${path} removed after ${signal}`);
  }
});
