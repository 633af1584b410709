#!/usr/bin/env python3
"""The tap side's TCP peer for t-net-pass (runs in the test's network namespace).

net_peer.py ADDR OUT SIZE: on ADDR:5001 receive exactly SIZE bytes from the
guest; on ADDR:5002 send SIZE deterministic bytes to the guest. OUT gets
"recv-sha256 HEX" and "sent-sha256 HEX" lines as each transfer ends.
"""
import hashlib
import socket
import sys
import threading


def serve(addr, port, fn):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    c, _ = s.accept()
    with c:
        fn(c)


def main():
    addr, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    log = open(out, "w", buffering=1)
    data = b"".join(hashlib.sha256(b"mamori-net-%d" % i).digest() for i in range(size // 32))

    def recv(c):
        h, n = hashlib.sha256(), 0
        while n < size:
            b = c.recv(65536)
            if not b:
                break
            h.update(b)
            n += len(b)
        log.write("recv-bytes %d\nrecv-sha256 %s\n" % (n, h.hexdigest()))

    def send(c):
        c.sendall(data)
        log.write("sent-sha256 %s\n" % hashlib.sha256(data).hexdigest())

    t = [threading.Thread(target=serve, args=(addr, 5001, recv)),
         threading.Thread(target=serve, args=(addr, 5002, send))]
    for x in t:
        x.start()
    for x in t:
        x.join()


if __name__ == "__main__":
    main()
