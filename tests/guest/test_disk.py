#!/usr/bin/env python3
"""virtio-blk seen from a Linux guest: ext4 on /dev/vda, data checked on the
host with e2fsprogs (debugfs, e2fsck).

usage: test_disk.py RVISOR CASE
CASE:
  rw          mount the project's ext4 test disk, check its files, write new
              ones (deterministic and random), sync, drop caches, read back,
              fstrim, unmount; on the host: e2fsck is clean and debugfs dumps
              the same bytes. A second rvisor on the same image is refused.
  rw-workers  the same with RVISOR_NO_IO_URING=1 (preadv/pwritev workers)
  kill        write + sync a file on ext4 and raw data (dd conv=fsync) on a
              second disk; once the guest says both are flushed, kill -9
              rvisor; the host finds the data in both images
  ro          --disk IMG,ro: the kernel sees a read-only disk, writes fail,
              mount -o ro works, the image is unchanged
  throughput  sequential write (64 MiB + fsync) and read (128 MiB) of a raw
              disk through the guest's page cache; prints MB/s, checks
              nothing. Timed with /proc/uptime, not by dd: userspace
              clock reads (rdtime) fault on a guest kernel without the SBI
              PMU driver, which is what sets scounteren.TM in Linux 6.1.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Console, PROMPT, READY, fail, guest_dir  # noqa: E402

SERIAL = "rvisor-disk0"
# The deterministic file: the guest makes it with seq | awk, the host
# computes the same bytes.
GEN_N = 200000
GEN_CMD = "seq 1 %d | awk '{print ($1 * 7919) %% 1000003}'" % GEN_N


def gen_bytes():
    return "".join("%d\n" % ((i * 7919) % 1000003) for i in range(1, GEN_N + 1)).encode()


def e2tool(name):
    for p in (shutil.which(name), "/sbin/" + name, "/usr/sbin/" + name):
        if p and os.path.exists(p):
            return p
    fail("%s (e2fsprogs) not found on the host" % name)


def debugfs_dump(img, path, out):
    p = subprocess.run([e2tool("debugfs"), "-R", "dump %s %s" % (path, out), img],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or not os.path.exists(out):
        fail("debugfs dump %s: %s" % (path, p.stderr.strip()))
    with open(out, "rb") as f:
        return f.read()


def e2fsck(img, fix=False):
    p = subprocess.run([e2tool("e2fsck"), "-f", "-y" if fix else "-n", img],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def boot(rvisor, disks, env=None):
    d = guest_dir()
    argv = [rvisor, "run", "--kernel", os.path.join(d, "Image"),
            "--initrd", os.path.join(d, "initramfs.cpio.gz"),
            "--append", "console=ttyS0"]
    for disk in disks:
        argv += ["--disk", disk]
    c = Console(argv, log=open(os.environ.get("GUEST_LOG", os.devnull), "w"), env=env)
    c.expect(READY, timeout=180)
    c.expect(PROMPT, timeout=60)
    return c


def must(c, cmd, timeout=120):
    out, rc = c.run(cmd, timeout)
    if rc != 0:
        fail("%r: status %d: %s" % (cmd, rc, out[-1000:]))
    return out


def sha_of(out):
    m = re.search(r"\b([0-9a-f]{64})\b", out)
    if not m:
        fail("no sha256 in %r" % out)
    return m.group(1)


def poweroff(c):
    c.send("poweroff -f\n")
    rc = c.wait(60)
    if rc != 0:
        fail("poweroff: exit status %d, stderr %r" % (rc, c.stderr[-500:]))


def copy_disk(tmp, name="disk.img"):
    img = os.path.join(tmp, name)
    shutil.copyfile(os.path.join(guest_dir(), "disk.ext4"), img)
    return img


def check_second_instance_refused(rvisor, img):
    """A second rvisor on an image in use fails at start and leaves it alone."""
    before = sha256_file(img)
    d = guest_dir()
    p = subprocess.run([rvisor, "run", "--kernel", os.path.join(d, "Image"), "--disk", img],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30)
    if p.returncode == 0 or "in use by another process" not in p.stderr:
        fail("second rvisor on %s: status %d, stderr %r" % (img, p.returncode, p.stderr))
    if sha256_file(img) != before:
        fail("the refused second rvisor changed the image")


def case_rw(rvisor, tmp, env=None):
    img = copy_disk(tmp)
    c = boot(rvisor, [img + ",serial=" + SERIAL], env)
    try:
        must(c, "test -b /dev/vda && test -d /sys/block/vda")
        out = must(c, "cat /sys/block/vda/size /sys/block/vda/ro")
        if out.split() != [str(64 << 11), "0"]:
            fail("vda size/ro: %r" % out)
        out, rc = c.run("cat /sys/block/vda/serial")
        if rc == 0 and out.strip() != SERIAL:  # absent on kernels without it
            fail("serial: %r" % out)
        check_second_instance_refused(rvisor, img)

        must(c, "mount -t ext4 /dev/vda /mnt")
        out = must(c, "(cd /mnt && sha256sum -c SHA256SUMS)")
        if out.count(": OK") != 2:
            fail("existing files: %r" % out)
        must(c, "mkdir -p /mnt/rvisor")
        must(c, GEN_CMD + " > /mnt/rvisor/gen.txt")
        must(c, "head -c %d /dev/urandom > /mnt/rvisor/rand.bin" % (4 << 20))
        gen_sha = sha_of(must(c, "sha256sum /mnt/rvisor/gen.txt"))
        rand_sha = sha_of(must(c, "sha256sum /mnt/rvisor/rand.bin"))
        if gen_sha != hashlib.sha256(gen_bytes()).hexdigest():
            fail("guest's gen.txt differs from the host's computation")
        must(c, "sync")
        # read back from the disk, not the page cache
        must(c, "echo 3 > /proc/sys/vm/drop_caches")
        if sha_of(must(c, "sha256sum /mnt/rvisor/gen.txt")) != gen_sha:
            fail("gen.txt read back differs")
        if sha_of(must(c, "sha256sum /mnt/rvisor/rand.bin")) != rand_sha:
            fail("rand.bin read back differs")
        must(c, "rm /mnt/rvisor/rand.bin && sync")
        out = must(c, "fstrim -v /mnt")  # discards the free space
        if "trimmed" not in out:
            fail("fstrim: %r" % out)
        if sha_of(must(c, "echo 3 > /proc/sys/vm/drop_caches; "
                          "sha256sum /mnt/rvisor/gen.txt")) != gen_sha:
            fail("gen.txt after fstrim differs")
        must(c, "umount /mnt")
        poweroff(c)
    except Exception as e:  # noqa: BLE001 - any failure is the test's
        fail("rw: %s" % e)
    finally:
        c.kill()

    rc, out = e2fsck(img)
    if rc != 0:
        fail("e2fsck -fn after a clean unmount: status %d\n%s" % (rc, out))
    if hashlib.sha256(debugfs_dump(img, "/rvisor/gen.txt", os.path.join(tmp, "gen"))).hexdigest() != gen_sha:
        fail("gen.txt in the image (debugfs) differs from the guest's")
    if debugfs_dump(img, "/hello.txt", os.path.join(tmp, "hello")) != b"hello from the rvisor test disk\n":
        fail("hello.txt changed")
    print("ok %s" % ("rw-workers" if env else "rw"))


def case_kill(rvisor, tmp):
    img = copy_disk(tmp)
    raw = os.path.join(tmp, "raw.img")
    with open(raw, "wb") as f:
        f.truncate(16 << 20)
    c = boot(rvisor, [img, raw])
    try:
        must(c, "mount -t ext4 /dev/vda /mnt")
        must(c, GEN_CMD + " > /mnt/marker.txt && sync /mnt/marker.txt && sync")
        # raw: fsync() of the block device is a FLUSH request
        must(c, GEN_CMD + " > /dev/vdb && fsync /dev/vdb")
        out = must(c, "echo flushed-$((6*7))")
        if "flushed-42" not in out:
            fail("guest did not report the flush: %r" % out)
    except BaseException as e:  # noqa: BLE001
        c.kill()
        if isinstance(e, SystemExit):
            raise
        fail("kill: %s" % e)
    c.proc.kill()  # SIGKILL: no cleanup in rvisor, no unmount in the guest
    c.proc.wait()
    if c.proc.returncode != -9:
        fail("rvisor exited with %d before it was killed" % c.proc.returncode)

    want = gen_bytes()
    with open(raw, "rb") as f:
        if f.read(len(want)) != want:
            fail("raw disk: the synced data is not in the image")
    # The ext4 image was not unmounted: let e2fsck replay the journal (on a
    # copy) as the next mount would, then look.
    fixed = os.path.join(tmp, "fixed.img")
    shutil.copyfile(img, fixed)
    rc, out = e2fsck(fixed, fix=True)
    if rc > 1:
        fail("e2fsck -fy after kill -9: status %d\n%s" % (rc, out))
    if debugfs_dump(fixed, "/marker.txt", os.path.join(tmp, "marker")) != want:
        fail("ext4: the synced file is not in the image")
    print("ok kill")


def case_ro(rvisor, tmp):
    img = copy_disk(tmp)
    before = sha256_file(img)
    c = boot(rvisor, [img + ",ro"])
    try:
        out = must(c, "cat /sys/block/vda/ro")
        if out.strip() != "1":
            fail("/sys/block/vda/ro: %r" % out)
        # busybox mount falls back to read-only on a write-protected disk;
        # either way the file system must not be writable
        c.run("mount -t ext4 -o rw /dev/vda /mnt")
        out, rc = c.run("touch /mnt/x")
        if rc == 0:
            fail("wrote a file on a read-only disk")
        c.run("umount /mnt")
        must(c, "mount -t ext4 -o ro /dev/vda /mnt")
        out = must(c, "(cd /mnt && sha256sum -c SHA256SUMS)")
        if out.count(": OK") != 2:
            fail("reading a read-only disk: %r" % out)
        # Linux refuses the write() itself (EPERM); busybox head reports
        # it but still exits 0. The image checksum below is the real test.
        out, rc = c.run("head -c 4096 /dev/zero > /dev/vda && fsync /dev/vda")
        if rc == 0 and "not permitted" not in out and "Read-only" not in out:
            fail("wrote to a read-only block device: %r" % out)
        must(c, "umount /mnt")
        poweroff(c)
    except Exception as e:  # noqa: BLE001
        fail("ro: %s" % e)
    finally:
        c.kill()
    if sha256_file(img) != before:
        fail("the read-only image changed")
    print("ok ro")


UPTIME = "cut -d' ' -f1 /proc/uptime"


def timed(c, cmd):
    """Seconds a guest command took, by the guest's /proc/uptime (10 ms
    resolution; userspace clock_gettime would need scounteren.TM)."""
    out = must(c, "a=$(%s); %s; b=$(%s); echo elapsed $a $b" % (UPTIME, cmd, UPTIME), 600)
    m = re.search(r"elapsed ([0-9.]+) ([0-9.]+)", out)
    if not m:
        fail("timing %r: %r" % (cmd, out))
    return max(float(m.group(2)) - float(m.group(1)), 0.01)


def case_throughput(rvisor, tmp):
    raw = os.path.join(tmp, "raw.img")
    with open(raw, "wb") as f:
        f.truncate(128 << 20)
    size = 64 << 20
    c = boot(rvisor, [raw])
    try:
        # through the guest's page cache, then written back and flushed
        w = timed(c, "head -c %d /dev/zero > /dev/vda && fsync /dev/vda" % size)
        must(c, "echo 3 > /proc/sys/vm/drop_caches")
        r = timed(c, "cat /dev/vda > /dev/null")  # 128 MiB
        poweroff(c)
    except Exception as e:  # noqa: BLE001
        fail("throughput: %s" % e)
    finally:
        c.kill()
    print("ok throughput: write %.1f MB/s (64 MiB + fsync), read %.1f MB/s "
          "(128 MiB, cold guest cache)" % (size / w / 1e6, 2 * size / r / 1e6))


def main():
    rvisor, case = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="rvisor-disk-")
    try:
        if case == "rw":
            case_rw(rvisor, tmp)
        elif case == "rw-workers":
            case_rw(rvisor, tmp, env=dict(os.environ, RVISOR_NO_IO_URING="1"))
        elif case == "kill":
            case_kill(rvisor, tmp)
        elif case == "ro":
            case_ro(rvisor, tmp)
        elif case == "throughput":
            case_throughput(rvisor, tmp)
        else:
            fail("unknown case %r" % case)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
