#!/bin/sh
# Pieces of the Bochs+OVMF test image (driven by tools/image.mk).
#
#   mkimage.sh kernel CACHE KDIR      fetch Debian's linux-image-amd64 target
#                                     (.deb cached in CACHE), unpack it in KDIR,
#                                     run depmod; writes KDIR/kver
#   mkimage.sh grub CFG CMDLINE OUT   grub-mkstandalone x86_64-efi with CFG
#                                     embedded, @CMDLINE@ replaced by CMDLINE
#   mkimage.sh disk OUT ESP_MIB DATA_MIB ESP_PATH=LOCAL...
#                                     GPT disk: FAT32 ESP holding the files,
#                                     then an empty ext4 data partition
set -eu

die() { echo "mkimage: $*" >&2; exit 1; }

# The kernel package linux-image-amd64 currently points at.
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

cmd_kernel() {
	cache=$1 kdir=$2
	mkdir -p "$cache"
	pkg=$(kernel_pkg)
	if [ -n "$pkg" ]; then
		deb=$(ls "$cache/${pkg}"_*_amd64.deb 2>/dev/null | tail -n 1 || true)
		if [ -z "$deb" ]; then
			echo "mkimage: downloading $pkg into $cache"
			(cd "$cache" && apt-get download -q "$pkg") ||
				die "apt-get download $pkg failed"
			deb=$(ls "$cache/${pkg}"_*_amd64.deb | tail -n 1)
		fi
	else
		# Offline or no apt metadata: use what the cache has.
		deb=$(ls "$cache"/linux-image-[0-9]*-amd64_*_amd64.deb 2>/dev/null |
			tail -n 1 || true)
		[ -n "$deb" ] || die "cannot resolve linux-image-amd64 (apt-get update?) and $cache has no kernel .deb"
	fi
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp"
	dpkg-deb -x "$deb" "$kdir.tmp" || die "dpkg-deb -x $deb failed"
	kver=$(ls "$kdir.tmp/lib/modules" | head -n 1)
	[ -n "$kver" ] && [ -f "$kdir.tmp/boot/vmlinuz-$kver" ] ||
		die "$deb holds no vmlinuz/modules"
	depmod -b "$kdir.tmp" -F "$kdir.tmp/boot/System.map-$kver" "$kver" ||
		die "depmod failed"
	echo "$kver" >"$kdir.tmp/kver"
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
	echo "mkimage: kernel $kver from $(basename "$deb")"
}

cmd_grub() {
	cfg=$1 cmdline=$2 out=$3
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	sed "s|@CMDLINE@|$cmdline|" "$cfg" >"$tmp/grub.cfg"
	# Only what grub.cfg uses; nothing else is loaded at run time.
	grub-mkstandalone -O x86_64-efi -o "$out.tmp" \
		--modules="part_gpt fat normal test echo search search_fs_file linux" \
		--install-modules="part_gpt fat normal test echo search search_fs_file linux" \
		--locales= --fonts= --themes= --compress=no \
		"boot/grub/grub.cfg=$tmp/grub.cfg" ||
		die "grub-mkstandalone failed"
	mv "$out.tmp" "$out"
}

# Bochs ignores sectors past cylinders*16*63 (docs/PLATFORM.md): round up.
CHS_UNIT=516096

cmd_disk() {
	out=$1 esp_mib=$2 data_mib=$3
	shift 3
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM

	# ESP as its own file: FAT32 needs >= 65525 clusters; 512-byte clusters.
	esp_sectors=$((esp_mib * 2048))
	truncate -s $((esp_mib * 1048576)) "$tmp/esp.img"
	mkfs.fat -F 32 -s 1 -n MAMORI-ESP "$tmp/esp.img" >/dev/null ||
		die "mkfs.fat failed"
	for spec in "$@"; do
		dst=${spec%%=*} src=${spec#*=}
		[ -f "$src" ] || die "missing $src (for $dst)"
		dir=${dst%/*}
		path=""
		for part in $(echo "$dir" | tr / ' '); do
			path="$path/$part"
			mmd -i "$tmp/esp.img" "::$path" 2>/dev/null || true
		done
		mcopy -o -i "$tmp/esp.img" "$src" "::$dst" || die "mcopy $src failed"
	done

	truncate -s $((data_mib * 1048576)) "$tmp/data.img"
	mkfs.ext4 -q -F -L mamori-data -O ^has_journal "$tmp/data.img" >/dev/null ||
		die "mkfs.ext4 failed"
	data_sectors=$((data_mib * 2048))

	# 1 MiB before the ESP, 1 MiB slack at the end for the backup GPT.
	need=$(((2048 + esp_sectors + data_sectors + 2048) * 512))
	size=$(((need + CHS_UNIT - 1) / CHS_UNIT * CHS_UNIT))
	rm -f "$out.tmp"
	truncate -s "$size" "$out.tmp"
	sgdisk -Z "$out.tmp" >/dev/null 2>&1 || true
	sgdisk \
		-n 1:2048:+${esp_sectors} -t 1:ef00 -c 1:"EFI System" \
		-n 2:$((2048 + esp_sectors)):+${data_sectors} -t 2:8300 -c 2:mamori-data \
		"$out.tmp" >/dev/null || die "sgdisk failed"
	dd if="$tmp/esp.img" of="$out.tmp" bs=1M seek=1 conv=notrunc,sparse \
		status=none || die "dd esp failed"
	dd if="$tmp/data.img" of="$out.tmp" bs=1M seek=$((1 + esp_mib)) \
		conv=notrunc,sparse status=none || die "dd data failed"
	sgdisk -p "$out.tmp" | grep -q "EF00  EFI System" &&
		sgdisk -v "$out.tmp" | grep -q "No problems found" ||
		die "sgdisk -v reports problems in $out"
	mv "$out.tmp" "$out"
	echo "mkimage: $out ($size bytes, ESP ${esp_mib} MiB, data ${data_mib} MiB)"
}

[ $# -ge 1 ] || die "usage: $0 kernel|grub|disk ARGS..."
cmd=$1
shift
case "$cmd" in
kernel) [ $# -eq 2 ] || die "usage: $0 kernel CACHE KDIR"; cmd_kernel "$@" ;;
grub) [ $# -eq 3 ] || die "usage: $0 grub CFG CMDLINE OUT"; cmd_grub "$@" ;;
disk) [ $# -ge 3 ] || die "usage: $0 disk OUT ESP_MIB DATA_MIB ESP_PATH=LOCAL..."; cmd_disk "$@" ;;
*) die "unknown command $cmd" ;;
esac
