"""Bare-metal benchmarks: the programs of bench/bare, run with
`rvisor run --firmware ELF` and `qemu-system-riscv64 -M virt -bios none
-kernel ELF`, timed by the wall clock around the whole process.

- startup: an empty program; the VMM's own start and exit cost.
- intloop, intmix, branchy, fp: CPU-bound, self-checking; reported as guest
  MIPS = instructions / wall seconds. The instruction count is the
  program's own minstret delta as rvisor reports it (the programs are
  deterministic, so every VMM retires the same count; QEMU without -icount
  returns host ticks in minstret, so its figure is not used).
- memwalk-N: Sv39 page-table walks over N pages; reported as nanoseconds
  per access = (wall - median startup time of that VMM) / accesses.
"""
import os
import re

from .common import THROUGHPUT, TIME, BenchError, Vmm, log, make, timed_run

CPU = ["intloop", "intmix", "branchy", "fp"]
MEMWALK_PAGES = [64, 256, 1024, 4096, 16384]
NAMES = ["startup"] + CPU + ["memwalk"]
TIMEOUT = 600  # seconds for one run; the slowest (nojit) should take ~20

REPORT = re.compile(r"bench (\S+) instret (\d+) result (PASS|FAIL)(.*)")
ACCESSES = re.compile(r"pages (\d+) accesses (\d+)")


def programs(names):
    progs = []
    if "startup" in names or "memwalk" in names:  # memwalk subtracts it
        progs.append("startup")
    progs += [p for p in CPU if p in names]
    if "memwalk" in names:
        progs += ["memwalk-%d" % n for n in MEMWALK_PAGES]
    return progs


def run_one(vmm, elf):
    """One run: (wall seconds, instret, accesses or None)."""
    wall, out = timed_run(vmm.bare_argv(elf), TIMEOUT)
    m = REPORT.search(out)
    if not m:
        raise BenchError("no report line in the output: %r" % out[-300:])
    if m.group(3) != "PASS":
        raise BenchError("self-check failed:%s" % m.group(4))
    a = ACCESSES.search(out)
    return wall, int(m.group(2)), int(a.group(2)) if a else None


def run(ctx, res, names):
    out = os.path.join(ctx.build, "bench", "bare-quick" if ctx.quick else "bare")
    make("bare", out, ctx.quick)
    progs = programs(names)
    walls = {p: {} for p in progs}
    instret = {p: {} for p in progs}  # per VMM, as each rvisor mode counts
    accesses = {}
    failed = {}
    for i in range(ctx.runs):
        for p in progs:
            elf = os.path.join(out, p + ".elf")
            for vmm in res.vmms:  # alternate VMMs run by run
                if (p, vmm.name) in failed:
                    continue
                try:
                    wall, n, acc = run_one(vmm, elf)
                except BenchError as e:
                    failed[(p, vmm.name)] = str(e)
                    log("[%d/%d] bare.%s on %s: FAIL: %s" % (i + 1, ctx.runs, p, vmm.name, e))
                    continue
                walls[p].setdefault(vmm.name, []).append(wall)
                if vmm.kind == "rvisor":
                    instret[p].setdefault(vmm.name, n)
                if acc:
                    accesses[p] = acc
                log("[%d/%d] bare.%s on %s: %.3f s" % (i + 1, ctx.runs, p, vmm.name, wall))

    counts = {}
    for p in progs:
        seen = set(instret[p].values())
        if len(seen) > 1:
            log("warning: bare.%s: rvisor modes retire different instruction counts: %s"
                % (p, instret[p]))
        if seen:
            counts[p] = next(iter(instret[p].values()))
    need = [p for p in progs if p in CPU and (ctx.check_instret or p not in counts)]
    if need:
        icount(res, out, need, counts)
    res.extra["bare"] = {"instret": counts, "instret_per_mode": instret,
                         "memwalk_accesses": accesses, "dir": out}

    def rows_for(p, row, value):
        for vmm in res.vmms:
            if (p, vmm.name) in failed:
                row.fail(vmm.name, failed[(p, vmm.name)])
            for w in walls[p].get(vmm.name, []):
                row.add(vmm.name, value(vmm, w))

    startup = {}
    if "startup" in progs:
        row = res.row("bare.startup", "wall", "s", TIME, plot="bar")
        rows_for("startup", row, lambda vmm, w: w)
        startup = {v.name: row.stats(v.name)[0] for v in res.vmms if row.stats(v.name)}
    for p in progs:
        if p in CPU:
            mips = res.row("bare." + p, "guest MIPS", "MIPS", THROUGHPUT, plot="bar")
            n = counts.get(p)
            if n is None:
                for vmm in res.vmms:
                    mips.fail(vmm.name, "no instruction count (no rvisor run passed)")
            else:
                rows_for(p, mips, lambda vmm, w: n / w / 1e6)
            rows_for(p, res.row("bare." + p, "wall", "s", TIME), lambda vmm, w: w)
        elif p.startswith("memwalk-"):
            pages = int(p.split("-")[1])
            acc = accesses.get(p)
            row = res.row("memwalk.%d" % pages, "time per access", "ns", TIME,
                          plot=("memwalk", pages))
            rows_for(p, row, lambda vmm, w: (w - startup.get(vmm.name, 0.0)) / acc * 1e9)


def icount(res, out, progs, counts):
    """Instruction counts from QEMU in -icount mode, where minstret counts
    instructions exactly: they check rvisor's (--check-instret), or stand
    in for them when no rvisor run passed. Only the CPU programs: QEMU
    counts a trapping ecall as retired (the spec says it does not retire),
    so memwalk's count differs by one there."""
    qemu = next(v for v in res.vmms if v.kind == "qemu")
    vmm = Vmm("qemu-icount", "qemu", qemu.binary, qemu.extra + ["-icount", "shift=0"])
    checked = {}
    for p in progs:
        try:
            _, n, _ = run_one(vmm, os.path.join(out, p + ".elf"))
        except BenchError as e:
            log("instret: bare.%s on QEMU -icount: %s" % (p, e))
            continue
        checked[p] = n
        if p not in counts:
            counts[p] = n
            log("instret: bare.%s: %d, from QEMU -icount (no rvisor count)" % (p, n))
        else:
            log("instret: bare.%s: QEMU -icount %d: %s" % (
                p, n, "ok" if counts[p] == n else "MISMATCH (rvisor %d)" % counts[p]))
    res.extra["instret_qemu_icount"] = checked
