#!/usr/bin/env python3
"""guest.py - drive a Linux guest on rvisor's console, as a person would.

A tiny expect: start rvisor with pipes for the console, wait for patterns
with a deadline, type commands, collect their output. Used by the guest
test cases (tests/guest/test_*.py) and the boot-time benchmark.
"""
import os
import re
import select
import subprocess
import sys
import time

PROMPT = "~ # "
READY = "rvisor-guest: ready"


def guest_dir():
    """The project's guest image (built by scripts/build-guest.sh), or
    $RVISOR_GUEST_DIR when set."""
    if os.environ.get("RVISOR_GUEST_DIR"):
        return os.environ["RVISOR_GUEST_DIR"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([os.path.join(root, "scripts", "build-guest.sh"), "--print-dir"],
                         capture_output=True, text=True)
    d = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if out.returncode != 0 or not os.path.isfile(os.path.join(d, "Image")):
        raise RuntimeError("guest image not built: run scripts/build-guest.sh")
    return d


class Timeout(Exception):
    pass


class Console:
    def __init__(self, argv, log=None, env=None):
        self.argv = argv
        self.log = log
        self.start = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.buf = ""
        self.all = ""
        self.stderr = b""

    def _read(self, timeout):
        fds = [self.proc.stdout, self.proc.stderr]
        r, _, _ = select.select(fds, [], [], timeout)
        got = False
        for f in r:
            data = os.read(f.fileno(), 65536)
            if not data:
                continue
            got = True
            if f is self.proc.stderr:
                self.stderr += data
                continue
            text = data.decode("utf-8", "replace")
            self.buf += text
            self.all += text
            if self.log:
                self.log.write(text)
                self.log.flush()
        return got

    def expect(self, pattern, timeout=60):
        """Wait for regex `pattern`; return the text before it and the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                before = self.buf[:m.start()]
                self.buf = self.buf[m.end():]
                return before, m
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout("timed out after %ds waiting for %r; last output:\n%s"
                              % (timeout, pattern, self.all[-2000:]))
            if not self._read(min(left, 0.5)) and self.proc.poll() is not None:
                # drain what is left, then give up
                while self._read(0):
                    pass
                m = rx.search(self.buf)
                if m:
                    continue
                raise Timeout("rvisor exited (status %s) while waiting for %r; "
                              "stderr: %s\nlast output:\n%s"
                              % (self.proc.returncode, pattern,
                                 self.stderr.decode(errors="replace")[-1000:],
                                 self.all[-2000:]))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, cmd, timeout=60):
        """Type a shell command; return its output and exit status.

        The output is framed by two markers that the typed line itself
        cannot contain (they are split by quotes), so line editing and
        wrapping of the echoed command do not matter."""
        n = int(time.monotonic() * 1000)
        begin, end = "__rvb%d__" % n, "__rve%d__" % n
        self.send("echo %s''%s; %s; echo %s''%s $?\n"
                  % (begin[:4], begin[4:], cmd, end[:4], end[4:]))
        self.expect(re.escape(begin) + r"\r*\n", timeout)
        before, m = self.expect(re.escape(end) + r" (\d+)\r*\n", timeout)
        self.expect(re.escape(PROMPT), timeout)
        return before.replace("\r", "").strip("\n"), int(m.group(1))

    def elapsed(self):
        return time.monotonic() - self.start

    def wait(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.proc.kill()
                raise Timeout("rvisor did not exit within %ds" % timeout)
            self._read(0.2)
        while self._read(0):
            pass
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)
