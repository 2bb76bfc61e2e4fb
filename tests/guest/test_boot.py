#!/usr/bin/env python3
"""Boot the project's Linux guest, use its shell, power it off.

usage: test_boot.py RVISOR CASE
CASE: sbi-ttyS0, sbi-hvc0 (rvisor provides SBI), opensbi-ttyS0,
opensbi-hvc0 (Debian's OpenSBI fw_jump provides it), reboot, no-reboot,
panic (pvpanic ends the VM with a failure status), virtio (virtio-console
as hvc0 and virtio-rng).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Console, PROMPT, READY, fail, guest_dir  # noqa: E402

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"


def main():
    rvisor, case = sys.argv[1], sys.argv[2]
    d = guest_dir()
    argv = [rvisor, "run", "--kernel", os.path.join(d, "Image"),
            "--initrd", os.path.join(d, "initramfs.cpio.gz")]
    append = "console=ttyS0"
    if case.endswith("hvc0"):
        append = "earlycon=sbi console=hvc0"
    if case.startswith("opensbi"):
        argv += ["--firmware", OPENSBI]
    if case == "no-reboot":
        argv += ["--no-reboot"]
    if case == "virtio":
        argv += ["--console", "virtio", "--rng"]
        append = None  # rvisor's default for virtio-console: hvc1
    if append:
        argv += ["--append", append]

    c = Console(argv, log=open(os.environ.get("GUEST_LOG", os.devnull), "w"))
    try:
        c.expect(READY, timeout=180)
        c.expect(PROMPT, timeout=60)
        boot_s = c.elapsed()

        out, rc = c.run("uname -sm")
        if rc != 0 or "Linux riscv64" not in out:
            fail("uname: %r (status %d)" % (out, rc))
        out, rc = c.run("grep -m1 isa /proc/cpuinfo")
        if rc != 0 or "rv64imafdc" not in out:
            fail("cpuinfo isa: %r" % out)
        out, rc = c.run("echo $((123456789 * 987654321)) $((7 ** 20 % 1000003))")
        if out.split() != [str(123456789 * 987654321), str(7 ** 20 % 1000003)]:
            fail("arithmetic: %r" % out)
        out, rc = c.run("cat /sys/class/rtc/rtc0/since_epoch 2>/dev/null || date +%s")
        if rc != 0 or not out.strip().isdigit() or int(out.strip()) < 1700000000:
            fail("wall clock (goldfish RTC): %r" % out)
        out, rc = c.run("seq 1 200 | sha256sum")
        # the same pipeline on the host gives the reference digest
        import hashlib
        want = hashlib.sha256("".join("%d\n" % i for i in range(1, 201)).encode()).hexdigest()
        if want not in out:
            fail("sha256 of seq: %r" % out)

        if case == "virtio":
            out, rc = c.run("cat /sys/class/misc/hw_random/rng_current")
            if rc != 0 or "virtio" not in out:
                fail("hwrng: %r" % out)
            out, rc = c.run("head -c 4096 /dev/hwrng | od -An -tx1 | wc -l")
            if rc != 0 or out.strip() != "256":
                fail("reading /dev/hwrng: %r" % out)
            # the shell answering at all shows virtio-console carries input
            # (rvisor gives all input to it) and output
            out, rc = c.run("cat /proc/consoles")
            if "hvc1" not in out:
                fail("console is not virtio-console's hvc1: %r" % out)
        if case == "panic":
            # a kernel panic must end the VM with a failure, not hang it
            c.send("echo c > /proc/sysrq-trigger\n")
            rc = c.wait(120)
            err = c.stderr.decode(errors="replace")
            if rc == 0 or "panicked" not in err:
                fail("panic: exit status %d, stderr %r" % (rc, err[-300:]))
            print("ok panic (exit status %d)" % rc)
            return
        if case in ("reboot", "no-reboot"):
            c.send("reboot -f\n")
            if case == "reboot":
                c.expect(READY, timeout=180)
                c.expect(PROMPT, timeout=60)
            else:
                rc = c.wait(60)
                if rc != 0:
                    fail("--no-reboot: exit status %d" % rc)
                print("ok %s (boot %.1f s)" % (case, boot_s))
                return
        c.send("poweroff -f\n")
        rc = c.wait(60)
        if rc != 0:
            fail("poweroff: exit status %d, stderr %r" % (rc, c.stderr[-500:]))
        print("ok %s (boot %.1f s)" % (case, boot_s))
    except Exception as e:  # noqa: BLE001 - report any failure as a test failure
        c.kill()
        fail("%s: %s" % (case, e))


if __name__ == "__main__":
    main()
