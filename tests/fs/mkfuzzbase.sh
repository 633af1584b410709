#!/bin/bash
# Small ext4 and FAT16 images the fs fuzzer patches (tests/fuzz/fuzz_fs.c):
# OUTDIR/ext4.img (256 KiB, 1 KiB blocks, a depth-1 extent tree in /frag, a
# 3-level path, a symlink, a multi-block directory) and OUTDIR/fat.img (FAT16,
# a fragmented file, long names, a multi-cluster directory).
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1 PATH=$PATH:/usr/sbin:/sbin
mkdir -p "$out" "$tmp/d/a/b" "$tmp/d/dir"
head -c 3000 /dev/zero | tr '\0' 'f' >"$tmp/d/a/b/file"
ln -s a/b/file "$tmp/d/link"
for i in $(seq -w 0 39); do echo "$i" >"$tmp/d/dir/f$i"; done
rm -f "$out/ext4.img"
mkfs.ext4 -q -F -b 1024 -N 96 -O ^has_journal,^resize_inode -E root_owner=0:0 \
	-d "$tmp/d" "$out/ext4.img" 256K
# twenty 1-block files written by debugfs, every other one removed: /frag
# (20 blocks) gets scattered extents, more than the inode's 4
head -c 1000 /dev/zero | tr '\0' 's' >"$tmp/s"
head -c 20000 /dev/zero | tr '\0' 'x' >"$tmp/frag"
{ for i in $(seq -w 0 19); do echo "write $tmp/s /s$i"; done
  for i in $(seq -w 0 2 19); do echo "rm /s$i"; done
  echo "write $tmp/frag /frag"; } |
	debugfs -w -f - "$out/ext4.img" >/dev/null 2>&1
rm -f "$out/fat.img"
mkfs.vfat -F 16 -s 1 -C "$out/fat.img" 2200 >/dev/null
mmd -i "$out/fat.img" ::/EFI ::/EFI/mamori ::/dir
for i in $(seq -w 0 9); do echo "$i" >"$tmp/s"; mcopy -i "$out/fat.img" "$tmp/s" "::/s$i"; done
for i in 0 2 4 6 8; do mdel -i "$out/fat.img" "::/s$i"; done
head -c 6000 /dev/zero | tr '\0' 'v' >"$tmp/v"
mcopy -i "$out/fat.img" "$tmp/v" ::/EFI/mamori/vmm.elf
mcopy -i "$out/fat.img" "$tmp/s" "::/A long name.txt"
for i in $(seq -w 0 29); do mcopy -i "$out/fat.img" "$tmp/s" "::/dir/f$i.txt"; done
