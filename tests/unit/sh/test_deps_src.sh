#!/bin/sh
# tools/deps-src.sh on temporary apt directories: the deb-src entry it derives
# must carry the configured mirror, suites, components and keyring (one-line
# and deb822 sources), leave third-party and disabled sources out, and fail
# when no Debian source is configured. Prints cmocka-style lines for run-unit.sh.
set -u
tool=$(cd "$(dirname "$0")/../../.." && pwd)/tools/deps-src.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failed=0

check() {	# NAME EXPECTED-FILE ACTUAL-FILE
	if cmp -s "$2" "$3"; then
		echo "[       OK ] $1"; pass=$((pass + 1))
	else
		echo "[  FAILED  ] $1"; diff "$2" "$3" | sed 's/^/    /'; failed=$((failed + 1))
	fi
}

# 1. one-line format behind a local mirror, with [signed-by=] and a third-party entry
d=$tmp/a; mkdir -p "$d/sources.list.d"
cat >"$d/sources.list" <<'S'
# local mirror
deb [arch=amd64 signed-by=/etc/apt/keyrings/local.gpg] http://mirror.lan/debian bookworm main contrib
deb http://mirror.lan/debian bookworm-updates main
deb-src http://elsewhere/debian bookworm main
S
echo 'deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main' >"$d/sources.list.d/g.list"
cat >"$tmp/a.want" <<'S'
Types: deb-src
URIs: http://mirror.lan/debian
Suites: bookworm
Components: main contrib
Signed-By: /etc/apt/keyrings/local.gpg

Types: deb-src
URIs: http://mirror.lan/debian
Suites: bookworm-updates
Components: main
S
"$tool" "$d" bookworm >"$tmp/a.got" 2>&1
check one-line-mirror "$tmp/a.want" "$tmp/a.got"

# 2. deb822 with two URIs, a disabled stanza and a third-party stanza
d=$tmp/b; mkdir -p "$d/sources.list.d"
cat >"$d/sources.list.d/debian.sources" <<'S'
Types: deb
# a comment
URIs: http://proxy.lan:3142/debian
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://disabled.lan/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main
S
cat >"$tmp/b.want" <<'S'
Types: deb-src
URIs: http://proxy.lan:3142/debian
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
S
"$tool" "$d" bookworm >"$tmp/b.got" 2>&1
check deb822-proxy "$tmp/b.want" "$tmp/b.got"

# 3. only third-party sources: refused, with a message
d=$tmp/c; mkdir -p "$d/sources.list.d"
echo 'deb https://deb.nodesource.com/node_20.x nodistro main' >"$d/sources.list.d/n.list"
if "$tool" "$d" bookworm >"$tmp/c.got" 2>&1; then
	echo 'exit 0' >>"$tmp/c.got"
fi
echo 'deps-src: no Debian source for bookworm found' >"$tmp/c.want"
check no-debian-source "$tmp/c.want" "$tmp/c.got"

echo "[==========] $((pass + failed)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
[ "$failed" = 0 ] || { echo "[  FAILED  ] $failed test(s), listed above."; exit 1; }
