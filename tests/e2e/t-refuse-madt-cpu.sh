#!/bin/sh
# Review finding 3: the firmware's MADT lists a processor that MP services
# does not report (a test variant of the ACPI shim adds one). The OS could
# start it outside VMX, so the loader refuses naming it and halts before the
# VMM starts; Linux never boots.
. "$(dirname "$0")/lib.sh"

shim=$REPO/build/tests/e2e/acpi-shim-phantom.efi
need_file "$shim"
e2e_boot --acpi-shim "$shim" --cpus 1 --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'acpi-shim: TEST VARIANT: the MADT lists phantom processor APIC 1' \
	"the shim variant did not add the phantom processor"
expect_log com1 'mamori: refused: the ACPI MADT lets the OS start processor APIC 1, which MP services did not report enabled' \
	"no refusal naming the processor outside VMX"
expect_log com1 'mamori: a processor would stay outside VMX' "no loader failure line"
expect_log com1 'mamori: halted' "the loader did not halt"
expect_no_log com1 'starting the VMM' "the VMM was started"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
