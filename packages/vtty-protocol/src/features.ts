// The optional features a master enables per port (kernel/vtty.h "Extensions"); the bits of
// VTMX_GET_FEATURES, VTMX_SET_FEATURES and VTMX_GET_ENABLED.

/** Modem packets whenever the application's output lines change for any reason (since 0.2.0). @public */
export const VTTY_FEAT_MODEM_EVENTS = 0x01;
/** CTS from the master holds the application's output under CRTSCTS; throttling drops RTS (since 0.2.0). @public */
export const VTTY_FEAT_HW_FLOW = 0x02;
/** The tty's output stop (IXON, tcflow) holds its output; XON/XOFF overtake queued output (since 0.2.0). @public */
export const VTTY_FEAT_SW_FLOW = 0x04;
/** A `TAG_OPEN_COUNT` packet on every open, close and hangup of the tty (since 0.2.0). @public */
export const VTTY_FEAT_OPEN_EVENTS = 0x08;
/** A `TAG_FLUSH` packet on tcflush() (since 0.2.0) and tcsetattr(TCSAFLUSH) (since 0.3.0). @public */
export const VTTY_FEAT_FLUSH_EVENTS = 0x10;
/** The application's output reaches the master at the line rate its termios sets (since 0.3.0). @public */
export const VTTY_FEAT_LINE_RATE = 0x20;
