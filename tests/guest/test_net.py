#!/usr/bin/env python3
"""virtio-net with the user-mode (libslirp) backend, end to end.

usage: test_net.py RVISOR CASE
CASE:
  user          boot with --net user,hostfwd=tcp::PORT-:8080; DHCP on eth0;
                the guest fetches a file from an HTTP server on the host's
                127.0.0.1 (as http://10.0.2.2:PORT/) and checks its sha256;
                the host fetches files from busybox httpd in the guest
                through the forwarded port and checks them.
  hostfwd-busy  a hostfwd port already in use: one clear error, exit != 0.

Only loopback addresses are used on the host. $NET_BLOB_MB sets the size
of the file the guest downloads (default 4); the last line reports the
transfer rates.
"""
import hashlib
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Console, PROMPT, READY, fail, guest_dir  # noqa: E402

GUEST_PORT = 8080


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that stops reading early (head -c) resets


def serve_dir(path):
    """HTTP server on 127.0.0.1 (free port) serving path, in a thread."""
    handler = lambda *a, **kw: QuietHandler(*a, directory=path, **kw)  # noqa: E731
    srv = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def fetch(url, timeout=120):
    """GET url from the host side; retried while the guest server starts."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return r.read()
        except OSError as e:
            if time.monotonic() > deadline:
                raise RuntimeError("GET %s: %s" % (url, e))
            time.sleep(0.5)


def case_hostfwd_busy(rvisor):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    d = guest_dir()
    p = subprocess.run([rvisor, "run", "--kernel", os.path.join(d, "Image"),
                        "--initrd", os.path.join(d, "initramfs.cpio.gz"),
                        "--net", "user,hostfwd=tcp::%d-:%d" % (port, GUEST_PORT)],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       timeout=30)
    busy.close()
    if p.returncode == 0:
        fail("hostfwd on a busy port: exit status 0")
    lines = p.stderr.strip().splitlines()
    if len(lines) != 1 or str(port) not in lines[0] or "in use" not in lines[0]:
        fail("hostfwd on a busy port: stderr %r" % p.stderr)
    print("ok hostfwd-busy (%s)" % lines[0])


def case_user(rvisor):
    blob_mb = int(os.environ.get("NET_BLOB_MB", "4"))
    tmp = tempfile.mkdtemp(prefix="rvisor-net-")
    blob = os.urandom(blob_mb << 20)
    with open(os.path.join(tmp, "blob"), "wb") as f:
        f.write(blob)
    blob_sha = hashlib.sha256(blob).hexdigest()
    srv = serve_dir(tmp)
    http_port = srv.server_address[1]
    fwd_port = free_port()

    d = guest_dir()
    argv = [rvisor, "run", "--kernel", os.path.join(d, "Image"),
            "--initrd", os.path.join(d, "initramfs.cpio.gz"),
            "--append", "console=ttyS0",
            "--net", "user,hostfwd=tcp::%d-:%d" % (fwd_port, GUEST_PORT)]
    c = Console(argv, log=open(os.environ.get("GUEST_LOG", os.devnull), "w"))
    try:
        c.expect(READY, timeout=180)
        c.expect(PROMPT, timeout=60)

        out, rc = c.run("cat /sys/class/net/eth0/address")
        if rc != 0 or out.strip() != "52:54:00:12:34:56":
            fail("eth0 MAC: %r (status %d)" % (out, rc))
        out, rc = c.run("cat /sys/class/net/eth0/mtu")
        if out.strip() != "1500":
            fail("eth0 MTU: %r" % out)

        # DHCP from slirp: 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3
        out, rc = c.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1", timeout=60)
        if rc != 0:
            fail("udhcpc failed (status %d)" % rc)
        out, rc = c.run("ip -4 addr show dev eth0; ip route; cat /etc/resolv.conf")
        for want in ("inet 10.0.2.15/24", "default via 10.0.2.2", "nameserver 10.0.2.3"):
            if want not in out:
                fail("after DHCP, %r missing from:\n%s" % (want, out))

        # (1) guest -> host: wget from the host's loopback via 10.0.2.2
        t0 = time.monotonic()
        out, rc = c.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob" % http_port,
                        timeout=600)
        down_s = time.monotonic() - t0
        if rc != 0:
            fail("wget of %d MiB: %r (status %d)" % (blob_mb, out, rc))
        out, rc = c.run("sha256sum /tmp/blob", timeout=300)
        if rc != 0 or blob_sha not in out:
            fail("wget of %d MiB: %r (status %d), want %s"
                 % (blob_mb, out, rc, blob_sha))
        c.run("rm -f /tmp/blob")

        # (2) host -> guest: busybox httpd behind hostfwd
        greeting = "hello from the rvisor guest over virtio-net"
        out, rc = c.run("mkdir -p /tmp/www && echo '%s' > /tmp/www/hello.txt && "
                        "dd if=/dev/urandom of=/tmp/www/rand bs=64k count=32 "
                        "2>/dev/null && sha256sum /tmp/www/rand && "
                        "httpd -p %d -h /tmp/www" % (greeting, GUEST_PORT))
        if rc != 0:
            fail("starting httpd in the guest: %r (status %d)" % (out, rc))
        m = re.search(r"\b([0-9a-f]{64})\s+/tmp/www/rand", out)
        if not m:  # (kernel messages may share the console)
            fail("no sha256 of /tmp/www/rand in %r" % out)
        rand_sha = m.group(1)
        base = "http://127.0.0.1:%d" % fwd_port
        got = fetch(base + "/hello.txt").decode(errors="replace")
        if got != greeting + "\n":
            fail("hostfwd GET hello.txt: %r" % got)
        t0 = time.monotonic()
        got = fetch(base + "/rand")
        up_s = time.monotonic() - t0
        if hashlib.sha256(got).hexdigest() != rand_sha or len(got) != 2 << 20:
            fail("hostfwd GET rand: %d bytes, sha256 %s, want %s"
                 % (len(got), hashlib.sha256(got).hexdigest(), rand_sha))

        # the link keeps working after all that
        out, rc = c.run("wget -q -O - http://10.0.2.2:%d/blob | head -c 4096 | wc -c"
                        % http_port, timeout=60)
        if out.strip() != "4096":
            fail("second wget: %r" % out)

        c.send("poweroff -f\n")
        rc = c.wait(60)
        if rc != 0:
            fail("poweroff: exit status %d, stderr %r" % (rc, c.stderr[-500:]))
        print("ok user (guest wget %d MiB: %.2f MB/s; host GET 2 MiB from guest: %.2f MB/s)"
              % (blob_mb, (blob_mb << 20) / down_s / 1e6, (2 << 20) / up_s / 1e6))
    except Exception as e:  # noqa: BLE001 - report any failure as a test failure
        c.kill()
        fail("user: %s" % e)
    finally:
        c.kill()
        srv.shutdown()


def main():
    rvisor, case = sys.argv[1], sys.argv[2]
    if case == "user":
        case_user(rvisor)
    elif case == "hostfwd-busy":
        case_hostfwd_busy(rvisor)
    else:
        fail("unknown case %r" % case)


if __name__ == "__main__":
    main()
