/**
 * The common part of every long-running command: reporter, supervision, session. Loaded only
 * when such a command runs (its options are in session-options.ts).
 *
 * @packageDocumentation
 */
import type { Backend } from '../backends/backend.js';
import { addRecording } from './record-option.js';
import type { ExitStatus } from '../core/errors.js';
import { createReporter } from '../core/reporter.js';
import { runSession } from '../core/session.js';
import { takeSupervisorLink } from '../core/supervised.js';
import { stdoutIsPipe } from '../core/output.js';
import type { ReaderWatch } from '../core/supervisor.js';
import { portPlacements } from '../core/identity.js';
import { boolOpt, listOpt, stringOpt, type ParsedArgs } from './spec.js';

/**
 * Run a backend as a session with the command's options.
 *
 * Where stdout is a pipe, what happens when its reader goes away depends on what stdout
 * carries. Only the port path(s): the command hands its port over to a background server
 * (see core/supervisor.ts), so `PORT=$(vtty echo | head -1)` returns and the port stays.
 * Events (monitor, `--monitor`, `--json`): printing them is the command's job, so like any
 * filter whose reader exited it stops (`vtty monitor | less`, then q).
 *
 * @param backend - the backend
 * @param parsed - the command's options
 * @param traffic - print port traffic (monitor)
 * @returns the exit status
 * @internal
 */
export async function runBackend(backend: Backend, parsed: ParsedArgs, traffic: boolean): Promise<ExitStatus> {
  const { opts } = parsed;
  const json = boolOpt(opts, 'json');
  const placements = portPlacements(
    Object.fromEntries(['usbId', 'kind', 'serialNumber', 'manufacturer', 'product', 'name', 'index'].map((key) => [key, stringOpt(opts, key)])),
    backend.portCount,
  );
  const supervisor = takeSupervisorLink();
  const eventsOnStdout = traffic || json;
  // The supervisor (and the child_process it needs) only loads where stdout is a pipe.
  if (supervisor === undefined && !eventsOnStdout && stdoutIsPipe()) return (await import('../core/supervisor.js')).superviseServer();

  const recording = await addRecording(
    opts,
    createReporter({
      json,
      traffic,
      text: boolOpt(opts, 'text'),
      showPort: backend.portCount > 1,
    }),
  );
  const emit = recording.emit;
  let readerWatch: ReaderWatch | undefined;
  if (supervisor === undefined && eventsOnStdout && stdoutIsPipe()) readerWatch = (await import('../core/supervisor.js')).watchStdoutReader();
  const until = supervisor?.lost ?? readerWatch?.gone;
  try {
    return await runSession({
      backend,
      links: listOpt(opts, 'link'),
      emit,
      ...(until === undefined ? {} : { until }),
      ...(placements === undefined ? {} : { placements }),
    });
  } finally {
    supervisor?.close();
    readerWatch?.cancel();
    await recording.close();
  }
}
