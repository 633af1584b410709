# Shared helpers for tests/e2e/t-*.sh (sourced; see docs/testing.md).
#
# A test boots once with e2e_boot (tools/run-bochs options), then checks the
# exit code and the serial logs with expect_*; the first failed check ends the
# test with a reason that run-all.sh prints. Logs: $E2E_OUT/{com1,com2}.log.
set -eu

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
E2E_NAME=$(basename "$0" .sh)
E2E_OUT=${E2E_OUT:-$REPO/build/e2e/$E2E_NAME}
E2E_IMAGE=${E2E_IMAGE:-$REPO/build/disk.img}
E2E_RC=

mkdir -p "$E2E_OUT"
rm -f "$E2E_OUT/reason"

fail() {
	msg=$*
	if [ -f "$E2E_OUT/result" ]; then
		msg="$msg [run: $(sed -n 's/^reason=//p' "$E2E_OUT/result") after $(sed -n 's/^seconds=//p' "$E2E_OUT/result")s, exit $E2E_RC]"
	fi
	echo "FAIL: $msg"
	echo "$msg" >"$E2E_OUT/reason"
	exit 1
}

pass() {
	echo "PASS: $E2E_NAME"
	exit 0
}

# The development policy's passphrase (mgmt/dev-policy.txt), typed on COM2 at
# each VMM prompt unless a test passes its own --passphrase.
E2E_PASSPHRASE=${E2E_PASSPHRASE:-mamori-dev}

# Multiplies every --timeout a test gives (a busy machine runs Bochs slower;
# run-all.sh suggests a value when the load is high).
E2E_TIMEOUT_SCALE=${E2E_TIMEOUT_SCALE:-1}

_scaled() {
	awk -v t="$1" -v s="$E2E_TIMEOUT_SCALE" 'BEGIN { printf "%d\n", t * s + 0.5 }'
}

# e2e_boot RUN-BOCHS-OPTIONS...: one boot; sets E2E_RC to run-bochs's status.
e2e_boot() {
	[ -f "$E2E_IMAGE" ] || fail "image $E2E_IMAGE missing (make image)"
	n=$#
	prev=
	for arg; do
		case "$prev:$arg" in
		--timeout:*) arg=$(_scaled "$arg") ;;
		*:--timeout=*) arg=--timeout=$(_scaled "${arg#--timeout=}") ;;
		esac
		set -- "$@" "$arg"
		prev=$arg
	done
	shift "$n"
	case " $* " in
	*" --passphrase "*|*" --passphrase="*) ;;
	*) set -- --passphrase "$E2E_PASSPHRASE" "$@" ;;
	esac
	echo "boot: tools/run-bochs --image $E2E_IMAGE --out $E2E_OUT $*"
	E2E_RC=0
	"$REPO/tools/run-bochs" --image "$E2E_IMAGE" --out "$E2E_OUT" "$@" || E2E_RC=$?
	echo "boot: run-bochs exit status $E2E_RC"
	[ "$E2E_RC" != 126 ] || fail "run-bochs could not run ($E2E_OUT/bochs.out)"
}

# expect_rc CODE: run-bochs's status (the scenario's exit code, 124, 125).
expect_rc() {
	[ "$E2E_RC" = "$1" ] ||
		fail "exit status $E2E_RC, want $1 ($(grep '^why=' "$E2E_OUT/result" 2>/dev/null | cut -d= -f2-))"
}

_log() {
	case "$1" in
	com1|com2) echo "$E2E_OUT/$1.log" ;;
	*) fail "test bug: no log named $1" ;;
	esac
}

# expect_log com1|com2 ERE [WHAT]: some line of the log matches ERE.
expect_log() {
	grep -aEq -- "$2" "$(_log "$1")" ||
		fail "${3:-no line matching /$2/ in $1.log}"
}

# expect_no_log com1|com2 ERE [WHAT]: no line of the log matches ERE.
expect_no_log() {
	if grep -aEq -- "$2" "$(_log "$1")"; then
		fail "${3:-unexpected line in $1.log: $(grep -aE -m1 -- "$2" "$(_log "$1")" | tr -d '\r')}"
	fi
}

# expect_order com1|com2 ERE1 ERE2: the first match of ERE1 comes before the
# first match of ERE2.
expect_order() {
	f=$(_log "$1")
	a=$(grep -anE -m1 -- "$2" "$f" | cut -d: -f1)
	b=$(grep -anE -m1 -- "$3" "$f" | cut -d: -f1)
	[ -n "$a" ] || fail "no line matching /$2/ in $1.log"
	[ -n "$b" ] || fail "no line matching /$3/ in $1.log"
	[ "$a" -lt "$b" ] || fail "/$2/ (line $a) not before /$3/ (line $b) in $1.log"
}

# need_file PATH: the build product a test needs.
need_file() {
	[ -f "$1" ] || fail "$1 missing (make)"
}
