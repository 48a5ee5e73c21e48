/**
 * How a command is declared: its commander definition and, for backend commands, how its
 * parsed arguments become a {@link Backend} (so `vtty monitor -- <backend…>` reuses them).
 * A declaration stays light: what a command runs is imported when it runs.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import type { Backend } from '../backends/backend.js';

/** Parsed positional arguments and options of one command. @public */
export interface ParsedArgs {
  /** Positional arguments as commander processed them (variadic ones are arrays). */
  readonly args: readonly unknown[];
  /** Options. */
  readonly opts: Readonly<Record<string, unknown>>;
}

/**
 * A command whose job is to be a port's hardware: echo, exec, tcp, rfc2217, attach, split,
 * pair.
 *
 * @public
 */
export interface BackendCommand {
  /** The sub-command name. */
  readonly name: string;
  /** Whether `vtty monitor -- <name> …` accepts it (single-port backends). */
  readonly monitorable: boolean;
  /** Several ports (pair, split): gets `--monitor` and `--text`, and names the port on each line. */
  readonly multiPort?: boolean;
  /**
   * Add arguments, options, description and help text.
   *
   * @param cmd - the fresh command
   */
  define(cmd: Command): void;
  /**
   * Build the backend from parsed arguments. The backend's module is imported only here, so
   * that `--help`, `--version` and the other commands never load it.
   *
   * @param parsed - arguments and options
   * @returns the backend
   * @throws {@link UsageError} (as a rejection) for bad values
   */
  create(parsed: ParsedArgs): Promise<Backend>;
}

/**
 * Read a string option.
 *
 * @param opts - options
 * @param name - option key
 * @returns the string or undefined
 * @internal
 */
export function stringOpt(opts: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = opts[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Read a boolean option.
 *
 * @param opts - options
 * @param name - option key
 * @returns true when set
 * @internal
 */
export function boolOpt(opts: Readonly<Record<string, unknown>>, name: string): boolean {
  return opts[name] === true;
}

/**
 * Read a repeatable string option.
 *
 * @param opts - options
 * @param name - option key
 * @returns the values
 * @internal
 */
export function listOpt(opts: Readonly<Record<string, unknown>>, name: string): string[] {
  const v = opts[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Collect a repeatable option's values (commander argParser).
 *
 * @param value - this occurrence
 * @param previous - earlier ones
 * @returns all of them
 * @internal
 */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Format an example block for `--help`.
 *
 * @param lines - example command lines, each optionally followed by `  # comment`
 * @returns help text
 * @internal
 */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
