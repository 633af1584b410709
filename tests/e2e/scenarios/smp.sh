#!/bin/sh
# SMP (issue 4): every CPU is online, beneath Mamori, and keeps working under
# IPIs, scheduling, migration, and CPU offline/online. The test supplies
# /etc/mamori-smp.conf: CPUS=<count the machine has> STRESS_MS=<guest ms>,
# or THEN=<script> to run that script after the per-CPU checks instead of the
# stress and offline/online parts (t-smp-reboot: scenarios/reboot.sh).
# NATIVE=1 is for the baseline by hand only (run-bochs --no-vmm --acpi-shim):
# it expects what bare CPUs show (vmx, no hypervisor, no signature), which
# shows the checks tell the two apart. No test sets it.
fail() { echo "E2E-SMP-FAIL: $*"; exit 1; }
[ -r /etc/mamori-smp.conf ] || fail "no /etc/mamori-smp.conf"
. /etc/mamori-smp.conf
last=$((CPUS - 1))
want="0-$last"
[ "$CPUS" -gt 1 ] || want=0
SYS=/sys/devices/system/cpu
if [ "${NATIVE:-0}" = 1 ]; then
	want_h=0 want_v=1 flags="each with vmx, none with hypervisor (native baseline)"
	where="natively (baseline)"
else
	want_h=1 want_v=0 flags="each with hypervisor, none with vmx"
	where="beneath Mamori"
fi

online=$(cat $SYS/online)
n=$(nproc)
echo "E2E-SMP: online $online, nproc $n, want $CPUS"
[ "$online" = "$want" ] || fail "online CPUs $online, want $want"
[ "$n" = "$CPUS" ] || fail "nproc $n, want $CPUS"

# /proc/cpuinfo: one entry per CPU, each with hypervisor and without vmx.
entries=$(grep -c '^processor' /proc/cpuinfo)
[ "$entries" = "$CPUS" ] || fail "/proc/cpuinfo has $entries entries, want $CPUS"
bad=$(awk -v wh=$want_h -v wv=$want_v '/^processor/ { p = $3 }
	/^flags/ { h = 0; v = 0
		for (i = 3; i <= NF; i++) { if ($i == "hypervisor") h = 1; if ($i == "vmx") v = 1 }
		if (h != wh || v != wv) printf "cpu%s(hypervisor=%d,vmx=%d) ", p, h, v }' /proc/cpuinfo)
[ -z "$bad" ] || fail "cpuinfo flags wrong on $bad"
echo "E2E-SMP: cpuinfo: $entries entries, $flags"

# CPUID on each CPU: a CPU outside VMX would show no signature.
check_cpuid() {
	sig=$(taskset -c "$1" mamori-io cpuid 0x40000000) || fail "cpuid on cpu$1 failed"
	echo "E2E-SMP-CPUID cpu$1 $sig"
	case "${NATIVE:-0}:$sig" in
	0:*MamoriMamori*) ;;
	0:*) fail "cpu$1 shows no MamoriMamori signature: it runs outside Mamori" ;;
	1:*MamoriMamori*) fail "cpu$1 shows the signature without Mamori" ;;
	esac
}
for c in $(seq 0 $last); do
	check_cpuid "$c"
done
if [ -n "${THEN:-}" ]; then
	echo "E2E-SMP: $CPUS CPUs online $where; now $THEN"
	exec sh "$THEN"
fi

# All CPUs busy: smp-stress (cross-CPU pipe ping-pong, migrations, TLB
# shootdowns, getcpu checks) beside one shell loop per CPU hopping CPUs
# with taskset (fork/exec/exit on every CPU).
irqs() {
	awk -v k="$1:" '$1 == k { s = ""; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s = s " " $i; print s }' \
		/proc/interrupts
}
rm -f /tmp/stop /tmp/hops*
for c in $(seq 0 $last); do
	(i=0
	while [ ! -e /tmp/stop ]; do
		taskset -c $(((c + i) % CPUS)) true || exit 1
		i=$((i + 1))
	done
	echo $i >/tmp/hops$c) &
done
t0=$(cut -d' ' -f1 /proc/uptime)
smp-stress "$STRESS_MS"
rc=$?
touch /tmp/stop
wait
t1=$(cut -d' ' -f1 /proc/uptime)
echo "E2E-SMP: stress from uptime $t0 to $t1, smp-stress exit $rc"
[ "$rc" = 0 ] || fail "smp-stress failed (exit $rc)"
hops=
for c in $(seq 0 $last); do
	h=$(cat /tmp/hops$c 2>/dev/null)
	[ "${h:-0}" -gt 0 ] || fail "shell loop $c did not finish or never hopped"
	hops="$hops $h"
done
echo "E2E-SMP: shell loops hopped$hops times"
res=$(irqs RES)
tlb=$(irqs TLB)
cal=$(irqs CAL)
echo "E2E-SMP: IPIs per CPU: RES$res / CAL$cal / TLB$tlb"
[ "$(echo $res | wc -w)" = "$CPUS" ] || fail "RES counts for $(echo $res | wc -w) CPUs, want $CPUS"
if [ "$CPUS" -gt 1 ]; then	# one CPU sends itself no IPIs
	for v in $res; do
		[ "$v" -gt 0 ] || fail "a CPU received no rescheduling IPI: RES$res"
	done
fi

# NMIs: four rounds of NMI backtraces (sysrq l) reach the last CPU, each an NMI
# exit there; the VMM must unblock NMIs after each (finding 21: one of four).
if [ "$CPUS" -gt 1 ]; then
	nmis() { irqs NMI | awk -v c=$((last + 1)) '{ print $c }'; }
	n0=$(nmis)
	lvl=$(cut -f1 /proc/sys/kernel/printk)
	echo 1 >/proc/sys/kernel/printk	# the backtraces stay off the slow console
	for i in 1 2 3 4; do	# from cpu0: the CPU that asks backtraces itself without an NMI
		taskset -c 0 sh -c 'echo l >/proc/sysrq-trigger' || fail "sysrq l on cpu0 failed"
	done
	echo "$lvl" >/proc/sys/kernel/printk
	n1=$(nmis)
	echo "E2E-SMP: NMIs on cpu$last: $n0 before, $n1 after four NMI backtraces"
	[ $((n1 - n0)) -ge 4 ] || fail "cpu$last took $((n1 - n0)) of 4 NMIs"
fi

# Offline and online each secondary CPU through sysfs; it must come back
# beneath Mamori (INIT-SIPI-SIPI again).
for c in $(seq 1 $last); do
	echo 0 >$SYS/cpu$c/online || fail "offlining cpu$c failed"
	[ "$(cat $SYS/cpu$c/online)" = 0 ] || fail "cpu$c still online after offlining"
	off=$(cat $SYS/online)
	taskset -c "$c" true 2>/dev/null && fail "cpu$c offline but still runs tasks"
	echo 1 >$SYS/cpu$c/online || fail "onlining cpu$c failed"
	[ "$(cat $SYS/cpu$c/online)" = 1 ] || fail "cpu$c not online after onlining"
	echo "E2E-SMP: cpu$c offline (online was $off) and back"
	check_cpuid "$c"
done
online=$(cat $SYS/online)
[ "$online" = "$want" ] || fail "online CPUs $online after offline/online, want $want"
[ "$(nproc)" = "$CPUS" ] || fail "nproc $(nproc) after offline/online, want $CPUS"
echo "E2E-SMP-OK"
exit 0
