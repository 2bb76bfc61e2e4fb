#!/bin/sh
# run.sh RVISOR - the guest tests: boot Linux in each configuration and use
# it; user-error handling. Prints PASS/FAIL per case and "N passed, N failed".
set -u
rvisor=$1
here=$(dirname "$0")
passed=0
failed=0
logdir=${GUEST_LOGDIR:-$(dirname "$rvisor")/tests/guest}
mkdir -p "$logdir"

run_case() { # name, command...
	name=$1
	shift
	if GUEST_LOG="$logdir/$name.log" "$@" >"$logdir/$name.out" 2>&1; then
		echo "PASS $name ($(tail -n 1 "$logdir/$name.out"))"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		tail -n 15 "$logdir/$name.out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

run_case errors python3 "$here/test_errors.py" "$rvisor"
for c in sbi-ttyS0 sbi-hvc0 opensbi-ttyS0 opensbi-hvc0 reboot no-reboot panic virtio; do
	run_case "boot-$c" python3 "$here/test_boot.py" "$rvisor" "$c"
done

for c in rw rw-workers kill ro; do
	run_case "disk-$c" python3 "$here/test_disk.py" "$rvisor" "$c"
done
run_case net-user python3 "$here/test_net.py" "$rvisor" user
run_case net-hostfwd-busy python3 "$here/test_net.py" "$rvisor" hostfwd-busy

progs=$(dirname "$rvisor")/tests/guest/progs/progs.cpio
run_case smp python3 "$here/test_smp.py" "$rvisor" "$progs"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
