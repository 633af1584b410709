#!/bin/sh
# Issue 5: anti-rollback. The development policy (version 1) must be refused
# once version 2 has been accepted on this machine.
#
# Under Bochs, OVMF keeps its variable store in RAM and it does not survive a
# reset (seen: after a guest `reboot -f` the loader found no variable), so
# "accepted at an earlier boot" cannot be produced by booting twice. A
# test-only shim, tests/e2e/efi/seed_rollback.c, takes the place of
# \EFI\BOOT\BOOTX64.EFI on this run's image copy: it writes the variable
# (MamoriPolicyVersion = 2, NV|BS, as boot/policy_var.c does) and starts the
# real loader. t-boot checks that the loader records what the VMM accepted.
. "$(dirname "$0")/lib.sh"

seed=$REPO/build/tests/e2e/seed-rollback.efi
need_file "$seed"
need_file "$REPO/build/mamori.efi"
need_file "$REPO/build/policy.bin"
v=$("$REPO/build/mamori-policy" inspect "$REPO/build/policy.bin" | sed -n 's/.*policy version \([0-9]*\).*/\1/p' | head -n1)
[ "$v" = 1 ] || fail "test bug: build/policy.bin has version '$v', want 1 (below the seeded 2)"

e2e_boot --esp-put "$REPO/build/mamori.efi=\\EFI\\mamori\\loader.efi" \
	--esp-put "$seed=\\EFI\\BOOT\\BOOTX64.EFI" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'seed-rollback: MamoriPolicyVersion := 2' "the shim did not seed the variable"
expect_log com1 'Mamori loader' "the shim did not start the loader"
expect_log com1 'policy: highest version accepted before: 2' \
	"the loader did not read version 2 from the UEFI variable"
expect_log com2 'policy: refused: version 1 is older than accepted version 2' \
	"the older policy was not refused as a rollback"
expect_no_log com2 'passphrase:' "the VMM asked for a passphrase for a rolled-back policy"
expect_log com1 'VMM refused to start: policy .*status 7.*halt' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
