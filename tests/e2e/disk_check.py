#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host side of the disk-encryption e2e tests (issue 6, docs/disk.md).

An independent implementation of the on-disk format Mamori promises, dm-crypt
aes-xts-plain64: AES-256-XTS (Python's `cryptography`, i.e. OpenSSL), 512-byte
sectors, tweak = sector number relative to the partition start as a 64-bit
little-endian integer (iv_offset 0), 64-byte key = Key1 || Key2. The partition
comes from the image's GPT; the key from the policy secrets file.

  disk_check.py part IMG [--part N]              print "START COUNT" (sectors)
  disk_check.py decrypt IMG OUT [--part N]       partition -> plaintext file OUT
  disk_check.py encrypt IMG IN [--part N]        plaintext IN -> the partition
                                                 (in place; IN no larger than it)
  disk_check.py find IMG HEX [--part N] [--decrypt]
                                                 print "COUNT" of occurrences of
                                                 the bytes HEX in the raw (or
                                                 decrypted) partition; exit 0
                                                 when found, 1 when not
  disk_check.py pattern HEX SIZE OUT             OUT := HEX repeated to SIZE bytes

Options: --part N (default 2), --secrets FILE (default build/keys/dev-secrets.txt),
--key NAME (default disk0).
"""

import argparse
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SECTOR = 512
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GPT_SIGNATURE = b"EFI PART"


class CheckError(Exception):
    pass


def gpt_partition(img, number):
    """(first LBA, sector count) of GPT partition `number` (1-based) of img."""
    with open(img, "rb") as f:
        f.seek(SECTOR)
        hdr = f.read(92)
        if hdr[:8] != GPT_SIGNATURE:
            raise CheckError("%s: no GPT header at LBA 1" % img)
        entries_lba, n_entries, entry_size = struct.unpack_from("<QII", hdr, 72)
        if number < 1 or number > n_entries:
            raise CheckError("%s: no GPT entry %d (%d entries)" % (img, number, n_entries))
        f.seek(entries_lba * SECTOR + (number - 1) * entry_size)
        entry = f.read(entry_size)
    first, last = struct.unpack_from("<QQ", entry, 32)
    if entry[:16] == bytes(16) or last < first:
        raise CheckError("%s: GPT partition %d is unused" % (img, number))
    return first, last - first + 1


def read_key(secrets, name):
    """The hex key `key NAME = HEX` of a policy secrets file, as bytes."""
    with open(secrets) as f:
        for line in f:
            words = line.split()
            if len(words) == 4 and words[0] == "key" and words[1] == name and words[2] == "=":
                key = bytes.fromhex(words[3])
                if len(key) != 64:
                    raise CheckError("key %s is %d bytes, AES-256-XTS needs 64" % (name, len(key)))
                return key
    raise CheckError("%s: no key %s" % (secrets, name))


def xts_sectors(key, data, first_sector, encrypt):
    """En/decrypt whole sectors of data, the first with tweak first_sector."""
    if len(data) % SECTOR:
        raise CheckError("data is not a whole number of sectors")
    out = bytearray()
    for i in range(len(data) // SECTOR):
        tweak = struct.pack("<QQ", first_sector + i, 0)
        c = Cipher(algorithms.AES(key), modes.XTS(tweak))
        op = c.encryptor() if encrypt else c.decryptor()
        out += op.update(data[i * SECTOR:(i + 1) * SECTOR]) + op.finalize()
    return bytes(out)


def read_part(img, number):
    start, count = gpt_partition(img, number)
    with open(img, "rb") as f:
        f.seek(start * SECTOR)
        data = f.read(count * SECTOR)
    if len(data) != count * SECTOR:
        raise CheckError("%s: partition %d runs past the end of the image" % (img, number))
    return data


def cmd_part(a, key):
    start, count = gpt_partition(a.image, a.part)
    print(start, count)
    return 0


def cmd_decrypt(a, key):
    plain = xts_sectors(key, read_part(a.image, a.part), 0, False)
    with open(a.out, "wb") as f:
        f.write(plain)
    return 0


def cmd_encrypt(a, key):
    start, count = gpt_partition(a.image, a.part)
    with open(a.input, "rb") as f:
        plain = f.read()
    if len(plain) > count * SECTOR:
        raise CheckError("%s (%d bytes) is larger than partition %d (%d bytes)" %
                         (a.input, len(plain), a.part, count * SECTOR))
    plain += bytes(-len(plain) % SECTOR)
    with open(a.image, "r+b") as f:
        f.seek(start * SECTOR)
        f.write(xts_sectors(key, plain, 0, True))
    return 0


def cmd_find(a, key):
    data = read_part(a.image, a.part)
    if a.decrypt:
        data = xts_sectors(key, data, 0, False)
    n = data.count(bytes.fromhex(a.hex))
    print(n)
    return 0 if n else 1


def cmd_pattern(a, key):
    unit = bytes.fromhex(a.hex)
    with open(a.out, "wb") as f:
        f.write((unit * (a.size // len(unit) + 1))[:a.size])
    return 0


def main():
    p = argparse.ArgumentParser(description="dm-crypt aes-xts-plain64 checks of a test image's partition")
    p.add_argument("--part", type=int, default=2)
    p.add_argument("--secrets", default=os.path.join(REPO, "build", "keys", "dev-secrets.txt"))
    p.add_argument("--key", default="disk0")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("part")
    s.add_argument("image")
    s = sub.add_parser("decrypt")
    s.add_argument("image")
    s.add_argument("out")
    s = sub.add_parser("encrypt")
    s.add_argument("image")
    s.add_argument("input")
    s = sub.add_parser("find")
    s.add_argument("image")
    s.add_argument("hex")
    s.add_argument("--decrypt", action="store_true")
    s = sub.add_parser("pattern")
    s.add_argument("hex")
    s.add_argument("size", type=int)
    s.add_argument("out")
    a = p.parse_args()
    try:
        key = None
        if a.cmd in ("decrypt", "encrypt") or (a.cmd == "find" and a.decrypt):
            key = read_key(a.secrets, a.key)
        return {"part": cmd_part, "decrypt": cmd_decrypt, "encrypt": cmd_encrypt,
                "find": cmd_find, "pattern": cmd_pattern}[a.cmd](a, key)
    except (CheckError, OSError, ValueError) as e:
        sys.stderr.write("disk_check: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
