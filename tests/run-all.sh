#!/bin/sh
# run-all.sh BUILD_DIR - runs every test suite against one build and prints
# a summary per suite and the closing line "N passed, N failed".
# Suites: unit (cmocka; skipped cases are listed and counted apart, e.g. the
# JIT comparison on a host without a JIT), isa (bare-metal programs, each
# with the JIT and with --no-jit), guest (Linux boots) when the guest tests
# exist. Exit status is non-zero if anything failed.
set -u
build=${1:-build}
total_pass=0
total_fail=0

count() { # suite passed failed [skipped]
	if [ "${4:-0}" -gt 0 ]; then
		echo "== $1: $2 passed, $3 failed, $4 skipped"
	else
		echo "== $1: $2 passed, $3 failed"
	fi
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
}

# unit: each binary is one cmocka run; count its test cases
up=0
uf=0
us=0
for t in "$build"/tests/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	echo "$out" | grep -E '^\[  (FAILED|PASSED)  \]|^\[  ERROR   \]|^\[  SKIPPED \] [a-z_]' |
		awk '!seen[$0]++' | sed "s|^|$(basename "$t"): |"
	# a binary may run several groups: add up their counts
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	s=$(echo "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	p=${p:-0}
	f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed before cmocka could count
	fi
	up=$((up + p))
	uf=$((uf + f))
	us=$((us + ${s:-0}))
done
count unit $up $uf $us

# isa: bare-metal self-checking programs
out=$(tests/isa/run.sh "$build/rvisor" "$build/tests/isa")
echo "$out" | grep -v '^PASS'
line=$(echo "$out" | tail -n 1)
count isa "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')"

# guest: boots of the project's Linux guest
if [ -x tests/guest/run.sh ]; then
	out=$(tests/guest/run.sh "$build/rvisor")
	echo "$out" | grep -v '^PASS'
	line=$(echo "$out" | tail -n 1)
	count guest "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')"
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
