#!/bin/sh
# forkexec.sh EXECS PIPES - process creation in the guest: EXECS runs of
# /bin/true, then PIPES three-stage pipelines (subshell | tr | cat) whose
# output is hashed. Prints "forkexec n=EXECS md5=..." (the harness checks
# both) and the guest's own elapsed milliseconds.
t0=$(/bench/lbench now)
n=0
i=0
while [ $i -lt "$1" ]; do
	/bin/true && n=$((n + 1))
	i=$((i + 1))
done
md5=$(for i in $(seq "$2"); do echo "$i" | tr 0-9 a-j | cat; done | md5sum)
t1=$(/bench/lbench now)
echo "forkexec n=$n md5=${md5%% *} guest_ms $(echo "$t1 $t0" | awk '{printf "%.1f", $1 - $2}')"
