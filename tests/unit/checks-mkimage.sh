#!/bin/bash
# The storage check's test image: an ext4 file system (mkfs.ext4 -d) with
# /etc/passwd and /bin/tool (20000 bytes, byte i = (i * 7 + 3) & 0xff); the
# inode numbers, from debugfs, go to IMAGE.ino ("path ino" lines).
set -euo pipefail
img=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/etc" "$dir/bin" "$(dirname "$img")"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) & 0xff for i in range(20000)))' \
	>"$dir/bin/tool"
rm -f "$img"
mkfs.ext4 -q -F -b 4096 -O ^inline_data -E root_owner=0:0 -d "$dir" "$img" 8M
for p in /etc/passwd /bin/tool; do
	echo "$p $(debugfs -R "stat $p" "$img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')"
done >"$img.ino"
