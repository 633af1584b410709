#!/usr/bin/env python3
"""Watch a tap from the host side of a test's network namespace (docs/testing.md).

net_capture.py IFACE OUT GUEST_MAC [PEER_MAC]: every frame seen on IFACE
(either way) is logged to OUT as "dir src dst ethertype len", MACsec frames
(0x88E5) with "sci an pn" appended; every 0.5 s a broadcast marker frame
(EtherType 0x88b5, "MAMORI-NET-MARKER") is sent towards the guest. On
SIGTERM, OUT gets a last line "summary from_guest=N to_guest=M markers=K ...".
Independent of the VMM: it counts what actually crossed the emulated wire.

With PEER_MAC (t-net-encrypt), also sent towards the guest only (a frame sent
on the tap reaches Bochs, not the bridge), once the peer's first MACsec frame
towards the guest was seen (so the guest's NIC receives), every 0.5 s at
most, each kind up to 40 times:
  replayed     a MACsec frame the peer sent to the guest, resent unchanged
               at least 1 s after the original passed
  forged       such a frame with its PN raised by 2^20 (above anything the
               peer sends in a test): the ICV no longer verifies
  foreign_sci  such a frame with another SCI (and source address)
  plain_udp    a plain IPv4 UDP datagram "from the peer" 192.0.2.2 to the
               guest's MAC and 192.0.2.1, port 9 (closed in the guest)
"""
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
FOREIGN = bytes.fromhex("020000005399")
INJECT_MAX = 40


def sectag(frame):
    """'sci an pn' of a MACsec frame (SCI '-' when the SecTAG has none)."""
    if len(frame) < 20:
        return ""
    tci = frame[14]
    pn = struct.unpack(">I", frame[16:20])[0]
    sci = frame[20:28].hex() if tci & 0x20 and len(frame) >= 28 else "-"
    return " %s %d %d" % (sci, tci & 3, pn)


def ip_csum(b):
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def plain_udp(guest, peer, n):
    payload = b"MAMORI-PLAIN-UDP-%04d" % n
    udp = struct.pack(">HHHH", 40000, 9, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0,
                     bytes([192, 0, 2, 2]), bytes([192, 0, 2, 1]))
    ip = ip[:10] + struct.pack(">H", ip_csum(ip)) + ip[12:]
    return guest + peer + b"\x08\x00" + ip + udp


def main():
    iface, out, guest = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3].replace(":", ""))
    peer = bytes.fromhex(sys.argv[4].replace(":", "")) if len(sys.argv) > 4 else None
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    own = s.getsockname()[4]
    marker = b"\xff" * 6 + own + b"\x88\xb5" + b"MAMORI-NET-MARKER".ljust(46, b"\0")
    counts = {"from_guest": 0, "to_guest": 0, "markers": 0}
    if peer:
        counts.update(replayed=0, forged=0, foreign_sci=0, plain_udp=0)
    seen = []           # (time, frame): the peer's MACsec frames towards the guest
    started = []        # set once the first of them passed
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    next_marker = time.monotonic()

    def send(kind, frame):
        try:
            s.send(frame)
            counts[kind] += 1
        except OSError:
            pass        # no carrier before Bochs opened the tap

    def inject(now):
        if not started:
            return
        if counts["plain_udp"] < INJECT_MAX:
            send("plain_udp", plain_udp(guest, peer, counts["plain_udp"]))
        old = [f for t, f in seen if now - t >= 1.0]
        if not old:
            return
        f = old[-1]
        seen[:] = [(t, x) for t, x in seen if x is not f][-8:]
        if counts["replayed"] < INJECT_MAX:
            send("replayed", f)
        if counts["forged"] < INJECT_MAX:
            pn = (struct.unpack(">I", f[16:20])[0] + (1 << 20)) & 0xffffffff
            send("forged", f[:16] + struct.pack(">I", pn) + f[20:])
        if counts["foreign_sci"] < INJECT_MAX and f[14] & 0x20:
            send("foreign_sci", f[:6] + FOREIGN + f[12:20] + FOREIGN + b"\x00\x01" + f[28:])

    with open(out, "w", buffering=1) as log:
        while not stop:
            now = time.monotonic()
            if now >= next_marker:
                send("markers", marker)
                if peer:
                    inject(now)
                next_marker = now + 0.5
            try:
                r, _, _ = select.select([s], [], [], 0.2)
            except InterruptedError:
                continue
            if not r:
                continue
            frame, addr = s.recvfrom(65535)
            outgoing = addr[2] == PACKET_OUTGOING
            if frame[6:12] == guest and not outgoing:
                counts["from_guest"] += 1
            elif outgoing and frame[12:14] != b"\x88\xb5":
                counts["to_guest"] += 1
            macsec = frame[12:14] == b"\x88\xe5"
            if peer and outgoing and macsec and frame[6:12] == peer and len(frame) >= 28:
                seen.append((time.monotonic(), frame))
                started.append(1)
                del started[1:]
                del seen[:-8]
            log.write("%s %s %s %s %d%s\n" % ("out" if outgoing else "in", frame[6:12].hex(":"),
                                              frame[0:6].hex(":"), frame[12:14].hex(), len(frame),
                                              sectag(frame) if macsec else ""))
        log.write("summary %s\n" % " ".join("%s=%d" % kv for kv in counts.items()))


if __name__ == "__main__":
    main()
