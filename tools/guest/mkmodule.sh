#!/bin/sh
# Build an out-of-tree kernel module for the test guest's Debian kernel against
# that kernel's own headers: linux-headers-KVER, its -common package and
# linux-kbuild are fetched with `apt-get download` into CACHE (kept, like the
# kernel .deb) and unpacked in a private tree; nothing is installed.
#
# usage: mkmodule.sh CACHE KVER SRC.c OUT.ko
set -eu

die() { echo "mkmodule: $*" >&2; exit 1; }

[ $# -eq 4 ] || die "usage: $0 CACHE KVER SRC.c OUT.ko"
CACHE=$1 KVER=$2 SRC=$3 OUT=$4
[ -f "$SRC" ] || die "$SRC missing"
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

# fetch PKG: the cached .deb of PKG (downloaded when missing).
fetch() {
	deb=$(ls "$CACHE/$1"_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		echo "mkmodule: downloading $1 into $CACHE" >&2
		(cd "$CACHE" && apt-get download -q "$1" >&2) ||
			die "apt-get download $1 failed"
		deb=$(ls "$CACHE/$1"_*.deb | tail -n 1)
	fi
	echo "$deb"
}

# dep DEB PREFIX: the first dependency of DEB whose name starts with PREFIX.
dep() {
	dpkg-deb -f "$1" Depends | tr ',' '\n' |
		sed -n "s/^ *\($2[^ ]*\).*/\1/p" | head -n 1
}

arch_deb=$(fetch "linux-headers-$KVER")
common=$(dep "$arch_deb" linux-headers-)
kbuild=$(dep "$arch_deb" linux-kbuild-)
[ -n "$common" ] && [ -n "$kbuild" ] ||
	die "cannot tell the -common and kbuild packages of linux-headers-$KVER"
common_deb=$(fetch "$common")
kbuild_deb=$(fetch "$kbuild")

TMP=$(mktemp -d "${OUT}.tmp.XXXXXX")
TMP=$(cd "$TMP" && pwd)
trap 'rm -rf "$TMP"' EXIT INT TERM
for deb in "$arch_deb" "$common_deb" "$kbuild_deb"; do
	dpkg-deb -x "$deb" "$TMP/root" || die "dpkg-deb -x $deb failed"
done
KDIR=$TMP/root/usr/src/linux-headers-$KVER
[ -f "$KDIR/Makefile" ] || die "$arch_deb has no $KDIR/Makefile"
# The arch Makefile includes the -common tree by its absolute /usr/src path.
sed -i "s|/usr/src/|$TMP/root/usr/src/|" "$KDIR/Makefile"

name=$(basename "$SRC" .c)
mkdir -p "$TMP/mod"
cp "$SRC" "$TMP/mod/"
echo "obj-m := $name.o" >"$TMP/mod/Kbuild"
make -s -C "$KDIR" M="$TMP/mod" modules >"$TMP/build.log" 2>&1 ||
	{ cat "$TMP/build.log" >&2; die "building $name.ko failed"; }
cp "$TMP/mod/$name.ko" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkmodule: $OUT (for $KVER)"
