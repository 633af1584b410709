#!/bin/sh
# Install Mamori's build and test dependencies from Debian's archive (idempotent).
# Adds a deb-src entry (needed for `apt-get source mbedtls`) when none is present.
set -eu

PKGS="build-essential gnu-efi libcmocka-dev grub-efi-amd64-bin grub-common ovmf
bochs bochsbios vgabios bochs-x qemu-system-x86 mtools gdisk cpio dosfstools
e2fsprogs busybox-static xz-utils zstd kmod dpkg-dev libmbedtls-dev clang
python3 python3-cryptography openssl libssl-dev socat gcc-12 libelf1
wpasupplicant iproute2 sbsigntool"

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
	echo "deps: adding deb-src entry /etc/apt/sources.list.d/mamori-src.sources"
	$SUDO sh -c 'cat > /etc/apt/sources.list.d/mamori-src.sources' <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "deps: installing:$missing"
$SUDO apt-get update -q
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
