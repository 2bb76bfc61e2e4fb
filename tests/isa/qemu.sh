#!/bin/sh
# usage: qemu.sh DIR [NAME...]
# Cross-checks the ISA tests on QEMU (developer aid; CI runs run.sh on rvisor).
# Uses `-M virt -bios none` (same CLINT/UART/test-device map as rvisor; the
# tests exit through the SiFive test device there). `-M spike` works too for
# most files, but QEMU's spike has no time CSR (so no rdtime or Sstc).
# Tests whose first lines say "QEMU 7.2 cannot run" are reported as SKIP; a
# header saying "QEMU 7.2 stops at check N" (a known QEMU deviation, placed
# last in the file) makes exit status N count as a pass (XFAIL), since all
# checks before N passed.
dir=$1
shift
[ -n "$dir" ] || { echo "usage: $0 DIR [NAME...]" >&2; exit 2; }
here=$(dirname "$0")
qemu=${QEMU:-qemu-system-riscv64}
cpu=${QEMU_CPU:-rv64,h=false,svpbmt=true,sstc=true}
passed=0
failed=0
skipped=0
if [ $# -eq 0 ]; then
	set -- $(cd "$dir" && ls *.elf | sed 's/\.elf$//')
fi
for name in "$@"; do
	if head -n 15 "$here/$name.S" 2>/dev/null | grep -q 'QEMU 7.2 cannot run'; then
		echo "SKIP $name"
		skipped=$((skipped + 1))
		continue
	fi
	timeout 30 "$qemu" -M virt -bios none -nographic -cpu "$cpu" -m 256M \
		-kernel "$dir/$name.elf" >"$dir/$name.qemu.log" 2>&1 </dev/null
	rc=$?
	xfail=$(head -n 25 "$here/$name.S" | sed -n 's/.*QEMU 7\.2 stops at check \([0-9]*\).*/\1/p' | head -n 1)
	if [ -n "$xfail" ] && [ $rc -eq "$xfail" ]; then
		echo "PASS $name (XFAIL: QEMU stops at check $xfail as expected)"
		passed=$((passed + 1))
	elif [ $rc -eq 0 ]; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (exit $rc)"
		grep -a 'FAIL check' "$dir/$name.qemu.log" | head -n 1 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
