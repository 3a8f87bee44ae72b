#!/usr/bin/env python3
"""Launch-to-prompt and launch-to-first-tensor-result of the DLN REPL, measured in a pseudo-terminal.
usage: measure_startup.py DLN_LAUNCHER [RUNS]   (prints each run and the medians)"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

class Screen:
    """Everything the REPL printed so far; read_until looks only at what came after the last match."""
    def __init__(self):
        self.buf = b""
        self.pos = 0

def read_until(fd, needle, t0, limit=120, screen=None):
    buf = screen.buf if screen else b""
    start = screen.pos if screen else 0
    while buf.find(needle, start) < 0:
        if time.monotonic() - t0 > limit:
            raise RuntimeError("timed out waiting for %r; got %r" % (needle, buf[-300:]))
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
    if screen:
        screen.buf = buf
        screen.pos = buf.find(needle, start) + len(needle)
    return time.monotonic() - t0

def once(launcher):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(launcher, [launcher])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    screen = Screen()
    prompt = read_until(fd, b"dln> ", t0, screen=screen)
    os.write(fd, b"tensor([1, 2]) + 1\r")
    result = read_until(fd, b"tensor([2.0000, 3.0000]", t0, screen=screen)
    read_until(fd, b"dln> ", t0, screen=screen)  # the next prompt: Ctrl-D must reach readLine, not the cooked terminal
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    return prompt, result

launcher = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
ps, rs = [], []
for i in range(runs):
    p, r = once(launcher)
    ps.append(p); rs.append(r)
    print("run %d: prompt %.3f s, first tensor result %.3f s" % (i + 1, p, r), flush=True)
print("median of %d: launch-to-prompt %.3f s, launch-to-first-tensor-result %.3f s" % (runs, statistics.median(ps), statistics.median(rs)))
