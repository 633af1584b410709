# Helpers for the SMP tests (t-smp-*.sh; sourced after lib.sh). They boot
# with tools/run-bochs --acpi-shim (test-only ACPI tables: without a MADT,
# Linux on Bochs+OVMF sees one CPU) and scenarios/smp.sh.

# smp_boot CPUS CONF RUN-BOCHS-OPTIONS...: one boot with CPUS CPUs; CONF is the
# text of the scenario's /etc/mamori-smp.conf.
smp_boot() {
	cpus=$1 conf=$2
	shift 2
	need_file "$REPO/build/acpi-shim.efi"
	printf 'CPUS=%s\n%s\n' "$cpus" "$conf" >"$E2E_OUT/mamori-smp.conf"
	e2e_boot --acpi-shim --cpus "$cpus" --scenario "$E2E_DIR/scenarios/smp.sh" \
		--guest-put "$E2E_OUT/mamori-smp.conf=/etc/mamori-smp.conf" "$@"
}

# expect_smp_tables CPUS [BOOTS]: the shim installed a MADT with CPUS CPUs
# (on each of BOOTS boots, default 1).
expect_smp_tables() {
	n=$(grep -acE "acpi-shim: RSDP 0x[0-9a-fA-F]+: MADT $1 CPUs" "$E2E_OUT/com1.log" || true)
	[ "$n" = "${2:-1}" ] || fail "acpi-shim installed a MADT with $1 CPUs $n times, want ${2:-1}"
}

# expect_smp_vmm CPUS [BOOTS]: Mamori brought every CPU beneath it on each boot:
# `smp: CPUS CPUs beneath the VMM` once per boot, and for each AP a line
# `cpuK: ... SIPI` (docs/architecture.md: `cpuK: APIC n in VMX non-root,
# waiting for SIPI`).
expect_smp_vmm() {
	n=$(grep -acE "smp: $1 CPUs beneath the VMM" "$E2E_OUT/com2.log" || true)
	[ "$n" = "${2:-1}" ] || fail "com2.log: 'smp: $1 CPUs beneath the VMM' $n times, want ${2:-1}"
	k=1
	while [ "$k" -lt "$1" ]; do
		expect_log com2 "cpu$k: .*SIPI" "com2.log: no 'cpu$k: ... SIPI' line: cpu$k never came up beneath the VMM"
		k=$((k + 1))
	done
	expect_no_log com2 "cpu$1: .*SIPI" "com2.log: a line for cpu$1, but the machine has $1 CPUs"
}
