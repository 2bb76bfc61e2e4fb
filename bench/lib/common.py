"""What the benchmark modules share: paths, the VMMs under test, running a
program with a wall clock around it, and the result table (Results/Row)."""
import os
import shlex
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(ROOT, "tests", "guest"))

# Both VMMs get the same machine: RAM and harts.
MEM = "256M"
SMP = 1


def log(msg):
    """Progress goes to stderr; the table goes to stdout."""
    print(msg, file=sys.stderr, flush=True)


def one_line(text, limit=300):
    """Failure reasons for the table: whitespace squeezed, the end kept."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else "..." + text[-limit:]


class BenchError(Exception):
    """A run that did not produce a valid result (crash, timeout, FAIL)."""


class Vmm:
    """One column of the table: rvisor in one mode, or QEMU.

    kind is "rvisor" or "qemu"; extra is the list of additional arguments
    (for rvisor: --rvisor-args and the mode's flags)."""

    def __init__(self, name, kind, binary, extra=()):
        self.name, self.kind, self.binary, self.extra = name, kind, binary, list(extra)

    def bare_argv(self, elf):
        if self.kind == "rvisor":
            return [self.binary, "run", "--mem", MEM, "--smp", str(SMP)] + self.extra + \
                ["--firmware", elf]
        return [self.binary, "-M", "virt", "-bios", "none", "-m", MEM, "-smp", str(SMP),
                "-nographic", "-monitor", "none"] + self.extra + ["-kernel", elf]

    def linux_argv(self, kernel, initrd, append):
        if self.kind == "rvisor":
            return [self.binary, "run", "--mem", MEM, "--smp", str(SMP)] + self.extra + \
                ["--kernel", kernel, "--initrd", initrd, "--append", append]
        return [self.binary, "-M", "virt", "-m", MEM, "-smp", str(SMP), "-nographic",
                "-monitor", "none", "-serial", "stdio"] + self.extra + \
            ["-kernel", kernel, "-initrd", initrd, "-append", append]

    def describe(self):
        return " ".join(shlex.quote(a) for a in [self.binary] + self.extra)


def timed_run(argv, timeout):
    """Run argv to completion; return (wall seconds, stdout). Raises
    BenchError on a non-zero exit or a timeout."""
    t = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError("timed out after %d s" % timeout) from None
    dt = time.monotonic() - t
    if p.returncode != 0:
        tail = (p.stdout[-300:] + p.stderr[-300:]).strip().replace("\n", " | ")
        raise BenchError("exit status %d: %s" % (p.returncode, tail))
    return dt, p.stdout


def make(subdir, out, quick=False):
    """Build one of bench/'s program directories into out."""
    argv = ["make", "-s", "-C", os.path.join(BENCH, subdir), "OUT=" + out]
    if quick:
        argv.append("QUICK=1")
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("building bench/%s failed:\n%s%s" % (subdir, p.stdout, p.stderr))


TIME, THROUGHPUT = "time", "throughput"


class Row:
    """One line of the table: a benchmark's metric, with every run's value
    per VMM. kind TIME means lower is better, THROUGHPUT higher is better."""

    def __init__(self, bench, metric, unit, kind, plot=None):
        self.bench, self.metric, self.unit, self.kind = bench, metric, unit, kind
        self.plot = plot  # "bar", ("memwalk", pages) or None
        self.values = {}  # vmm name -> [value per run]
        self.errors = {}  # vmm name -> first failure

    def add(self, vmm, value):
        self.values.setdefault(vmm, []).append(value)

    def fail(self, vmm, reason):
        self.errors.setdefault(vmm, one_line(reason))

    def stats(self, vmm):
        """(median, min, max) or None when the VMM has no valid run."""
        v = self.values.get(vmm)
        if not v or vmm in self.errors:
            return None
        return statistics.median(v), min(v), max(v)

    def ratio(self, vmm, base="qemu"):
        """rvisor/QEMU of the medians: time / time for TIME rows,
        throughput / throughput for THROUGHPUT rows."""
        a, b = self.stats(vmm), self.stats(base)
        if not a or not b or b[0] == 0:
            return None
        return a[0] / b[0]

    def speedup(self, vmm, base="qemu"):
        """How much faster vmm is than base (> 1: faster), either kind."""
        r = self.ratio(vmm, base)
        if r is None or r == 0:
            return None
        return r if self.kind == THROUGHPUT else 1 / r


class Results:
    def __init__(self, vmms):
        self.vmms = vmms
        self.rows = []
        self.extra = {}  # per benchmark: instruction counts, checksums, ...

    def row(self, bench, metric, unit, kind, plot=None):
        for r in self.rows:
            if r.bench == bench and r.metric == metric:
                return r
        r = Row(bench, metric, unit, kind, plot)
        self.rows.append(r)
        return r

    def failed(self):
        return any(r.errors for r in self.rows)
