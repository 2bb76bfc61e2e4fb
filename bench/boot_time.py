#!/usr/bin/env python3
"""Linux boot to the shell prompt: rvisor vs qemu-system-riscv64, side by side.

Runs the project's guest (same kernel, same initramfs, same command line)
alternately on each VMM, N times, and prints median/min/max seconds from
process start to the guest's shell prompt, and the ratio rvisor/QEMU.
Writes bench/results/boot_time.json.

usage: bench/boot_time.py [--runs N] [--rvisor build/rvisor] [--smp N]
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from guest import Console, PROMPT, READY, guest_dir  # noqa: E402


def boot_once(argv):
    c = Console(argv)
    try:
        c.expect(READY, timeout=300)
        c.expect(PROMPT, timeout=60)
        t = c.elapsed()
        c.send("poweroff -f\n")
        c.wait(60)
        return t
    finally:
        c.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rvisor", default=os.path.join(HERE, "..", "build", "rvisor"))
    ap.add_argument("--smp", type=int, default=1)
    a = ap.parse_args()
    d = guest_dir()
    kernel, initrd = os.path.join(d, "Image"), os.path.join(d, "initramfs.cpio.gz")
    append = "console=ttyS0"
    vmms = {
        "rvisor": [a.rvisor, "run", "--smp", str(a.smp), "--kernel", kernel,
                   "--initrd", initrd, "--append", append],
        "rvisor+opensbi": [a.rvisor, "run", "--smp", str(a.smp), "--firmware",
                           "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin",
                           "--kernel", kernel, "--initrd", initrd, "--append", append],
        "qemu": ["qemu-system-riscv64", "-M", "virt", "-m", "256M", "-smp", str(a.smp),
                 "-nographic", "-monitor", "none", "-serial", "stdio",
                 "-kernel", kernel, "-initrd", initrd, "-append", append],
    }
    times = {k: [] for k in vmms}
    for _ in range(a.runs):
        for name, argv in vmms.items():  # alternate, so drift hits all alike
            times[name].append(boot_once(argv))
    res = {}
    print("%-16s %8s %8s %8s   (seconds to the shell prompt, %d runs)"
          % ("vmm", "median", "min", "max", a.runs))
    for name, ts in times.items():
        res[name] = {"median": statistics.median(ts), "min": min(ts), "max": max(ts), "runs": ts}
        print("%-16s %8.2f %8.2f %8.2f" % (name, res[name]["median"], min(ts), max(ts)))
    for name in ("rvisor", "rvisor+opensbi"):
        r = res[name]["median"] / res["qemu"]["median"]
        res[name]["ratio_vs_qemu"] = r
        print("%s / qemu boot time: %.2f" % (name, r))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "boot_time.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
