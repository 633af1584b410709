# Network tests (issue 12): Bochs's e1000 on a tap inside a private network
# namespace the test creates, watched from the host side by net_capture.py.
# Sourced after lib.sh. Needs root (a network namespace, /dev/net/tun).

NET_GUEST_MAC=02:4d:4d:00:00:01
NET_HOST_ADDR=192.0.2.1/24	# the tap's side; the guest takes 192.0.2.2 (scenarios/net.sh)
NET_TAP=mamtap0

# net_ns_enter "$@": run the rest of the test in a fresh network namespace
# (re-executes the test under unshare -n; nothing leaves the namespace).
net_ns_enter() {
	[ -z "${E2E_NETNS:-}" ] || return 0
	[ "$(id -u)" = 0 ] || fail "needs root (a network namespace and a tap for Bochs)"
	command -v unshare >/dev/null && command -v ip >/dev/null ||
		fail "needs unshare and ip (util-linux, iproute2)"
	E2E_NETNS=1 exec unshare -n "$0" "$@"
}

# net_tap_up: the tap Bochs attaches to, its address, and the capture.
net_tap_up() {
	ip link set lo up
	ip tuntap add dev "$NET_TAP" mode tap || fail "cannot create tap $NET_TAP"
	ip addr add "$NET_HOST_ADDR" dev "$NET_TAP"
	ip link set "$NET_TAP" up
	python3 "$E2E_DIR/net_capture.py" "$NET_TAP" "$E2E_OUT/capture.txt" "$NET_GUEST_MAC" &
	NET_CAPTURE=$!
}

# net_peer_up: the TCP peer for the 1 MiB transfers (net_peer.py), log in peer.txt.
net_peer_up() {
	python3 "$E2E_DIR/net_peer.py" 192.0.2.1 "$E2E_OUT/peer.txt" 1048576 &
	NET_PEER=$!
}

# net_capture_stop: end the capture; its summary line is then in capture.txt.
net_capture_stop() {
	kill "$NET_CAPTURE" 2>/dev/null || true
	wait "$NET_CAPTURE" 2>/dev/null || true
	grep '^summary' "$E2E_OUT/capture.txt" || fail "the capture wrote no summary"
	[ -z "${NET_PEER:-}" ] || kill "$NET_PEER" 2>/dev/null || true
}

# net_count NAME: from_guest, to_guest or markers from the capture's summary.
net_count() {
	grep '^summary' "$E2E_OUT/capture.txt" | grep -o "$1=[0-9]*" | cut -d= -f2
}

# e2e_boot options that attach the 82540EM to the tap.
net_boot() {
	e2e_boot --scenario "$E2E_DIR/scenarios/net.sh" \
		--bochs-opt "pci: enabled=1, chipset=i440fx, slot1=e1000" \
		--bochs-opt "e1000: enabled=1, mac=$NET_GUEST_MAC, ethmod=tuntap, ethdev=/dev/net/tun:$NET_TAP" \
		"$@"
}

# ---- a Linux MACsec peer (Debian's kernel in QEMU, wpa_supplicant), as in
# t-macsec-interop; the guest's initramfs plus wpa_supplicant, ip and
# tests/net/peer-scenario.sh.
NET_PEER_GUEST=$REPO/build/guest
NET_PEER_KVER=$(cat "$NET_PEER_GUEST/kernel/kver" 2>/dev/null || true)
NET_PEER_KERNEL=$NET_PEER_GUEST/kernel/boot/vmlinuz-$NET_PEER_KVER

# net_macsec_peer_initrd CAK CKN PRIO EXTRA_ENV: $E2E_OUT/peer-initrd.img.
net_macsec_peer_initrd() {
	need_file "$NET_PEER_GUEST/initrd.img"
	command -v wpa_supplicant >/dev/null || fail "wpa_supplicant missing (tools/deps.sh)"
	stage=$E2E_OUT/peer-root
	rm -rf "$stage"
	mkdir -p "$stage/usr/sbin"
	cp /usr/sbin/wpa_supplicant "$stage/usr/sbin/"
	cp "$(command -v ip)" "$stage/usr/sbin/ip-full"
	for lib in $(ldd /usr/sbin/wpa_supplicant "$(command -v ip)" |
			awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
	cp "$REPO/tests/net/peer-scenario.sh" "$stage/scenario"
	printf 'PEER_CAK=%s\nPEER_CKN=%s\nPEER_PRIO=%s\n%s\n' "$1" "$2" "$3" "$4" >"$stage/peer.env"
	(cd "$stage" && find . | cpio -o -H newc --quiet) >"$E2E_OUT/peer.cpio" ||
		fail "cannot make the peer's cpio"
	{ zstd -dcq "$NET_PEER_GUEST/initrd.img" && cat "$E2E_OUT/peer.cpio"; } \
		>"$E2E_OUT/peer-initrd.img" || fail "cannot make the peer's initramfs"
}

# net_macsec_peer_start TAP SECONDS: the peer VM on TAP (TCG), console in peer.log; NET_QPID.
net_macsec_peer_start() {
	need_file "$NET_PEER_KERNEL"
	rm -f "$E2E_OUT/peer.log"
	timeout "$(_scaled "$2")" qemu-system-x86_64 -machine q35,accel=tcg \
		-m 512 -smp 1 -nodefaults -display none -no-reboot \
		-kernel "$NET_PEER_KERNEL" -initrd "$E2E_OUT/peer-initrd.img" \
		-append "console=ttyS0,115200 loglevel=4 mamori.modules=e1000,macsec" \
		-netdev tap,id=n0,ifname="$1",script=no,downscript=no \
		-device e1000,netdev=n0,mac=52:54:00:4d:00:02 \
		-serial file:"$E2E_OUT/peer.log" </dev/null >"$E2E_OUT/qemu.out" 2>&1 &
	NET_QPID=$!
}
