#!/usr/bin/env python3
"""virtio-blk: sequential read/write MB/s, rvisor vs QEMU on the same kernel
and image; and kicks and interrupts per MiB with and without event-idx.

Inside the guest (timed with /proc/uptime, so boot is not counted):
  read:  dd if=/dev/vda of=/dev/null bs=1M        (cold: fresh boot)
  write: dd if=/dev/zero of=/dev/vda bs=1M conv=fsync
Counters come from rvisor --stats (virtio-blk queue 0).

usage: bench/virtio_blk.py [--mib 64] [--runs 3] [--rvisor build/rvisor]
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from guest import Console, PROMPT, READY, guest_dir  # noqa: E402


def run(argv, mib, env=None):
    c = Console(argv, env=env)
    res = {}
    try:
        c.expect(READY, timeout=300)
        c.expect(PROMPT, timeout=60)
        for name, cmd in (("read", "dd if=/dev/vda of=/dev/null bs=1M count=%d" % mib),
                          ("write", "dd if=/dev/zero of=/dev/vda bs=1M count=%d conv=fsync" % mib)):
            out, rc = c.run("a=$(cut -d' ' -f1 /proc/uptime); %s 2>/dev/null; "
                            "b=$(cut -d' ' -f1 /proc/uptime); echo T $a $b" % cmd, timeout=900)
            m = re.search(r"T ([\d.]+) ([\d.]+)", out)
            res[name] = mib / (float(m.group(2)) - float(m.group(1)))
        c.send("poweroff -f\n")
        c.wait(120)
    finally:
        c.kill()
    err = c.stderr.decode(errors="replace")
    m = re.search(r"virtio-blk: q0 kicks=(\d+) chains=(\d+) irqs=(\d+) suppressed=(\d+)", err)
    if m:
        res["kicks"], res["chains"], res["irqs"], res["suppressed"] = map(int, m.groups())
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rvisor", default=os.path.join(HERE, "..", "build", "rvisor"))
    a = ap.parse_args()
    d = guest_dir()
    kernel, initrd = os.path.join(d, "Image"), os.path.join(d, "initramfs.cpio.gz")
    img = tempfile.NamedTemporaryFile(suffix=".img", delete=False).name
    os.truncate(img, (a.mib + 16) << 20)
    rv = [a.rvisor, "run", "--stats", "--kernel", kernel, "--initrd", initrd,
          "--append", "console=ttyS0", "--disk", img]
    qemu = ["qemu-system-riscv64", "-M", "virt", "-m", "256M", "-nographic",
            "-monitor", "none", "-serial", "stdio", "-kernel", kernel, "-initrd", initrd,
            "-append", "console=ttyS0", "-drive", "file=%s,format=raw,if=none,id=d0" % img,
            "-device", "virtio-blk-device,drive=d0"]
    results = {"rvisor": [], "qemu": []}
    try:
        for _ in range(a.runs):
            results["rvisor"].append(run(rv, a.mib))
            results["qemu"].append(run(qemu, a.mib))
        noidx = run(rv, a.mib, env=dict(os.environ, RVISOR_NO_EVENT_IDX="1"))
    finally:
        os.unlink(img)
    out = {}
    for vmm in ("rvisor", "qemu"):
        out[vmm] = {k: statistics.median(r[k] for r in results[vmm]) for k in ("read", "write")}
        print("%-7s read %6.1f MB/s   write %6.1f MB/s   (median of %d)"
              % (vmm, out[vmm]["read"], out[vmm]["write"], a.runs))
    for k in ("read", "write"):
        out["ratio_" + k] = out["rvisor"][k] / out["qemu"][k]
        print("rvisor/QEMU %s: %.2f" % (k, out["ratio_" + k]))
    total = 2 * a.mib
    for label, r in (("event-idx", results["rvisor"][0]), ("no event-idx", noidx)):
        if "kicks" in r:
            print("%-13s per MiB moved: %.1f kicks, %.1f interrupts (%.1f suppressed), %.1f requests"
                  % (label, r["kicks"] / total, r["irqs"] / total, r["suppressed"] / total,
                     r["chains"] / total))
            out[label] = {k: r[k] / total for k in ("kicks", "irqs", "suppressed", "chains")}
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "virtio_blk.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
