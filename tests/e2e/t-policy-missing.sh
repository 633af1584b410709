#!/bin/sh
# Issue 5: fail closed: no \EFI\mamori\policy.bin, no boot.
. "$(dirname "$0")/lib.sh"

e2e_boot --esp-rm '\EFI\mamori\policy.bin' --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'boot info: .*policy no' "the loader found a policy that was removed"
expect_log com2 'policy: no policy blob \(\\EFI\\mamori\\policy\.bin missing\)' \
	"no refusal naming the missing policy blob"
expect_log com1 'VMM refused to start: policy .*status 7.*halt' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
