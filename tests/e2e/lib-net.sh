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
