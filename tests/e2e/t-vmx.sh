#!/bin/sh
# Issue 3: Linux runs beneath Mamori (with the monitor partition of issue 14 beside it); CPUID shows the hypervisor, VMX is hidden;
# user-mode hypercalls and the VMM console are refused; root's /dev/mem reads
# of the VMM region see no VMM byte, its writes land in a sink, and the VMM
# logs each first access and keeps running.
# Folded into the same boot, review finding 26: a test-only shim
# (tests/e2e/efi/args_shim.c) starts the loader with the load options
# "next=\EFI\mamori\args-shim.efi -- MAMORI-NEXT-ARGS ..."; the loader starts
# the shim again as its next stage (beneath the VMM) with what followed "--",
# the shim prints it and starts GRUB as usual.
. "$(dirname "$0")/lib.sh"

shim=$REPO/build/tests/e2e/args-shim.efi
need_file "$shim"
# Issue 14, sharing this boot: the monitor partition with 1 CPU beside the
# same attacks (the 2-CPU case and its own checks are t-monitor).
need_file "$REPO/build/mamori-policy"
{ cat "$REPO/mgmt/dev-policy.txt"; echo "monitor checks=all interval=500 budget=20000"; } >"$E2E_OUT/monitor.txt"
MAMORI_E2E_PASS=mamori-dev "$REPO/build/mamori-policy" build \
	--key "$REPO/build/keys/policy-dev.key" --passphrase-env MAMORI_E2E_PASS \
	-o "$E2E_OUT/monitor.bin" "$E2E_OUT/monitor.txt" >/dev/null ||
	fail "mamori-policy build of the monitor policy failed"
e2e_boot --scenario "$E2E_DIR/scenarios/vmx.sh" --timeout 1050 --until 'mamori: halted' \
	--policy "$E2E_OUT/monitor.bin" \
	--esp-put "$REPO/build/mamori.efi=\\EFI\\mamori\\loader.efi" \
	--esp-put "$shim=\\EFI\\mamori\\args-shim.efi" --esp-put "$shim=\\EFI\\BOOT\\BOOTX64.EFI"
expect_log com1 'args-shim: starting .*loader.efi' "the shim did not start the loader"
expect_order com1 'VMM started \(status 0\)' 'args-shim: next stage load options'
expect_log com1 'args-shim: next stage load options: \[MAMORI-NEXT-ARGS root=/dev/x  --also\]' \
	"the next stage did not get the options after '--', unchanged"
expect_log com2 'boot: policy .*options "next=.*args-shim.efi "' \
	"the VMM did not get Mamori's part of the options"
expect_no_log com2 'boot: .*options .*MAMORI-NEXT-ARGS' "the next stage's options reached the VMM"
expect_log com2 'vmx: launching the firmware as guest' "the VMM never launched"
expect_log com1 'E2E-VMX: cpuid 0x40000000 = .*MamoriMamori' "no hypervisor signature"
expect_log com1 'E2E-VMX-OK' "the scenario's checks did not pass"
expect_rc 0
expect_log com2 'hypercall 1 from CPL 3 refused' "the VMM did not log the user-mode VMCALL"

# The VMM region from the VMM's own log; the guest must have read its first page.
base=$(sed -n 's/.*boot: region \(0x[0-9a-f]*\)\.\..*/\1/p' "$E2E_OUT/com2.log" | head -n1)
[ -n "$base" ] || fail "no 'boot: region' line in com2.log"
expect_log com1 "E2E-VMX-READ $base 0{64}" "the guest's read of the VMM base $base was not all zeros"
expect_log com2 "guest read of VMM memory at GPA $base refused" "no log line for the read of $base"
expect_log com2 "guest write of VMM memory at GPA $(printf 0x%x $((base + 0x3000))) refused" \
	"no log line for the write into the VMM region"
# Issue: executing from VMM memory ends in #UD for the guest, logged once.
x=$(printf 0x%x $((base + 0x5000)))
expect_log com1 "E2E-VMX-EXEC $x exit 132" "executing from the VMM region at $x did not die of SIGILL"
expect_log com2 "guest fetch of VMM memory at GPA $x refused" "no log line for the fetch at $x"
[ "$(grep -c "guest fetch of VMM memory at GPA $x" "$E2E_OUT/com2.log")" = 1 ] ||
	fail "the fetch at $x was logged more than once"
# The VMM kept running after the attack: it logged the exit statistics at power-off.
expect_order com2 "guest read of VMM memory at GPA $base" 'stats: [0-9]+ VM exits at guest power-off'
# The monitor partition ran beside the guest on its one CPU, quietly.
expect_log com2 'monitor: started: abi 1, checks 0x7, interval 500 ms, slice 20000 us, 1 vCPUs' \
	"the monitor program did not start"
expect_log com2 'monitor: baseline: cpu0 lstar 0x' "no syscall-MSR baseline with 1 CPU"
expect_log com2 'monitor: heartbeat 20: 1 vCPUs' "the monitor did not keep running"
expect_no_log com2 'monitor: ALERT (warn|crit)' "a quiet run raised a monitor alert"
expect_no_log com2 'monitor: (fault|slice overrun)' "the monitor faulted or overran"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
pass
