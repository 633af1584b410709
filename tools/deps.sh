#!/bin/sh
# Install Mamori's build and test dependencies from Debian's archive (idempotent).
# Adds a deb-src entry (needed for `apt-get source mbedtls`) when none is present.
set -eu

PKGS="build-essential gnu-efi libcmocka-dev grub-efi-amd64-bin grub-common ovmf
bochs bochsbios vgabios bochs-x qemu-system-x86 mtools gdisk cpio dosfstools
e2fsprogs busybox-static xz-utils zstd kmod dpkg-dev libmbedtls-dev clang
python3 python3-cryptography openssl libssl-dev socat gcc-12 libelf1
wpasupplicant iproute2 sbsigntool efibootmgr"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

need_src=0
if ! grep -rqs '^\(Types:.*deb-src\|deb-src\)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_src=1
fi

if [ -z "$missing" ] && [ "$need_src" = 0 ]; then
	exit 0
fi

if [ "$need_src" = 1 ]; then
	# Same URIs, suites, components and keyring as the machine's own Debian
	# sources (tools/deps-src.sh), never a hard-coded mirror.
	src=$("$(dirname "$0")/deps-src.sh") || {
		echo "deps: cannot derive a deb-src entry from /etc/apt; add one by hand" >&2
		exit 1
	}
	echo "deps: adding deb-src entry /etc/apt/sources.list.d/mamori-src.sources:"
	echo "$src" | sed 's/^/deps:   /'
	echo "$src" | $SUDO sh -c 'cat > /etc/apt/sources.list.d/mamori-src.sources'
fi

echo "deps: installing:$missing"
$SUDO apt-get update -q
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
