#!/bin/sh
# t-monitor (issue 14): the monitor partition beside the guest. Guest root
# tries a monitor-only hypercall from CPL 0, reads the VMM region (the
# monitor's private memory is inside it) through /dev/mem, and spins with
# interrupts off on cpu0 while the monitor keeps running.
fail() { echo "E2E-MON-FAIL: $*"; exit 1; }

echo "E2E-MON: cpus $(nproc)"

# A monitor hypercall (HC_MON_ALERT, 0x101) from the guest kernel: refused (-EPERM = -1).
modprobe mamori_exits try_hc=0x101 || fail "mamori_exits.ko did not load"
line=$(dmesg | grep 'mamori_exits: hypercall 0x101 from CPL 0 returned' | tail -n1)
echo "E2E-MON-HC: ${line#*] }"
rmmod mamori_exits

# /dev/mem: every page of each reserved range of 16 MiB or more below 4 GiB
# (the VMM region, with the monitor's memory inside it) reads as zeros.
n=0
for r in $(grep -i ': reserved$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
	start=$((0x${r%-*}))
	end=$((0x${r#*-} + 1))
	[ $((end - start)) -ge $((16 << 20)) ] && [ $end -le $((1 << 32)) ] || continue
	nz=$(dd if=/dev/mem bs=65536 skip=$((start / 65536)) count=$(((end - start) / 65536)) \
		2>/dev/null | tr -d '\000' | wc -c)
	echo "E2E-MON-SCAN 0x$(printf %x $start)-0x$(printf %x $end) nonzero $nz"
	n=$((n + 1))
done
[ $n -gt 0 ] || fail "no reserved range of 16 MiB or more"

# Spin 0.5 s (by the guest's TSC rate; ~8 s of the VMM's) with interrupts off on cpu0: the monitor must still get its slices.
taskset -c 0 modprobe mamori_exits spin_ms=500 || fail "spin load failed"
dmesg | grep 'mamori_exits: cpu.* spins' | tail -n1 | sed 's/^.*\] /E2E-MON-SPIN: /'
rmmod mamori_exits

# Busy work instead of sleep: the guest's sleeps follow its own idea of the
# TSC rate, which under Bochs is far from the VMM's (a "1500 ms" spin lasts
# about 25 s of the VMM's time), while CPU work gives the monitor its rounds.
busy() { head -c "$1" /dev/zero | md5sum >/dev/null; }
busy 30000000

# Review 3 F4: 64 same-value LSTAR writes (the old event ring's size), then
# CSTAR set to another value and restored at once: still an alert.
echo "E2E-MON-QUIET-END"
taskset -c 0 modprobe mamori_exits flood=64 flood_cstar=0xffffffff8badc0de || fail "flood failed"
dmesg | grep 'mamori_exits: cpu.* flood' | tail -n1 | sed 's/^.*\] /E2E-MON-FLOOD: /'
rmmod mamori_exits

# Attack on the syscall MSRs after the baseline: CSTAR on cpu0 (harmless on Intel).
taskset -c 0 modprobe mamori_exits set_cstar=0xffffffff8badf00d || fail "CSTAR write failed"
dmesg | grep 'mamori_exits: cpu.* CSTAR' | tail -n1 | sed 's/^.*\] /E2E-MON-CSTAR: /'
rmmod mamori_exits
busy 30000000
echo "E2E-MON-OK"
