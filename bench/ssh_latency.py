#!/usr/bin/env python3
"""Time an SSH login to esis as a user feels it, through a pseudo-terminal.

    python3 bench/ssh_latency.py [--keys N] -- SSH_COMMAND...

SSH_COMMAND is the whole ssh command line (ssh -tt ... user@host); its
ForceCommand runs esis.  The script measures, from the moment ssh starts:

  first_screen  until the main menu's title (เมนูหลัก) has arrived;
  echo          the time from writing one key until the first byte the
                server sends back for it: the menu's Down and Up arrows,
                N times each, median and largest; with --type, digits
                typed into a new student's first field instead (what
                mosh's predictive local echo shows at once).

and prints one line per figure ("first_screen_s 0.42").  With
SSH_ORIGINAL_COMMAND = true (ssh ... true) the forced command of
tests/e2e/ssh.sh exits at once: `--login-only` times that, the SSH login
alone, for comparison.
"""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

MENU = "เมนูหลัก".encode()


def read_until(fd, marker, limit):
    """Bytes from fd until marker is among them or limit seconds pass."""
    buf = b""
    end = time.monotonic() + limit
    while marker not in buf:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError("no %r after %.1f s: %r" % (marker, limit, buf[-200:]))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                raise TimeoutError("the session ended: %r" % buf[-200:])
            if not data:
                raise TimeoutError("the session ended: %r" % buf[-200:])
            buf += data
    return buf


def drain(fd, quiet):
    """Read until nothing has come for quiet seconds."""
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def echo_time(fd, key):
    t0 = time.monotonic()
    os.write(fd, key)
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        raise TimeoutError("no answer to %r" % key)
    t = time.monotonic() - t0
    os.read(fd, 65536)
    drain(fd, 0.3)
    return t


def main():
    argv = sys.argv[1:]
    nkeys, login_only, typing = 10, False, False
    while argv and argv[0] != "--":
        if argv[0] == "--keys":
            nkeys = int(argv[1])
            argv = argv[2:]
        elif argv[0] == "--type":
            typing = True
            argv = argv[1:]
        elif argv[0] == "--login-only":
            login_only = True
            argv = argv[1:]
        else:
            sys.exit("usage: ssh_latency.py [--keys N] [--type] [--login-only] -- SSH_COMMAND...")
    cmd = argv[1:]
    if login_only:
        t0 = time.monotonic()
        rc = os.spawnvp(os.P_WAIT, cmd[0], cmd)
        print("login_only_s %.3f" % (time.monotonic() - t0))
        sys.exit(rc)
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        # a terminal's size, 80x24 (mosh-client will not start on 0x0)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.environ["TERM"] = "xterm"
        os.execvp(cmd[0], cmd)
    try:
        read_until(fd, MENU, 30)
        print("first_screen_s %.3f" % (time.monotonic() - t0))
        drain(fd, 0.5)
        times = []
        if typing:
            # students' list, then Ins: a new student, the cursor in a field
            for key, marker in ((b"1", "รายชื่อนักเรียน"), (b"1", "แถว"), (b"\x1b[2~", "เพิ่มใหม่")):
                os.write(fd, key)
                read_until(fd, marker.encode(), 30)
                drain(fd, 0.5)
            for i in range(2 * nkeys):
                times.append(echo_time(fd, str(i % 10).encode()))
        else:
            for _ in range(nkeys):
                times.append(echo_time(fd, b"\x1b[B"))   # Down
                times.append(echo_time(fd, b"\x1b[A"))   # Up
        print("echo_median_s %.3f" % statistics.median(times))
        print("echo_max_s %.3f" % max(times))
        os.write(fd, b"\x1b[21~")                     # F10: quit
        drain(fd, 1.0)
    finally:
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
