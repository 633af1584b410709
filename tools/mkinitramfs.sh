#!/bin/sh
# Build the test guest's initramfs (cpio newc): busybox-static and its applet
# links, /init, the mamori-io helper, e2fsprogs' mke2fs (busybox has no ext4
# mkfs) with its shared libraries and ld.so from the build host, and the kernel
# modules later tests need with their dependencies (resolved by kmod's modprobe
# from the kernel's own modules.dep/softdeps) under lib/modules/<ver>/ with a
# fresh modules.dep.
#
# usage: mkinitramfs.sh KROOT KVER INIT HELPER OUT [none|gzip|xz|zstd|lz4 [BIN...]]
#   KROOT  tree of the unpacked linux-image .deb, with modules.dep (depmod -b)
#   BIN    more static test programs, copied to /usr/bin/ (e.g. smp-stress);
#          a NAME.ko goes to lib/modules/<ver>/extra/ (modprobe NAME)
set -eu

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ $# -ge 5 ] || die "usage: $0 KROOT KVER INIT HELPER OUT [none|gzip|xz|zstd|lz4 [BIN...]]"
KROOT=$1 KVER=$2 INIT=$3 HELPER=$4 OUT=$5 COMP=${6:-none}
shift $(($# < 6 ? $# : 6))
[ -d "$KROOT" ] || die "$KROOT: no such directory"
KROOT=$(cd "$KROOT" && pwd)

# Modules that tests load (modprobe NAME); dependencies are added below.
MODULES="ata_piix ata_generic sd_mod ahci nvme e1000 ext4 vfat nls_cp437
nls_iso8859_1 nls_ascii dm_crypt dm_mod macsec wireguard esp4 esp6 xfrm_user
af_key aesni_intel aes_generic xts ecb cbc ctr gcm ccm ghash_generic
ghash_clmulni_intel essiv authenc echainiv seqiv chacha20poly1305 sha256_generic
sha512_generic hmac cmac crc32c_intel crc32c_generic loop efivarfs"

BUSYBOX=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
! readelf -l "$BUSYBOX" | grep -q 'program interpreter' ||
	die "$BUSYBOX is not static (apt-get install busybox-static)"
MODDIR=$KROOT/lib/modules/$KVER
[ -f "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep missing (run depmod -b)"
[ -x "$INIT" ] || die "$INIT missing or not executable"
[ -x "$HELPER" ] || die "$HELPER missing"

STAGE=$(mktemp -d "${OUT}.stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT INT TERM

mkdir -p "$STAGE/bin" "$STAGE/sbin" "$STAGE/usr/bin" "$STAGE/usr/sbin" \
	"$STAGE/dev" "$STAGE/proc" "$STAGE/sys" "$STAGE/tmp" "$STAGE/run" \
	"$STAGE/root" "$STAGE/mnt" "$STAGE/etc" "$STAGE/lib/modules/$KVER"
cp "$BUSYBOX" "$STAGE/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
	case "$applet" in
	bin/busybox|linuxrc) continue ;;
	esac
	[ -e "$STAGE/$applet" ] || ln -s /bin/busybox "$STAGE/$applet"
done
cp "$INIT" "$STAGE/init"
chmod 755 "$STAGE/init"
cp "$HELPER" "$STAGE/usr/bin/mamori-io"
for bin in "$@"; do
	case "$bin" in
	*.ko)
		[ -f "$bin" ] || die "$bin missing"
		mkdir -p "$STAGE/lib/modules/$KVER/extra"
		cp "$bin" "$STAGE/lib/modules/$KVER/extra/"
		continue
		;;
	esac
	[ -x "$bin" ] || die "$bin missing"
	cp "$bin" "$STAGE/usr/bin/$(basename "$bin")"
done

# mke2fs (e2fsprogs, dynamic) replaces busybox's mke2fs applet, with the
# libraries ldd names, the dynamic loader and the host's mke2fs.conf.
MKE2FS=$(command -v mke2fs || echo /sbin/mke2fs)
[ -x "$MKE2FS" ] || die "mke2fs not found (apt-get install e2fsprogs)"
rm -f "$STAGE/sbin/mke2fs"
cp "$MKE2FS" "$STAGE/sbin/mke2fs"
for fs in mkfs.ext2 mkfs.ext4; do
	rm -f "$STAGE/sbin/$fs"
	ln -s mke2fs "$STAGE/sbin/$fs"
done
[ ! -f /etc/mke2fs.conf ] || cp /etc/mke2fs.conf "$STAGE/etc/"
for lib in $(ldd "$MKE2FS" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }'); do
	mkdir -p "$STAGE$(dirname "$lib")"
	cp -L "$lib" "$STAGE$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$STAGE/etc/passwd"
printf 'root:x:0:\n' >"$STAGE/etc/group"

# Resolve dependencies (including softdeps) with the host's kmod.
list=$(for m in $MODULES; do
	modprobe -S "$KVER" -d "$KROOT" --show-depends "$m" ||
		die "module $m not found in $MODDIR"
done | awk '$1 == "insmod" { print $2 }' | sort -u)
for path in $list; do
	rel=${path#"$MODDIR"/}
	mkdir -p "$STAGE/lib/modules/$KVER/$(dirname "$rel")"
	case "$rel" in
	*.ko) cp "$path" "$STAGE/lib/modules/$KVER/$rel" ;;
	*.ko.xz) xz -dc "$path" >"$STAGE/lib/modules/$KVER/${rel%.xz}" ;;
	*.ko.zst) zstd -qdc "$path" >"$STAGE/lib/modules/$KVER/${rel%.zst}" ;;
	*) die "unexpected module file $rel" ;;
	esac
done
cp "$MODDIR/modules.builtin" "$MODDIR/modules.order" "$STAGE/lib/modules/$KVER/"
[ ! -f "$MODDIR/modules.builtin.modinfo" ] ||
	cp "$MODDIR/modules.builtin.modinfo" "$STAGE/lib/modules/$KVER/"
depmod -b "$STAGE" "$KVER" || die "depmod failed"

rm -f "$OUT.tmp"
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$OUT.cpio.tmp" || die "cpio failed"
case "$COMP" in
none) mv "$OUT.cpio.tmp" "$OUT.tmp" ;;
gzip) gzip -9 -n -c "$OUT.cpio.tmp" >"$OUT.tmp" ;;
xz) xz --check=crc32 -9 -c "$OUT.cpio.tmp" >"$OUT.tmp" ;;
zstd) zstd -q -19 -c "$OUT.cpio.tmp" >"$OUT.tmp" ;;
lz4) lz4 -q -l -9 -c "$OUT.cpio.tmp" >"$OUT.tmp" ;;
*) die "unknown compression $COMP" ;;
esac
rm -f "$OUT.cpio.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($COMP, $(wc -c <"$OUT") bytes, $(echo "$list" | wc -w) modules)"
