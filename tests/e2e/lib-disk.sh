# Helpers for the disk-encryption tests tests/e2e/t-disk-*.sh (sourced after
# lib.sh; see docs/disk.md "Tests and measurements").
#
# The development policy encrypts GPT partition 2 of ATA channel 0 master with
# key disk0 (dm-crypt aes-xts-plain64). disk_check.py is the independent host
# side: it decrypts, encrypts and searches that partition.
#
# DISK_NATIVE=1 (by hand) boots --no-vmm and treats the partition as plaintext
# on the host: the baseline showing the guest side works, and that the raw
# image checks do fail when nothing encrypts.
DISK_CHECK="$E2E_DIR/disk_check.py"
DISK_NATIVE=${DISK_NATIVE:-0}
# The scenario's markers (scenarios/disk.sh), as hex for disk_check.py.
DISK_MARK_HEX=$(printf 'MAMORI-DISKPAT!\n' | od -An -tx1 | tr -d ' \n')
DISK_BENCH_HEX=$(printf 'MAMORI-BENCHPT!\n' | od -An -tx1 | tr -d ' \n')
DISK_CUT_HEX=$(printf 'MAMORI-PWRCUT!!\n' | od -An -tx1 | tr -d ' \n')
DISK_RAW_HEX=$(printf 'MAMORI-RAWATK!!\n' | od -An -tx1 | tr -d ' \n')
DISK_IN_SHA=

# disk_prepare_image: E2E_IMAGE := a private copy of the image whose partition 2
# holds an ext4 with /in.bin (256 KiB of random bytes, its sha256 in
# DISK_IN_SHA), encrypted with the policy's key.
disk_prepare_image() {
	src=$E2E_IMAGE
	[ -f "$src" ] || fail "image $src missing (make image)"
	need_file "$REPO/build/keys/dev-secrets.txt"
	part=$("$DISK_CHECK" part "$src") || fail "no partition 2 in $src"
	set -- $part
	mkdir -p "$E2E_OUT/in"
	head -c 262144 /dev/urandom >"$E2E_OUT/in/in.bin"
	DISK_IN_SHA=$(sha256sum "$E2E_OUT/in/in.bin" | cut -d' ' -f1)
	rm -f "$E2E_OUT/in.ext4"
	truncate -s $(($2 * 512)) "$E2E_OUT/in.ext4"
	mke2fs -q -t ext4 -L mamori-in -d "$E2E_OUT/in" "$E2E_OUT/in.ext4" \
		$(($2 / 2)) || fail "mke2fs -d of the host file system failed"
	cp --sparse=always "$src" "$E2E_OUT/input.img"
	if [ "$DISK_NATIVE" = 1 ]; then
		dd if="$E2E_OUT/in.ext4" of="$E2E_OUT/input.img" bs=512 seek="$1" \
			conv=notrunc status=none || fail "writing the plaintext partition"
	else
		"$DISK_CHECK" encrypt "$E2E_OUT/input.img" "$E2E_OUT/in.ext4" ||
			fail "encrypting the host file system into partition 2"
	fi
	rm -rf "$E2E_OUT/in" "$E2E_OUT/in.ext4"
	E2E_IMAGE=$E2E_OUT/input.img
	echo "disk: partition 2 at sector $1 ($2 sectors) holds in.bin sha256 $DISK_IN_SHA"
}

# disk_boot MODE STEPS [RUN-BOCHS-OPTIONS...]: one boot of scenarios/disk.sh.
disk_boot() {
	printf 'MODE=%s\nSTEPS="%s"\n' "$1" "$2" >"$E2E_OUT/mamori-disk.conf"
	shift 2
	[ "$DISK_NATIVE" != 1 ] || set -- --no-vmm "$@"
	e2e_boot --scenario "$E2E_DIR/scenarios/disk.sh" \
		--guest-put "$E2E_OUT/mamori-disk.conf=/etc/mamori-disk.conf" "$@"
	[ "$E2E_IMAGE" != "$E2E_OUT/input.img" ] || rm -f "$E2E_OUT/input.img"
}

# disk_expect_ciphertext HEX WHAT: the raw partition 2 of the run's image holds
# no copy of the 16 bytes HEX (with DISK_NATIVE=1: it must hold some).
disk_expect_ciphertext() {
	n=$("$DISK_CHECK" find "$E2E_OUT/disk.img" "$1") || true
	echo "disk: raw partition 2 holds $n copies of the $2 marker"
	case "$DISK_NATIVE:$n" in
	0:0|1:[1-9]*) ;;
	0:*) fail "plaintext of the $2 on the raw disk ($n copies of its marker in partition 2)" ;;
	*) fail "native baseline: the $2 is not on the raw disk (\"$n\")" ;;
	esac
}

# disk_decrypt OUT: partition 2 of the run's image, decrypted with the policy key.
disk_decrypt() {
	if [ "$DISK_NATIVE" = 1 ]; then
		part=$("$DISK_CHECK" part "$E2E_OUT/disk.img") || fail "no partition 2"
		set -- "$1" $part
		dd if="$E2E_OUT/disk.img" of="$1" bs=512 skip="$2" count="$3" status=none
	else
		"$DISK_CHECK" decrypt "$E2E_OUT/disk.img" "$1"
	fi || fail "cannot decrypt partition 2"
}

# disk_count_decrypted HEX: copies of the 16 bytes HEX in the decrypted partition.
disk_count_decrypted() {
	if [ "$DISK_NATIVE" = 1 ]; then
		"$DISK_CHECK" find "$E2E_OUT/disk.img" "$1"
	else
		"$DISK_CHECK" find --decrypt "$E2E_OUT/disk.img" "$1"
	fi || true
}

# disk_expect_pattern_file: the decrypted partition is an ext4 whose
# /pattern.bin (debugfs) is exactly the scenario's pattern.
disk_expect_pattern_file() {
	disk_decrypt "$E2E_OUT/part2.ext4"
	"$DISK_CHECK" pattern "$DISK_MARK_HEX" 1048576 "$E2E_OUT/pattern.want"
	debugfs -R 'cat /pattern.bin' "$E2E_OUT/part2.ext4" >"$E2E_OUT/pattern.got" \
		2>"$E2E_OUT/debugfs.err" || fail "debugfs cannot read the decrypted ext4 ($(head -c 200 "$E2E_OUT/debugfs.err"))"
	cmp -s "$E2E_OUT/pattern.want" "$E2E_OUT/pattern.got" ||
		fail "/pattern.bin in the decrypted partition is not the pattern ($(wc -c <"$E2E_OUT/pattern.got") bytes; debugfs: $(head -c 200 "$E2E_OUT/debugfs.err"))"
	echo "disk: decrypted partition 2: ext4 with /pattern.bin = the 1 MiB pattern"
	rm -f "$E2E_OUT/part2.ext4" "$E2E_OUT/pattern.want" "$E2E_OUT/pattern.got"
}

# disk_expect_read: the guest read /in.bin with the host's checksum.
disk_expect_read() {
	expect_log com1 'DISK-READ-OK' "the guest could not read the host-encrypted ext4 (see DISK-FAIL)"
	expect_log com1 "DISK-READ: in.bin sha256 $DISK_IN_SHA" \
		"the guest read /in.bin with a different sha256 than the host wrote ($(grep -a 'DISK-READ:' "$E2E_OUT/com1.log" | tr -d '\r'))"
}

# disk_report_exits: copy the DISK-EXITS lines into the test log.
disk_report_exits() {
	grep -a 'DISK-EXITS' "$E2E_OUT/com1.log" | tr -d '\r' | sed 's/^/disk: /' || true
}

# disk_expect_exits_and_write: the end both disk tests share: the exit counts
# reported, the raw write/read and the fresh ext4 done, the scenario finished
# with status 0 and no fatal VMM line, and on the host the partition holds
# neither pattern in the clear and decrypts to an ext4 with /pattern.bin.
disk_expect_exits_and_write() {
	disk_report_exits
	expect_log com1 'DISK-EXITS-OK' "the raw O_DIRECT write/read failed (see DISK-FAIL)"
	expect_log com1 'DISK-WRITE-OK' "mkfs.ext4 or writing /pattern.bin failed (see DISK-FAIL)"
	expect_log com1 'DISK-OK' "the scenario did not finish"
	expect_no_log com2 'FATAL|panic' "the VMM reported a fatal error"
	expect_rc 0
	disk_expect_ciphertext "$DISK_MARK_HEX" "file pattern"
	disk_expect_ciphertext "$DISK_BENCH_HEX" "raw O_DIRECT pattern"
	disk_expect_pattern_file
}

# disk_expect_raw_attack: the guest's raw-port sequences (mamori-ata
# raw-attack, finding 5) all ran; none left its marker in the clear in
# partition 2 (with DISK_NATIVE=1 some did); the ones that must run where the
# VMM decided left it, in plaintext, in the sector before the partition.
disk_expect_raw_attack() {
	expect_log com1 'DISK-RAWATTACK-OK' "the raw-port attack did not run (see DISK-FAIL)"
	grep -a 'mamori-ata: raw ' "$E2E_OUT/com1.log" | tr -d '\r' | sed 's/^/disk: /'
	for s in autoinc autoinc48 midxfer srst edd devreset devsel chs; do
		expect_log com1 "mamori-ata: raw $s: " "raw-port sequence $s did not report"
	done
	disk_expect_ciphertext "$DISK_RAW_HEX" "raw-port attack"
	part=$("$DISK_CHECK" part "$E2E_OUT/disk.img") || fail "no partition 2"
	set -- $part
	"$DISK_CHECK" pattern "$DISK_RAW_HEX" 512 "$E2E_OUT/raw.want"
	dd if="$E2E_OUT/disk.img" of="$E2E_OUT/raw.got" bs=512 skip=$(($1 - 1)) count=1 status=none
	cmp -s "$E2E_OUT/raw.want" "$E2E_OUT/raw.got" ||
		fail "sector $(($1 - 1)) (before partition 2) does not hold the marker the count-only write must leave there"
	echo "disk: sector $(($1 - 1)) holds the raw-port marker in plaintext (where the VMM decided)"
	rm -f "$E2E_OUT/raw.want" "$E2E_OUT/raw.got"
	[ "$DISK_NATIVE" = 1 ] ||
		expect_log com2 'not rewritten since a device reset' "no VMM line refusing a command on a stale taskfile"
}
