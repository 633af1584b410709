#!/bin/bash
# Refuse an archive of monitor/checks/ that needs anything from outside but
# the four functions GCC may emit calls to in freestanding code and strnlen
# (fs/ uses it).
set -eu
def=$(nm --defined-only "$1" | awk 'NF == 3 {print $3}' | sort -u)
bad=$(nm -u "$1" | awk '{print $2}' | sort -u | comm -23 - <(echo "$def") |
	grep -vxE 'memcpy|memmove|memset|memcmp|strnlen' || true)
if [ -n "$bad" ]; then
	echo "check-undef: $1 needs symbols outside the checks:" $bad >&2
	exit 1
fi
