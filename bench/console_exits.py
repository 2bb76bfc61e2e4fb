#!/usr/bin/env python3
"""VM exits per KiB of guest console output: ns16550a UART vs virtio-console.

The trap-and-emulate UART exits on every register access (at least two per
byte: LSR poll and THR write); virtio-console moves whole buffers through a
ring with one kick. For each console, the guest writes N KiB to its console
after boot; the difference in exits (from rvisor --stats) against a run
that writes nothing, divided by N, is the cost per KiB.

usage: bench/console_exits.py [--kib 64] [--rvisor build/rvisor]
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from guest import Console, PROMPT, READY, guest_dir  # noqa: E402


def exits(rvisor, console, kib):
    d = guest_dir()
    dev = "/dev/ttyS0" if console == "serial" else "/dev/hvc1"
    argv = [rvisor, "run", "--stats", "--console", console, "--kernel",
            os.path.join(d, "Image"), "--initrd", os.path.join(d, "initramfs.cpio.gz")]
    c = Console(argv)
    try:
        c.expect(READY, timeout=300)
        c.expect(PROMPT, timeout=60)
        if kib:
            # printable bytes, so the host side sees plain text
            c.run("yes 0123456789abcdef | head -c %d > %s" % (kib * 1024, dev),
                  timeout=600)
        c.send("poweroff -f\n")
        c.wait(120)
    finally:
        c.kill()
    err = c.stderr.decode(errors="replace")
    m = re.search(r"exits:(.*)", err)
    total = sum(int(v) for v in re.findall(r"=(\d+)", m.group(1))) if m else 0
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kib", type=int, default=64)
    ap.add_argument("--rvisor", default=os.path.join(HERE, "..", "build", "rvisor"))
    a = ap.parse_args()
    res = {}
    for console in ("serial", "virtio"):
        base = exits(a.rvisor, console, 0)
        loaded = exits(a.rvisor, console, a.kib)
        res[console] = (loaded - base) / a.kib
        print("%-7s console: %8.1f exits per KiB (%d KiB written)"
              % (console, res[console], a.kib))
    if res["virtio"] > 0:
        print("UART / virtio-console exits: %.1fx" % (res["serial"] / res["virtio"]))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "console_exits.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
