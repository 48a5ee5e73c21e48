#!/usr/bin/python3
"""Open/close storm on vtty from several processes at once.

Each worker repeats, in random order: open /dev/vtmx, open its own port and
ports other workers hold (which their owners may be closing at that very
moment), write and read both ways, set termios and modem lines, send breaks
on its own port, close the two sides in random order. Any error other than the ones the
interface promises in a race (ENOENT/ENODEV/ENXIO/EIO/EAGAIN on a port that
is going away) fails the run.

usage: stress.py WORKERS ITERATIONS_PER_WORKER SEED
prints: "stress: N iterations, M cross opens, 0 unexpected errors"
"""
import errno
import fcntl
import multiprocessing
import os
import random
import struct
import sys
import termios
import threading
import time

TIOCGPTN = 0x80045430
TIOCMSET = 0x5418
TIOCMBIS = 0x5416
TIOCSBRK = 0x5427
TIOCCBRK = 0x5428
RACE_ERRORS = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.EAGAIN}


def try_call(fn, *args):
    try:
        return fn(*args)
    except OSError as e:
        if e.errno not in RACE_ERRORS:
            raise
    except termios.error as e:
        # Not an OSError subclass: its first argument is the errno.
        if e.args[0] not in RACE_ERRORS:
            raise
    return None


def send_break(port, master, request):
    """A break waits until the master has read all earlier output (the tty
    core drains first, as for a UART), and other workers may be writing to
    this port: so the master is read while the break is sent, as a real
    master would be. Reading also keeps breaks from piling up unread (a
    flood of them is refused with EBUSY, by design)."""
    done = threading.Event()

    def read_master():
        while not done.is_set():
            if not try_call(os.read, master, 4096):
                time.sleep(0.001)

    reader = threading.Thread(target=read_master)
    reader.start()
    try:
        try_call(fcntl.ioctl, port, request)
    finally:
        done.set()
        reader.join()


def port_nodes():
    return [name for name in os.listdir('/dev') if name.startswith('ttyV')]


def iteration(rng, stats):
    master = os.open('/dev/vtmx', os.O_RDWR | os.O_NONBLOCK)
    index = struct.unpack('I', fcntl.ioctl(master, TIOCGPTN, b'\0' * 4))[0]
    fds = []
    own = try_call(os.open, '/dev/ttyV%d' % index, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    if own is not None:
        fds.append(own)
    # Someone else's port, possibly being torn down right now.
    others = port_nodes()
    if others:
        other = try_call(os.open, '/dev/' + rng.choice(others), os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        if other is not None:
            fds.append(other)
            stats['cross'] += 1
    for _ in range(rng.randint(0, 4)):
        action = rng.randrange(7)
        if action == 0:
            try_call(os.write, master, os.urandom(rng.randint(1, 512)))
        elif action == 1 and fds:
            try_call(os.write, rng.choice(fds), os.urandom(rng.randint(1, 512)))
        elif action == 2:
            try_call(os.read, master, 4096)
        elif action == 3 and fds:
            fd = rng.choice(fds)
            attrs = try_call(termios.tcgetattr, fd)
            if attrs is not None:
                attrs[4] = attrs[5] = rng.choice([termios.B9600, termios.B115200, termios.B38400])
                try_call(termios.tcsetattr, fd, termios.TCSANOW, attrs)
        elif action == 4:
            try_call(fcntl.ioctl, master, TIOCMSET, struct.pack('i', rng.randrange(0x200)))
        elif action == 5 and fds:
            try_call(fcntl.ioctl, rng.choice(fds), TIOCMBIS, struct.pack('i', 0x6))
            # Breaks only on this worker's own port: a break waits for the
            # port's master to read, and two workers breaking on each
            # other's ports would wait on each other.
            if own is not None:
                send_break(own, master, rng.choice([TIOCSBRK, TIOCCBRK]))
        elif action == 6 and fds:
            try_call(os.read, rng.choice(fds), 4096)
    closing = fds + [master]
    rng.shuffle(closing)
    for fd in closing:
        os.close(fd)


def worker(args):
    seed, iterations = args
    rng = random.Random(seed)
    stats = {'cross': 0}
    for _ in range(iterations):
        iteration(rng, stats)
    return stats['cross']


def main():
    workers, iterations, seed = (int(a) for a in sys.argv[1:4])
    with multiprocessing.Pool(workers) as pool:
        cross = sum(pool.map(worker, [(seed + w, iterations) for w in range(workers)]))
    left = port_nodes()
    if left:
        print('stress: ports left behind: %s' % ' '.join(sorted(left)))
        sys.exit(1)
    print('stress: %d iterations, %d cross opens, 0 unexpected errors' % (workers * iterations, cross))


if __name__ == '__main__':
    main()
