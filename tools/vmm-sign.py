#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Sign vmm.elf for Mamori's loader, and export the key the loader trusts.

The signature is a detached file (vmm.elf.sig, boot/vmm_sig.h has the format):
ECDSA P-256 (SHA-256) over a domain string, the file's security version number
(svn), its size and its SHA-256. The loader refuses an svn below its built-in
minimum (make VMM_MIN_SVN) or below the highest it started on this machine:
raise --svn in every release that fixes a VMM vulnerability. Keys are PEM EC P-256 keys, the
same kind `mamori-policy keygen` and `openssl ecparam -name prime256v1
-genkey` make; a public key is PEM (SubjectPublicKeyInfo).

  vmm-sign.py keygen KEY [--pub PUB] [--force]
  vmm-sign.py sign --key KEY --svn N FILE [-o SIG]  (default SIG: FILE.sig)
  vmm-sign.py verify (--pub PUB | --key KEY) [--min-svn N] FILE [SIG]
  vmm-sign.py pubkey-c (--pub PUB | --key KEY) [--dev] --min-svn N -o OUT.c
  vmm-sign.py fingerprint (--pub PUB | --key KEY)

Exit codes: 0 ok, 1 signature refused, 2 usage, 4 I/O error, 5 key error.
"""
import argparse
import hashlib
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)

MAGIC = b"MMVMMSG2"
SIG_SIZE = 120
DOMAIN = b"Mamori vmm.elf signature v2\0"


def signed_message(data, svn):
    return DOMAIN + struct.pack("<QQ", svn, len(data)) + hashlib.sha256(data).digest()


def die(code, msg):
    print("vmm-sign: " + msg, file=sys.stderr)
    sys.exit(code)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        die(4, "%s: %s" % (path, e.strerror))


def load_key(path):
    try:
        key = serialization.load_pem_private_key(read(path), password=None)
    except (ValueError, TypeError) as e:
        die(5, "%s: not an unencrypted PEM private key (%s)" % (path, e))
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        die(5, "%s: not an ECDSA P-256 key" % path)
    return key


def load_pub(args):
    if args.key:
        return load_key(args.key).public_key()
    try:
        pub = serialization.load_pem_public_key(read(args.pub))
    except ValueError as e:
        die(5, "%s: not a PEM public key (%s)" % (args.pub, e))
    if not isinstance(pub, ec.EllipticCurvePublicKey) or pub.curve.name != "secp256r1":
        die(5, "%s: not an ECDSA P-256 public key" % args.pub)
    return pub


def point(pub):
    return pub.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.UncompressedPoint)


def fingerprint(pub):
    return hashlib.sha256(point(pub)).digest()


def cmd_keygen(args):
    if os.path.exists(args.key) and not args.force:
        die(4, "%s exists (use --force to replace it)" % args.key)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    fd = os.open(args.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    if args.pub:
        with open(args.pub, "wb") as f:
            f.write(key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo))


def cmd_sign(args):
    key = load_key(args.key)
    data = read(args.file)
    if not 0 <= args.svn < 1 << 64:
        die(2, "--svn %d out of range" % args.svn)
    msg = signed_message(data, args.svn)
    r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(hashes.SHA256())))
    sig = (MAGIC + struct.pack("<QQ", len(data), args.svn) + fingerprint(key.public_key()) +
           r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    assert len(sig) == SIG_SIZE
    out = args.o or args.file + ".sig"
    with open(out + ".tmp", "wb") as f:
        f.write(sig)
    os.replace(out + ".tmp", out)


def cmd_verify(args):
    pub = load_pub(args)
    data = read(args.file)
    sig = read(args.sig or args.file + ".sig")
    if len(sig) != SIG_SIZE or sig[:8] != MAGIC:
        die(1, "refused: signature file malformed")
    if sig[24:56] != fingerprint(pub):
        die(1, "refused: signed by another key (sha256:%s..., expected sha256:%s...)"
            % (sig[24:32].hex(), fingerprint(pub)[:8].hex()))
    if struct.unpack("<Q", sig[8:16])[0] != len(data):
        die(1, "refused: signature is for a file of %d bytes, %s has %d"
            % (struct.unpack("<Q", sig[8:16])[0], args.file, len(data)))
    svn = struct.unpack("<Q", sig[16:24])[0]
    der = encode_dss_signature(int.from_bytes(sig[56:88], "big"),
                               int.from_bytes(sig[88:120], "big"))
    try:
        pub.verify(der, signed_message(data, svn), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        die(1, "refused: signature does not verify")
    if svn < args.min_svn:
        die(1, "refused: security version %d is below the minimum %d" % (svn, args.min_svn))
    print("%s: signature verified (key sha256:%s, svn %d)"
          % (args.file, fingerprint(pub).hex(), svn))


def cmd_pubkey_c(args):
    pub = load_pub(args)
    raw = point(pub)
    lines = ["/* Generated by tools/vmm-sign.py pubkey-c; do not edit. */",
             "#include \"vmm_sig.h\"", "",
             "const u8 vmm_sign_pubkey[VMM_SIG_PUBKEY_LEN] = {"]
    for i in range(0, len(raw), 12):
        lines.append("\t" + " ".join("0x%02x," % b for b in raw[i:i + 12]))
    lines.append("};")
    fpr = "sha256:" + fingerprint(pub).hex() + (" (DEVELOPMENT KEY)" if args.dev else "")
    lines.append("const char vmm_sign_pubkey_fpr[] = \"%s\";" % fpr)
    lines.append("const int vmm_sign_pubkey_dev = %d;" % (1 if args.dev else 0))
    lines.append("const u64 vmm_min_svn = %d;" % args.min_svn)
    with open(args.o + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(args.o + ".tmp", args.o)


def cmd_fingerprint(args):
    print("sha256:" + fingerprint(load_pub(args)).hex())


def main():
    p = argparse.ArgumentParser(prog="vmm-sign.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("keygen")
    k.add_argument("key")
    k.add_argument("--pub")
    k.add_argument("--force", action="store_true")
    s = sub.add_parser("sign")
    s.add_argument("--key", required=True)
    s.add_argument("--svn", type=int, required=True)
    s.add_argument("file")
    s.add_argument("-o")
    for name in ("verify", "pubkey-c", "fingerprint"):
        c = sub.add_parser(name)
        g = c.add_mutually_exclusive_group(required=True)
        g.add_argument("--pub")
        g.add_argument("--key")
        if name == "verify":
            c.add_argument("--min-svn", type=int, default=0)
            c.add_argument("file")
            c.add_argument("sig", nargs="?")
        if name == "pubkey-c":
            c.add_argument("--dev", action="store_true")
            c.add_argument("--min-svn", type=int, required=True)
            c.add_argument("-o", required=True)
    args = p.parse_args()
    {"keygen": cmd_keygen, "sign": cmd_sign, "verify": cmd_verify,
     "pubkey-c": cmd_pubkey_c, "fingerprint": cmd_fingerprint}[args.cmd](args)


if __name__ == "__main__":
    main()
