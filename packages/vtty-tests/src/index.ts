export { openAppSide, readExactly, writeAll } from './app-side.js';
export { concat, firstDifference, randomPayload } from './bytes.js';
export { writeUntilFull, type TryWriter } from './fill.js';
export { assertInsideBench } from './guest.js';
export { freePort } from './net.js';
export { pyserialRoundTrip } from './pyserial.js';
export { readControl, readData, withMaster } from './master-side.js';
export { CommandError, debianPython, python, run, stty, type RunResult } from './run.js';
export { collectFromUntilQuiet, collectUntilQuiet, isBreak, isModem, isTermios, sleep, waitForPacket, type Awaited } from './packets.js';
