#!/usr/bin/env python3
"""Bad input from a user: each gets one clear message and a non-zero exit.

usage: test_errors.py RVISOR
"""
import os
import subprocess
import sys
import tempfile


def check(rvisor, args, want, name):
    p = subprocess.run([rvisor, "run"] + args, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=30)
    if p.returncode == 0:
        return "%s: exit status 0" % name
    if want not in p.stderr:
        return "%s: stderr %r lacks %r" % (name, p.stderr, want)
    if len(p.stderr.strip().splitlines()) != 1:
        return "%s: expected one line of error, got %r" % (name, p.stderr)
    return None


def main():
    rvisor = sys.argv[1]
    tmp = tempfile.mkdtemp()
    garbage = os.path.join(tmp, "garbage")
    with open(garbage, "wb") as f:
        f.write(os.urandom(4096))
    empty = os.path.join(tmp, "empty")
    open(empty, "wb").close()
    x86elf = "/bin/true"
    trunc = os.path.join(tmp, "trunc.elf")
    with open(x86elf, "rb") as f:
        hdr = f.read(40)
    with open(trunc, "wb") as f:
        f.write(hdr[:4] + bytes([2, 1, 1]) + hdr[7:20])
    big = os.path.join(tmp, "big")
    with open(big, "wb") as f:
        f.truncate(40 << 20)

    cases = [
        (["--kernel", os.path.join(tmp, "missing")], "cannot open", "missing kernel"),
        (["--kernel", garbage], "neither a RISC-V Linux Image", "garbage kernel"),
        (["--kernel", empty], "is empty", "empty kernel"),
        (["--firmware", x86elf], "not RISC-V", "x86 ELF firmware"),
        (["--firmware", trunc], "truncated", "truncated ELF"),
        (["--firmware", os.path.join(tmp, "missing")], "cannot open", "missing firmware"),
        (["--firmware", big, "--mem", "32M"], "does not fit", "firmware larger than RAM"),
        (["--mem", "12Q"], "--mem", "bad --mem"),
        (["--mem", "1M"], "--mem", "too little --mem"),
        (["--smp", "0"], "--smp", "bad --smp"),
        (["--smp", "x"], "--smp", "non-numeric --smp"),
        (["--bogus"], "unknown option", "unknown option"),
        (["--kernel"], "needs an argument", "missing argument"),
        (["--initrd", garbage], "--initrd needs --kernel", "initrd without kernel"),
    ]
    # a kernel is needed to reach the initrd size check
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        from guest import guest_dir
        d = guest_dir()
        cases.append((["--kernel", os.path.join(d, "Image"), "--initrd", big, "--mem", "64M"],
                      "does not fit", "initrd larger than RAM allows"))
    except Exception:  # noqa: BLE001 - the image is optional for this test
        pass
    errors = [e for e in (check(rvisor, a, w, n) for a, w, n in cases) if e]
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("ok %d error cases" % len(cases))


if __name__ == "__main__":
    main()
