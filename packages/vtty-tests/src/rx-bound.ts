/**
 * How many bytes the master may have written that the application has not read yet (issue 18).
 *
 * The driver limits its flip buffer with `tty_buffer_set_limit(port, 16 KiB)`; a flip buffer of
 * plain data holds about twice its limit (the tty core counts whole buffers, headers included),
 * and n_tty holds 4 KiB in front of it: about 36–40 KiB in all. The driver documents 64 KiB
 * ("VTTY_RX_BOUND") so that it may change how it holds them without breaking a promise; a pty
 * holds about 20 KiB. This is the one place the tests take that figure from.
 */
export const RX_BOUND = 64 * 1024;

/**
 * Fewest unread bytes a port takes before a master write blocks: the flip buffer's limit alone.
 * A port that took less would leave a master blocked with next to nothing queued, so the tests
 * hold the driver to a bound from below too.
 */
export const RX_FLOOR = 16 * 1024;
