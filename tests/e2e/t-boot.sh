#!/bin/sh
# The whole chain: mamori.efi -> vmm.elf -> back to the loader -> GRUB -> Linux
# (now a guest of Mamori) -> /init -> the scenario, whose exit code comes back.
. "$(dirname "$0")/lib.sh"

e2e_boot --scenario "$E2E_DIR/scenarios/boot.sh" --timeout 1050 --until 'mamori: halted'
expect_log com1 'Mamori loader' "no loader banner on COM1"
expect_log com2 'mamori: vmm' "no VMM banner ('mamori: vmm') on COM2"
# Issue 5: the development policy is verified and unlocked with the right passphrase.
expect_log com2 'policy: version [0-9]+ from key sha256:[0-9a-f]{64} .*verified' \
	"the VMM did not verify the policy"
expect_log com2 'policy: secrets unlocked \(.*attempt 1 of 3[;)]' "the passphrase did not unlock the policy"
expect_no_log com2 'mamori-dev' "the passphrase appears in the VMM log"
expect_log com1 'policy: version [0-9]+ recorded as the highest accepted' \
	"the loader did not record the accepted version"
expect_order com2 'policy: secrets unlocked' 'vmx: launching the firmware as guest'
# Issue 11: vmm.elf authenticated before it ran; Bochs' OVMF has no Secure
# Boot, so both the loader and the VMM must say the chain is unverified.
expect_order com1 'vmm.elf: signature verified, key sha256:[0-9a-f]{64}' 'loaded vmm.elf'
# Review 2 finding 2: the svn of the VMM that started is recorded (BS-only NV).
expect_log com1 'vmm.elf: no security version accepted before on this machine' \
	"the loader did not read MamoriVmmSvn (fresh machine)"
expect_order com1 'policy: version [0-9]+ recorded as the highest accepted' \
	'vmm.elf: security version [0-9]+ recorded as the highest accepted \(was 0\)'
expect_log com1 'WARNING: \*+ UEFI Secure Boot is OFF' "no Secure Boot warning from the loader"
expect_log com2 'boot: chain UNVERIFIED' "no unverified-chain warning in the VMM log"
# Finding 20: the VMM runs on its own W^X, no-execute page tables.
expect_log com2 'cpu: host page tables: identity \[0, 0x[0-9a-f]+\) NX, image W\^X' \
	"the host page tables are not W^X with NX"
expect_log com1 'Linux version' "Linux never started"
expect_order com1 'Mamori loader' 'Linux version'
expect_log com1 'MAMORI-GUEST-UP' "the guest's /init never ran"
expect_log com1 'E2E-BOOT-OK' "the scenario's checks did not pass"
expect_log com1 'MAMORI-SCENARIO-EXIT=0' "no exit marker from /init"
expect_rc 0
pass
