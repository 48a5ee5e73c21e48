/**
 * RFC 2217 (Telnet Com Port Control Option) for vtty: Telnet framing (an incremental decoder
 * and encoders), COM-PORT-OPTION messages, and the mapping between them and vtty's line
 * settings, modem lines and breaks.
 *
 * @packageDocumentation
 */
export * from './telnet.js';
export * from './com-port.js';
export * from './mapping.js';
