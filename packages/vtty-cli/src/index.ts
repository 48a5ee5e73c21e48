/**
 * vtty-cli: the `vtty` command as a library (for tests and embedding).
 *
 * @packageDocumentation
 */
export { main, createProgram, BACKEND_COMMANDS } from './cli.js';
export { CliError, UsageError, ExitCode, type ExitStatus } from './core/errors.js';
export type { CliEvent, TrafficEvent, Direction, EventSink } from './core/events.js';
export { VirtualPort, type PortLink, type AppActivity } from './core/port.js';
export type { Backend } from './backends/backend.js';
export { scanPorts, type PortInfo, type PortScan } from './core/port-scan.js';
