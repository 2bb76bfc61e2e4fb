#!/usr/bin/env python3
"""CPU-bound bare-metal throughput: rvisor vs qemu-system-riscv64 (TCG).

Runs bench/bare/intloop.elf (integer sort/hash/sieve, self-checking against
the host-built result) alternately on rvisor (--firmware) and on QEMU's
virt machine (-bios none; the program exits through the SiFive test device
there), N times each, and prints wall-clock
median/min/max, guest MIPS (instructions from rvisor --stats; the program
is deterministic, so QEMU retires the same count) and the ratio.

bench/run covers this and more (docs/benchmarks.md).

usage: bench/cpu_bare.py [--runs 5] [--build build]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(argv):
    t = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    dt = time.monotonic() - t
    if p.returncode != 0:
        raise SystemExit("%s failed (status %d): %s" % (argv[0], p.returncode, p.stderr[-500:]))
    return dt, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    a = ap.parse_args()
    elf = os.path.join(a.build, "bench", "bare", "intloop.elf")
    rv = [os.path.join(a.build, "rvisor"), "run", "--stats", "--firmware", elf]
    qemu = ["qemu-system-riscv64", "-M", "virt", "-bios", "none", "-nographic",
            "-monitor", "none", "-kernel", elf]
    _, err = timed(rv)
    insns = int(re.search(r"(\d+) instructions", err).group(1))
    times = {"rvisor": [], "qemu": []}
    for _ in range(a.runs):
        times["rvisor"].append(timed(rv)[0])
        times["qemu"].append(timed(qemu)[0])
    res = {"instructions": insns}
    print("intloop: %d guest instructions; wall seconds over %d runs" % (insns, a.runs))
    for k, ts in times.items():
        med = statistics.median(ts)
        res[k] = {"median": med, "min": min(ts), "max": max(ts), "mips": insns / med / 1e6}
        print("%-8s median %.3f  min %.3f  max %.3f   %.0f MIPS"
              % (k, med, min(ts), max(ts), res[k]["mips"]))
    res["throughput_ratio_rvisor_vs_qemu"] = res["qemu"]["median"] / res["rvisor"]["median"]
    print("rvisor/QEMU throughput: %.2f" % res["throughput_ratio_rvisor_vs_qemu"])
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "cpu_bare.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
