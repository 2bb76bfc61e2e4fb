"""Linux-guest benchmarks: each run boots the project's guest once per VMM
(same kernel, same initramfs plus bench/linux's archive, same command
line, same RAM and harts) and then types the workloads at its shell.

- boot: seconds from starting the VMM to the shell prompt (QEMU boots
  through its bundled OpenSBI, rvisor through its own SBI);
- sort, hash, lz: /bench/lbench NAME SCALE, CPU-bound and self-checking;
  the checksum it prints must equal the host build's;
- forkexec: /bench/forkexec.sh, a loop of /bin/true execs and of
  three-process pipelines, checked by count and md5.

Workloads are timed by the wall clock from typing the command to the
completion marker the shell prints after it ("wall"), and by the guest's
own CLOCK_MONOTONIC ("guest clock").
"""
import hashlib
import os
import re
import subprocess
import time

from .common import TIME, BenchError, log, make, one_line

from guest import PROMPT, READY, Console, Timeout, guest_dir  # noqa: E402  (tests/guest)
from test_smp import initrd_with  # noqa: E402

NAMES = ["boot", "sort", "hash", "lz", "forkexec"]
APPEND = "console=ttyS0"
# (scale, quick scale): about 1-2 s each on QEMU 7.2 on a 2020s x86 core
SCALE = {"sort": (36, 2), "hash": (4, 1), "lz": (40, 2), "forkexec": ((150, 75), (20, 10))}
BOOT_TIMEOUT = 300
RUN_TIMEOUT = 900

LBENCH = re.compile(r"lbench (\w+) (PASS|FAIL) checksum (0x[0-9a-f]+) guest_ms ([\d.]+)")
FORKEXEC = re.compile(r"forkexec n=(\d+) md5=([0-9a-f]+) guest_ms ([\d.]+)")
DONE = "__rvbench_done__"


class Workload:
    def __init__(self, name, scale, host_dir):
        self.name = name
        if name == "forkexec":
            execs, pipes = scale
            self.cmd = "/bench/forkexec.sh %d %d" % (execs, pipes)
            text = "".join(str(i).translate(str.maketrans("0123456789", "abcdefghij")) + "\n"
                           for i in range(1, pipes + 1))
            self.want = (str(execs), hashlib.md5(text.encode()).hexdigest())
        else:
            self.cmd = "/bench/lbench %s %d" % (name, scale)
            host = subprocess.run([os.path.join(host_dir, "lbench-host"), name, str(scale)],
                                  capture_output=True, text=True, check=True).stdout
            self.want = LBENCH.search(host).group(3)

    def check(self, out):
        """Validate the command's output; return the guest-clock seconds."""
        if self.name == "forkexec":
            m = FORKEXEC.search(out)
            if not m:
                raise BenchError("no result line: %r" % out[-300:])
            if (m.group(1), m.group(2)) != self.want:
                raise BenchError("got n=%s md5=%s, want n=%s md5=%s" % (m.groups()[:2] + self.want))
            return float(m.group(3)) / 1e3
        m = LBENCH.search(out)
        if not m:
            raise BenchError("no result line: %r" % out[-300:])
        if m.group(2) != "PASS" or m.group(3) != self.want:
            raise BenchError("%s checksum %s (host: %s)" % (m.group(2), m.group(3), self.want))
        return float(m.group(4)) / 1e3


def timed_command(c, cmd, timeout):
    """Type cmd at the shell; return (wall seconds until the completion
    marker, the output). The marker is split by quotes in the typed line,
    so the echo of the line itself does not match."""
    t = time.monotonic()
    c.send("%s; echo %s''%s $?\n" % (cmd, DONE[:6], DONE[6:]))
    before, m = c.expect(re.escape(DONE) + r" (\d+)\r*\n", timeout)
    wall = time.monotonic() - t
    c.expect(re.escape(PROMPT), 30)
    if m.group(1) != "0":
        raise BenchError("exit status %s: %r" % (m.group(1), before[-300:]))
    return wall, before.replace("\r", "")


def one_boot(res, vmm, argv, workloads, want_boot, failed, tag):
    """Boot once on vmm, run every workload; rows get this run's values."""
    c = Console(argv)
    try:
        try:
            c.expect(READY, BOOT_TIMEOUT)
            c.expect(PROMPT, 60)
        except Timeout as e:
            raise BenchError("boot: %s" % str(e)[-500:]) from None
        boot = c.elapsed()
        if want_boot:
            res.row("linux.boot", "to shell prompt", "s", TIME, plot="bar").add(vmm.name, boot)
        log("%s linux.boot on %s: %.2f s" % (tag, vmm.name, boot))
        for w in workloads:
            if (w.name, vmm.name) in failed:
                continue
            try:
                wall, out = timed_command(c, w.cmd, RUN_TIMEOUT)
                guest = w.check(out)
            except (BenchError, Timeout) as e:
                failed[(w.name, vmm.name)] = one_line(e)
                log("%s linux.%s on %s: FAIL: %s" % (tag, w.name, vmm.name, one_line(e)))
                if isinstance(e, Timeout):
                    break  # the console is in an unknown state
                continue
            res.row("linux." + w.name, "wall", "s", TIME, plot="bar").add(vmm.name, wall)
            res.row("linux." + w.name, "guest clock", "s", TIME).add(vmm.name, guest)
            log("%s linux.%s on %s: %.2f s (guest clock %.2f s)"
                % (tag, w.name, vmm.name, wall, guest))
        c.send("poweroff -f\n")
        try:
            c.wait(60)
        except Timeout:
            log("%s %s did not power off; killed" % (tag, vmm.name))
    finally:
        c.kill()


def preflight():
    """The guest image directory, or exit with what to do (before any run)."""
    try:
        d = guest_dir()
    except RuntimeError as e:
        raise SystemExit("bench/run: %s (or use --only bare)" % e) from None
    for f in ("Image", "initramfs.cpio.gz"):
        if not os.path.isfile(os.path.join(d, f)):
            raise SystemExit("bench/run: no %s in the guest directory %s" % (f, d))
    return d


def run(ctx, res, names):
    out = os.path.join(ctx.build, "bench", "linux")
    make("linux", out)
    d = preflight()
    kernel = os.path.join(d, "Image")
    initrd = initrd_with(os.path.join(d, "initramfs.cpio.gz"), os.path.join(out, "bench.cpio"))
    workloads = [Workload(n, SCALE[n][1 if ctx.quick else 0], out)
                 for n in NAMES[1:] if n in names]
    res.extra["linux"] = {"guest": d, "append": APPEND,
                          "commands": {w.name: w.cmd for w in workloads}}
    rows = {}  # every row up front, in table order
    if "boot" in names:
        rows["boot"] = [res.row("linux.boot", "to shell prompt", "s", TIME, plot="bar")]
    for w in workloads:
        rows[w.name] = [res.row("linux." + w.name, "wall", "s", TIME, plot="bar"),
                        res.row("linux." + w.name, "guest clock", "s", TIME)]
    failed = {}  # (workload or "boot", vmm name) -> reason
    try:
        for i in range(ctx.runs):
            for vmm in res.vmms:  # alternate VMMs run by run
                if ("boot", vmm.name) in failed:
                    continue
                tag = "[%d/%d]" % (i + 1, ctx.runs)
                try:
                    one_boot(res, vmm, vmm.linux_argv(kernel, initrd, APPEND), workloads,
                             "boot" in names, failed, tag)
                except BenchError as e:
                    failed[("boot", vmm.name)] = one_line(e)
                    log("%s linux.boot on %s: FAIL: %s" % (tag, vmm.name, one_line(e)))
    finally:
        os.unlink(initrd)
    for (name, vmm), reason in failed.items():
        for row in rows.values() if name == "boot" else [rows[name]]:
            for r in row:
                r.fail(vmm, reason)
