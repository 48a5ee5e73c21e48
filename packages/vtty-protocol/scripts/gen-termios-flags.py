#!/usr/bin/env python3
"""Generate src/termios-flags.ts from a Linux source tree's asm-generic termbits headers.

Usage: scripts/gen-termios-flags.py /path/to/linux-source [> src/termios-flags.ts]
Writes src/termios-flags.ts next to this script's package. Every constant gets a TSDoc line.
"""
import os
import re
import sys

ROOT = os.path.join(sys.argv[1] if len(sys.argv) > 1 else '/root/.cache/vtty-uml/src/linux-source-6.1.192-2',
                    'include/uapi/asm-generic')
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'termios-flags.ts')

DOCS = {
    'IGNBRK': 'Ignore a received break condition.', 'BRKINT': 'A received break flushes queues and sends SIGINT.',
    'IGNPAR': 'Ignore characters with parity or framing errors.', 'PARMRK': 'Mark parity and framing errors with `\\377 \\0`.',
    'INPCK': 'Enable input parity checking.', 'ISTRIP': 'Strip the eighth bit of input characters.',
    'INLCR': 'Translate NL to CR on input.', 'IGNCR': 'Ignore CR on input.', 'ICRNL': 'Translate CR to NL on input.',
    'IXANY': 'Any character restarts stopped output.', 'IUCLC': 'Map upper case to lower case on input.',
    'IXON': 'XON/XOFF flow control of output (the port obeys START/STOP it receives).',
    'IXOFF': 'XON/XOFF flow control of input (the port sends START/STOP).', 'IMAXBEL': 'Ring the bell when the input queue is full.',
    'IUTF8': 'Input is UTF-8 (for character erase in canonical mode).',
    'OPOST': 'Enable implementation-defined output processing.', 'OLCUC': 'Map lower case to upper case on output.',
    'ONLCR': 'Map NL to CR-NL on output.', 'OCRNL': 'Map CR to NL on output.', 'ONOCR': 'Do not output CR at column 0.',
    'ONLRET': 'NL performs the CR function.', 'OFILL': 'Use fill characters for delays.', 'OFDEL': 'Fill character is DEL.',
    'CBAUD': 'Mask of the output speed code (Bnnn or BOTHER).', 'CSIZE': 'Mask of the character size.',
    'CS5': '5 data bits.', 'CS6': '6 data bits.', 'CS7': '7 data bits.', 'CS8': '8 data bits.', 'CSTOPB': 'Two stop bits (one when clear).',
    'CREAD': 'Enable the receiver.', 'PARENB': 'Enable parity generation and checking.', 'PARODD': 'Odd parity (even when clear).',
    'HUPCL': 'Drop modem control lines (DTR/RTS) on last close.', 'CLOCAL': 'Ignore modem control lines (no carrier detect).',
    'CBAUDEX': 'Extended speed code bit.', 'BOTHER': 'Speed code meaning "the speed is in c_ospeed / c_ispeed".',
    'CIBAUD': 'Mask of the input speed code (CBAUD shifted by IBSHIFT; B0 there means "same as output").',
    'ADDRB': 'Address bit (RS-485 9-bit addressing).', 'CMSPAR': 'Mark or space (stick) parity, with PARODD selecting mark.',
    'CRTSCTS': 'RTS/CTS hardware flow control.', 'IBSHIFT': 'Shift from CBAUD to CIBAUD.',
    'ISIG': 'Generate signals for INTR, QUIT, SUSP.', 'ICANON': 'Canonical (line-by-line) input.', 'XCASE': 'Obsolete case conversion.',
    'ECHO': 'Echo input characters.', 'ECHOE': 'ERASE erases the preceding character.', 'ECHOK': 'KILL erases the line.',
    'ECHONL': 'Echo NL even when ECHO is off.', 'NOFLSH': 'Do not flush queues on INTR/QUIT/SUSP.', 'TOSTOP': 'SIGTTOU for background output.',
    'ECHOCTL': 'Echo control characters as ^X.', 'ECHOPRT': 'Print erased characters.', 'ECHOKE': 'KILL erases each character.',
    'FLUSHO': 'Output is being flushed.', 'PENDIN': 'Reprint pending input at next read.', 'IEXTEN': 'Enable implementation-defined input processing.',
    'EXTPROC': 'External processing (pty packet mode).',
    'TCSANOW': 'tcsetattr: change immediately.', 'TCSADRAIN': 'tcsetattr: change after output drained.',
    'TCSAFLUSH': 'tcsetattr: change after output drained, discarding input.',
    'TCOOFF': 'tcflow: suspend output.', 'TCOON': 'tcflow: restart output.', 'TCIOFF': 'tcflow: send a STOP character.',
    'TCION': 'tcflow: send a START character.',
    'TCIFLUSH': 'tcflush: discard received data.', 'TCOFLUSH': 'tcflush: discard unsent data.', 'TCIOFLUSH': 'tcflush: discard both.',
}
VDOCS = {'VINTR': 'INTR (^C)', 'VQUIT': 'QUIT (^\\\\)', 'VERASE': 'ERASE (DEL)', 'VKILL': 'KILL (^U)', 'VEOF': 'EOF (^D)',
         'VTIME': 'TIME (deciseconds, non-canonical)', 'VMIN': 'MIN (bytes, non-canonical)', 'VSWTC': 'SWTC',
         'VSTART': 'START / XON (^Q)', 'VSTOP': 'STOP / XOFF (^S)', 'VSUSP': 'SUSP (^Z)', 'VEOL': 'EOL',
         'VREPRINT': 'REPRINT (^R)', 'VDISCARD': 'DISCARD (^O)', 'VWERASE': 'WERASE (^W)', 'VLNEXT': 'LNEXT (^V)', 'VEOL2': 'EOL2'}


def main():
    out = ['// Generated from the Linux 6.1 uapi headers include/uapi/asm-generic/termbits.h and',
           '// include/uapi/asm-generic/termbits-common.h (values are the asm-generic ones, valid for every',
           '// TermiosArch). Regenerate with scripts/gen-termios-flags.py; do not edit by hand.', '']
    seen = set()
    for f in ['termbits-common.h', 'termbits.h']:
        section = None
        for line in open(os.path.join(ROOT, f)):
            m = re.match(r'/\* (c_\w+) (bits|characters|bit meaning) \*/', line)
            if m:
                section = m.group(1)
                continue
            if 'tcsetattr' in line or 'tcflow()' in line or 'tcflush()' in line:
                section = None
            m = re.match(r'#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+|\w+)', line)
            if not m:
                continue
            name, val = m.groups()
            if name.startswith('__') or name == 'NCCS' or name in seen:
                continue
            seen.add(name)
            if section == 'c_cc':
                doc = f'Index of the {VDOCS[name]} character in `c_cc`.'
            elif re.match(r'^B\d+$', name):
                rate = name[1:]
                doc = f'Speed code for {rate} baud' + (' (hang up: drop DTR).' if rate == '0' else '.')
            elif name in ('EXTA', 'EXTB'):
                doc = f'Historical alias of {val}.'
            elif re.match(r'^(NL|CR|TAB|BS|VT|FF)\d$', name) or name == 'XTABS':
                doc = f'Output delay value ({name}).'
            elif re.match(r'^(NLDLY|CRDLY|TABDLY|BSDLY|VTDLY|FFDLY)$', name):
                doc = f'Mask of the {name[:-3]} output delay.'
            else:
                doc = DOCS[name]
            field = {'c_iflag': ' (`c_iflag`)', 'c_oflag': ' (`c_oflag`)', 'c_cflag': ' (`c_cflag`)',
                     'c_lflag': ' (`c_lflag`)'}.get(section, '')
            lit = val if not re.match(r'^(0x[0-9a-fA-F]+|\d+)$', val) else (
                hex(int(val, 0)) if val.startswith('0x') else str(int(val)))
            out.append(f'/** {doc}{field} @public */\nexport const {name} = {lit};')
    with open(OUT, 'w') as fh:
        fh.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
