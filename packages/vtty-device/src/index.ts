/**
 * vtty-device: emulated serial devices for tests. A {@link Device} is the program behind a
 * real `/dev/ttyV<n>` (from the vtty kernel module), scripted in the spirit of pexpect:
 * `expect` what the application sends, `send` answers, drive and watch modem lines, send and
 * expect breaks, read the application's settings. {@link replay} plays the device's side of a
 * session the `vtty` command recorded (`--record`), and checks the application's.
 *
 * @packageDocumentation
 */
export {
  Device,
  type ApplicationEvent,
  type DeviceFeature,
  type DeviceOptions,
  type ExpectOptions,
  type InputLines,
  type OutputLines,
  type StateWaitOptions,
  type WaitOptions,
} from './device.js';
export { DeviceWaitError, isDeviceWaitError, type DeviceWaitErrorFields, type WaitFailure } from './errors.js';
export type { ExpectMatch, Pattern } from './patterns.js';
export { byteDiff, firstDifference } from './show.js';
export { closeAllDevices } from './teardown.js';
export {
  EVENT_FORMAT,
  EVENT_FORMAT_VERSION,
  OLDEST_EVENT_FORMAT_VERSION,
  RecordingError,
  parseRecording,
  termiosToJson,
  type BreakJson,
  type DataJson,
  type Direction,
  type EventJson,
  type EventJsonBase,
  type LineErrorJson,
  type ModemJson,
  type NoticeJson,
  type OpenJson,
  type ReadyJson,
  type RecordedActivity,
  type RecordedEvent,
  type Recording,
  type TermiosJson,
  type Termios2Json,
} from './recording.js';
export { replay, replayEvents, type ReplayDifference, type ReplayOptions, type ReplayResult, type SignalCheck, type TermiosCheck } from './replay.js';
