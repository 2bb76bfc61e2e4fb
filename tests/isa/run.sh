#!/bin/sh
# usage: run.sh RVISOR_BINARY DIR
# Runs every DIR/*.elf as `RVISOR_BINARY run --firmware FILE` twice: with the
# default engine (the JIT, where the host has one) and with --no-jit (the
# interpreter alone), 30 s limit each. Prints PASS/FAIL per run, named
# `NAME` and `NAME (no-jit)`, and a closing "N passed, N failed" line.
# ISA_ENGINES="jit" or "no-jit" runs only one of the two.
# Exit status is non-zero if any run failed.
# A test's exit status is the number of its failing check (see common.inc);
# 124 means the 30 s timeout was hit.

if [ $# -ne 2 ]; then
	echo "usage: $0 RVISOR_BINARY DIR" >&2
	exit 2
fi
rvisor=$1
dir=$2
engines=${ISA_ENGINES:-jit no-jit}
passed=0
failed=0

for elf in "$dir"/*.elf; do
	[ -e "$elf" ] || continue
	name=$(basename "$elf" .elf)
	for engine in $engines; do
		case $engine in
		jit)
			label=$name
			log="$dir/$name.log"
			set --
			;;
		no-jit)
			label="$name (no-jit)"
			log="$dir/$name.no-jit.log"
			set -- --no-jit
			;;
		*)
			echo "run.sh: unknown engine '$engine' in ISA_ENGINES" >&2
			exit 2
			;;
		esac
		timeout 30 "$rvisor" run "$@" --firmware "$elf" >"$log" 2>&1 </dev/null
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "PASS $label"
			passed=$((passed + 1))
		else
			echo "FAIL $label (exit $rc)"
			# show the test's own failure line, if it printed one
			grep -a 'FAIL check' "$log" | head -n 1 | sed 's/^/    /'
			failed=$((failed + 1))
		fi
	done
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
