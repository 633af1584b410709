#!/usr/bin/env python3
"""Watch a tap from the host side of a test's network namespace (docs/testing.md).

net_capture.py IFACE OUT GUEST_MAC: every frame seen on IFACE (either way) is
logged to OUT as "dir src dst ethertype len"; every 0.5 s a broadcast marker
frame (EtherType 0x88b5, "MAMORI-NET-MARKER") is sent towards the guest. On
SIGTERM, OUT gets a last line "summary from_guest=N to_guest=M markers=K".
Independent of the VMM: it counts what actually crossed the emulated wire.
"""
import os
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
    iface, out, guest = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3].replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    own = s.getsockname()[4]
    marker = b"\xff" * 6 + own + b"\x88\xb5" + b"MAMORI-NET-MARKER".ljust(46, b"\0")
    counts = {"from_guest": 0, "to_guest": 0, "markers": 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    next_marker = time.monotonic()
    with open(out, "w", buffering=1) as log:
        while not stop:
            now = time.monotonic()
            if now >= next_marker:
                try:
                    s.send(marker)
                    counts["markers"] += 1
                except OSError:
                    pass        # no carrier before Bochs opened the tap
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
            log.write("%s %s %s %s %d\n" % ("out" if outgoing else "in", frame[6:12].hex(":"),
                                            frame[0:6].hex(":"), frame[12:14].hex(), len(frame)))
        log.write("summary %s\n" % " ".join("%s=%d" % kv for kv in counts.items()))


if __name__ == "__main__":
    main()
