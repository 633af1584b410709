#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small RFB (VNC) client, Python standard library only.

For the framebuffer half of the file-access dialog (docs/filecheck.md): it
connects to Bochs's RFB display (`display_library: rfb`), saves the screen as
a PNG and types keys as key events (which Bochs turns into PS/2 scan codes).

    rfb.py [--host H] --port P screenshot OUT.png
    rfb.py [--host H] --port P type TEXT [--enter]
    rfb.py [--host H] --port P wait-change [--timeout S] [--interval S]

Security type None only (what Bochs offers); protocol 3.3, 3.7 or 3.8; raw
encoding; any true-colour pixel format the server announces (Bochs: 8 bpp).
Exit status: 0 done, 1 protocol or connection error, 2 usage.
"""

import argparse
import socket
import struct
import sys
import time
import zlib

KEYSYM = {"\r": 0xff0d, "\n": 0xff0d, "\b": 0xff08, "\t": 0xff09, "\x1b": 0xff1b}
SHIFT_L = 0xffe1
SHIFTED = set('~!@#$%^&*()_+{}|:"<>?') | set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class RfbError(Exception):
    pass


class Rfb:
    def __init__(self, host, port, timeout=30.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self._handshake()

    def close(self):
        self.sock.close()

    def _recv(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RfbError("server closed the connection")
            buf += chunk
        return buf

    def _handshake(self):
        ver = self._recv(12)
        if not ver.startswith(b"RFB "):
            raise RfbError("not an RFB server: %r" % ver)
        major, minor = int(ver[4:7]), int(ver[8:11])
        minor = 8 if (major, minor) >= (3, 8) else 7 if (major, minor) == (3, 7) else 3
        self.sock.sendall(b"RFB 003.%03d\n" % minor)
        if minor == 3:
            (sec,) = struct.unpack(">I", self._recv(4))
            if sec == 0:
                raise RfbError("server refused: %r" % self._reason())
            if sec != 1:
                raise RfbError("security type %d is not None" % sec)
        else:
            (n,) = struct.unpack(">B", self._recv(1))
            if n == 0:
                raise RfbError("server refused: %r" % self._reason())
            types = self._recv(n)
            if 1 not in types:
                raise RfbError("no security type None offered: %r" % list(types))
            self.sock.sendall(b"\x01")
            if minor == 8:
                (res,) = struct.unpack(">I", self._recv(4))
                if res:
                    raise RfbError("security handshake failed")
        self.sock.sendall(b"\x01")		# ClientInit: shared
        w, h = struct.unpack(">HH", self._recv(4))
        pf = self._recv(16)
        (nlen,) = struct.unpack(">I", self._recv(4))
        self.name = self._recv(nlen).decode("latin-1")
        self.width, self.height = w, h
        (self.bpp, self.depth, self.big, self.truecolor, self.rmax, self.gmax, self.bmax,
         self.rshift, self.gshift, self.bshift) = struct.unpack(">BBBBHHHBBB", pf[:13])
        if not self.truecolor or self.bpp not in (8, 16, 32):
            raise RfbError("pixel format bpp=%d truecolor=%d not supported"
                           % (self.bpp, self.truecolor))
        self.fb = bytearray(w * h * 3)
        # SetEncodings: raw only.
        self.sock.sendall(struct.pack(">BxHi", 2, 1, 0))

    def _reason(self):
        (n,) = struct.unpack(">I", self._recv(4))
        return self._recv(n)

    def _put_pixels(self, x, y, w, h, data):
        bpp = self.bpp // 8
        fmt = {1: "B", 2: "H", 4: "I"}[bpp]
        order = ">" if self.big else "<"
        vals = struct.unpack(order + fmt * (w * h), data)
        rs, gs, bs = self.rshift, self.gshift, self.bshift
        rm, gm, bm = self.rmax, self.gmax, self.bmax
        for row in range(h):
            off = ((y + row) * self.width + x) * 3
            for col in range(w):
                v = vals[row * w + col]
                self.fb[off] = ((v >> rs) & rm) * 255 // rm if rm else 0
                self.fb[off + 1] = ((v >> gs) & gm) * 255 // gm if gm else 0
                self.fb[off + 2] = ((v >> bs) & bm) * 255 // bm if bm else 0
                off += 3

    def update(self, incremental=False):
        """Ask for the screen and apply messages until one update has come."""
        self.sock.sendall(struct.pack(">BBHHHH", 3, 1 if incremental else 0, 0, 0,
                                      self.width, self.height))
        while True:
            (kind,) = struct.unpack(">B", self._recv(1))
            if kind == 0:
                (n,) = struct.unpack(">xH", self._recv(3))
                for _ in range(n):
                    x, y, w, h, enc = struct.unpack(">HHHHi", self._recv(12))
                    if enc == -223:		# DesktopSize pseudo-encoding
                        self.width, self.height = w, h
                        self.fb = bytearray(w * h * 3)
                        continue
                    if enc != 0:
                        raise RfbError("unexpected encoding %d" % enc)
                    if x + w > self.width or y + h > self.height:
                        raise RfbError("rectangle outside the screen")
                    self._put_pixels(x, y, w, h, self._recv(w * h * self.bpp // 8))
                return
            if kind == 1:			# SetColourMapEntries
                _, _, n = struct.unpack(">BHH", self._recv(5))
                self._recv(6 * n)
            elif kind == 2:			# Bell
                pass
            elif kind == 3:			# ServerCutText
                self._recv(3)
                (n,) = struct.unpack(">I", self._recv(4))
                self._recv(n)
            else:
                raise RfbError("unknown server message %d" % kind)

    def key(self, keysym, down):
        self.sock.sendall(struct.pack(">BBxxI", 4, 1 if down else 0, keysym))

    def type(self, text, delay=0.05):
        for ch in text:
            sym = KEYSYM.get(ch, ord(ch))
            shift = ch in SHIFTED
            if shift:
                self.key(SHIFT_L, True)
            self.key(sym, True)
            self.key(sym, False)
            if shift:
                self.key(SHIFT_L, False)
            time.sleep(delay)

    def png(self):
        return png_rgb(self.width, self.height, bytes(self.fb))


def png_rgb(width, height, rgb):
    """An 8-bit RGB PNG of @rgb (rows top to bottom, 3 bytes a pixel)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[r * stride:(r + 1) * stride] for r in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("screenshot", help="save the screen as a PNG")
    s.add_argument("out")
    t = sub.add_parser("type", help="type TEXT as key events")
    t.add_argument("text")
    t.add_argument("--enter", action="store_true", help="press Return after TEXT")
    w = sub.add_parser("wait-change", help="wait until the screen changes")
    w.add_argument("--timeout", type=float, default=60)
    w.add_argument("--interval", type=float, default=1)
    a = p.parse_args(argv)
    try:
        c = Rfb(a.host, a.port)
        if a.cmd == "screenshot":
            c.update()
            with open(a.out, "wb") as f:
                f.write(c.png())
            print("rfb: %dx%d screen (%s, %d bpp) saved to %s"
                  % (c.width, c.height, c.name, c.bpp, a.out))
        elif a.cmd == "type":
            c.type(a.text + ("\r" if a.enter else ""))
        else:
            c.update()
            first = bytes(c.fb)
            end = time.time() + a.timeout
            while time.time() < end:
                time.sleep(a.interval)
                c.update()
                if bytes(c.fb) != first:
                    print("rfb: screen changed")
                    return 0
            print("rfb: no change in %g s" % a.timeout, file=sys.stderr)
            return 1
        c.close()
    except (OSError, RfbError, struct.error) as e:
        print("rfb: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
