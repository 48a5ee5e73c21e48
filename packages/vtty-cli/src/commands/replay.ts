/**
 * `vtty replay FILE`: the definition and help. Running it is replay/run-replay.ts, imported
 * when the command runs.
 *
 * @packageDocumentation
 */
import { Option, type Command } from 'commander';
import { collect, examples } from './spec.js';

/**
 * Define `vtty replay`'s arguments, options and help.
 *
 * @param cmd - the command
 * @public
 */
export function defineReplay(cmd: Command): void {
  cmd
    .summary('be the device of a recorded session (--record) and check that the application does the same')
    .description(
      'Create a port that plays the device side of a recording made with --record (or --json): it waits for the ' +
        "application to do what the recorded application did — the same bytes as one stream, however it splits its writes; " +
        'its termios, DTR/RTS, breaks, opens and closes as the options say — and then answers as the device did: data, ' +
        'input lines, breaks, at the recorded pace (or at once with --fast). It prints the port path first, and at the end ' +
        '(the recording used up, or a difference, or --timeout) says on stderr what differed, with a diff of the bytes. ' +
        'Exit status 0 only when the application did exactly what was recorded, 1 when it did not, 2 for a usage error ' +
        'or a recording it cannot read (one of a newer format version is refused, naming the version).',
    )
    .argument('<file>', 'the recording (JSON lines)')
    .option('--fast', 'answer at once instead of at the recorded pace')
    .option('--timeout <seconds>', "the longest wait for the application's next recorded step", '10')
    .option('--loop', 'serve the recording again for every open, until SIGINT/SIGTERM (exit status 1 if any pass differed)')
    .addOption(new Option('--termios <check>', "how the application's termios is checked").choices(['full', 'line', 'baud', 'ignore']).default('line'))
    .addOption(new Option('--lines <check>', "whether the application's DTR/RTS are checked").choices(['check', 'ignore']).default('check'))
    .addOption(new Option('--breaks <check>', "whether the application's breaks are checked").choices(['check', 'ignore']).default('check'))
    .option('--port <port>', 'the recorded port to play, by path or index, when the recording has several (pair, split)')
    .option('--link <path>', 'make a symlink to the port (removed on exit)', collect)
    .addHelpText(
      'after',
      '\n--termios: full = every termios2 field; line = baud rate, data bits, parity, stop bits, flow control, HUPCL,\n' +
        'CLOCAL, CREAD; baud = the baud rate only; ignore. The recording format is docs/recording.md.\n' +
        examples(
          'vtty exec --record modem.jsonl -- ./modem-sim   # record once, with the real device or a simulator',
          'vtty replay modem.jsonl --fast                  # then, in CI: the same application must do the same',
          'vtty attach /dev/ttyUSB0 --record gps.jsonl',
          'vtty replay gps.jsonl --loop --termios baud',
        ),
    );
}
