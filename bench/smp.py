#!/usr/bin/env python3
"""SMP numbers for a Linux guest: parallel speedup, idle cost, IPI latency.

- speedup: the guest runs tests/guest/progs/cpuburn with one thread per
  hart, each thread doing the same work; throughput with 2 harts divided
  by throughput with 1 (host wall time of the command, measured outside).
- idle: host CPU used by rvisor (utime+stime from /proc) while a 4-hart
  guest sits at its shell prompt, as a fraction of one core.
- ipi: round trips between two guest threads on different harts that
  hand over through futex wake-ups (each hand-over is an IPI).

usage: bench/smp.py [--rvisor build/rvisor] [--iters 20000000]
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from guest import Console, PROMPT, READY, guest_dir  # noqa: E402
from test_smp import cpu_seconds, initrd_with  # noqa: E402


def boot(rvisor, smp, initrd):
    d = guest_dir()
    c = Console([rvisor, "run", "--smp", str(smp), "--kernel", os.path.join(d, "Image"),
                 "--initrd", initrd, "--append", "console=ttyS0"])
    c.expect(READY, timeout=300)
    c.expect(PROMPT, timeout=60)
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rvisor", default=os.path.join(HERE, "..", "build", "rvisor"))
    ap.add_argument("--iters", type=int, default=20000000)
    a = ap.parse_args()
    progs = os.path.join(os.path.dirname(a.rvisor), "tests", "guest", "progs", "progs.cpio")
    initrd = initrd_with(os.path.join(guest_dir(), "initramfs.cpio.gz"), progs)
    res = {}
    try:
        rate = {}
        for smp in (1, 2):
            c = boot(a.rvisor, smp, initrd)
            t = time.monotonic()
            out, rc = c.run("/bin/cpuburn %d %d" % (smp, a.iters), timeout=900)
            dt = time.monotonic() - t
            rate[smp] = smp * a.iters / dt
            print("%d hart(s): %d threads x %d iterations in %.2f s (guest says: %s)"
                  % (smp, smp, a.iters, dt, out.strip()))
            c.send("poweroff -f\n")
            c.wait(60)
        res["speedup_2_vs_1"] = rate[2] / rate[1]
        print("2-hart / 1-hart throughput: %.2f" % res["speedup_2_vs_1"])

        c = boot(a.rvisor, 4, initrd)
        time.sleep(2)
        t0, c0 = time.monotonic(), cpu_seconds(c.proc.pid)
        time.sleep(10)
        t1, c1 = time.monotonic(), cpu_seconds(c.proc.pid)
        res["idle_core_fraction_4_harts"] = (c1 - c0) / (t1 - t0)
        print("idle 4-hart guest: %.2f%% of one host core"
              % (100 * res["idle_core_fraction_4_harts"]))
        out, _ = c.run("/bin/ipi_latency 5000", timeout=300)
        res["ipi_latency"] = out.strip()
        print(out.strip())
        c.send("poweroff -f\n")
        c.wait(60)
    finally:
        os.unlink(initrd)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "smp.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
