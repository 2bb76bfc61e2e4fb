#!/usr/bin/env python3
"""SMP in a Linux guest: harts, CPU hotplug (SBI HSM stop/start), exact
atomics across harts, and the host CPU an idle 4-hart guest costs.

usage: test_smp.py RVISOR PROGS_CPIO
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Console, PROMPT, READY, fail, guest_dir  # noqa: E402

HARTS = 4
IDLE_SECONDS = 4.0
IDLE_BUDGET = 0.05  # fraction of one host core an idle guest may use


def initrd_with(base, extra):
    """base initramfs + the test programs' cpio (the kernel unpacks both)."""
    fd, path = tempfile.mkstemp(suffix=".cpio")
    with os.fdopen(fd, "wb") as out:
        data = open(base, "rb").read()
        out.write(data)
        out.write(b"\0" * (-len(data) % 4))  # archives start 4-byte aligned
        out.write(open(extra, "rb").read())
    return path


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    rvisor, progs = sys.argv[1], sys.argv[2]
    d = guest_dir()
    initrd = initrd_with(os.path.join(d, "initramfs.cpio.gz"), progs)
    argv = [rvisor, "run", "--smp", str(HARTS), "--kernel", os.path.join(d, "Image"),
            "--initrd", initrd, "--append", "console=ttyS0"]
    c = Console(argv, log=open(os.environ.get("GUEST_LOG", os.devnull), "w"))
    try:
        c.expect(READY, timeout=240)
        c.expect(PROMPT, timeout=60)

        out, _ = c.run("grep -c ^processor /proc/cpuinfo")
        if out.strip() != str(HARTS):
            fail("guest sees %r CPUs, want %d" % (out, HARTS))

        # idle cost, measured from the host's accounting of rvisor
        time.sleep(1.0)
        t0, c0 = time.monotonic(), cpu_seconds(c.proc.pid)
        time.sleep(IDLE_SECONDS)
        t1, c1 = time.monotonic(), cpu_seconds(c.proc.pid)
        idle = (c1 - c0) / (t1 - t0)
        if idle > IDLE_BUDGET:
            fail("idle %d-hart guest used %.1f%% of a host core (budget %.0f%%)"
                 % (HARTS, idle * 100, IDLE_BUDGET * 100))

        # hotplug: HSM stop and start through sysfs
        for cpu in range(1, HARTS):
            _, rc = c.run("echo 0 > /sys/devices/system/cpu/cpu%d/online" % cpu)
            if rc != 0:
                fail("offlining cpu%d failed" % cpu)
        out, _ = c.run("cat /sys/devices/system/cpu/online")
        if out.strip() != "0":
            fail("online CPUs after offlining: %r" % out)
        for cpu in range(1, HARTS):
            _, rc = c.run("echo 1 > /sys/devices/system/cpu/cpu%d/online" % cpu)
            if rc != 0:
                fail("onlining cpu%d failed" % cpu)
        out, _ = c.run("cat /sys/devices/system/cpu/online")
        if out.strip() != "0-%d" % (HARTS - 1):
            fail("online CPUs after onlining: %r" % out)

        out, rc = c.run("/bin/atomics %d 20000" % HARTS, timeout=300)
        if rc != 0 or "atomics: ok" not in out:
            fail("atomics: %r" % out)
        # code rewritten by one hart, run by another (write-TLB entries
        # of a page that becomes code must go in every hart)
        out, rc = c.run("/bin/xmodify 3000", timeout=300)
        if rc != 0 or "xmodify: ok" not in out:
            fail("xmodify: %r" % out)
        lat, _ = c.run("/bin/ipi_latency 2000", timeout=120)

        c.send("poweroff -f\n")
        rc = c.wait(60)
        if rc != 0:
            fail("poweroff: exit status %d" % rc)
        print("ok smp (idle %.2f%% of a core; %s)" % (idle * 100, lat.strip()))
    except Exception as e:  # noqa: BLE001
        c.kill()
        fail("smp: %s" % e)
    finally:
        os.unlink(initrd)


if __name__ == "__main__":
    main()
