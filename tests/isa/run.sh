#!/bin/sh
# usage: run.sh RVISOR_BINARY DIR
# Runs every DIR/*.elf as `RVISOR_BINARY run --firmware FILE` (30 s limit each),
# prints PASS/FAIL per test and a closing "N passed, N failed" line.
# Exit status is non-zero if any test failed.
# A test's exit status is the number of its failing check (see common.inc);
# 124 means the 30 s timeout was hit.

if [ $# -ne 2 ]; then
	echo "usage: $0 RVISOR_BINARY DIR" >&2
	exit 2
fi
rvisor=$1
dir=$2
passed=0
failed=0

for elf in "$dir"/*.elf; do
	[ -e "$elf" ] || continue
	name=$(basename "$elf" .elf)
	log="$dir/$name.log"
	timeout 30 "$rvisor" run --firmware "$elf" >"$log" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (exit $rc)"
		# show the test's own failure line, if it printed one
		grep -a 'FAIL check' "$log" | head -n 1 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
