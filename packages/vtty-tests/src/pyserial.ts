// Python snippets the tests run against a port with pyserial.

/**
 * Python that opens sys.argv[1] with pyserial as `p` and sends `size` random bytes in 4 KiB
 * writes, reading back what comes after each one, into `data` (sent) and `got` (received).
 * Meant for ports whose other side echoes; the caller's script goes on after it.
 */
export function pyserialRoundTrip(size: number): string {
  return `
import serial, sys, os, time
p = serial.Serial(sys.argv[1], 115200, timeout=5 * PACE)
data = os.urandom(${String(size)})
got = bytearray()
for i in range(0, len(data), 4096):
    p.write(data[i:i+4096])
    while len(got) < i + 4096:
        chunk = p.read(i + 4096 - len(got))
        if not chunk: break
        got += chunk
`;
}
