#!/bin/sh
# Print a deb822 deb-src stanza for each Debian "deb" source this machine is
# configured with: same URIs, suites, components and keyring, so a machine
# behind a local mirror or proxy fetches sources from where it fetches binaries.
#
#   tools/deps-src.sh [APT_DIR [CODENAME]]
#
# APT_DIR defaults to /etc/apt (reads sources.list and sources.list.d/*.list,
# *.sources: the one-line and the deb822 formats). CODENAME defaults to
# VERSION_CODENAME from /etc/os-release; a source counts as Debian's when one
# of its suites is CODENAME or CODENAME-* (bookworm, bookworm-updates,
# bookworm-security), which leaves third-party archives out. Disabled deb822
# stanzas (Enabled: no) are skipped. Exit 1, with a message, when none is found.
set -eu

apt_dir=${1:-/etc/apt}
codename=${2:-}
if [ -z "$codename" ] && [ -r /etc/os-release ]; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fi
[ -n "$codename" ] || { echo "deps-src: no Debian codename (give it as argument 2)" >&2; exit 1; }

files=""
[ -f "$apt_dir/sources.list" ] && files="$apt_dir/sources.list"
for f in "$apt_dir"/sources.list.d/*.list "$apt_dir"/sources.list.d/*.sources; do
	[ -f "$f" ] && files="$files $f"
done
[ -n "$files" ] || { echo "deps-src: no apt sources under $apt_dir" >&2; exit 1; }

# One awk pass per file; each source becomes "uri<TAB>suites<TAB>components<TAB>keyring".
for f in $files; do
	case $f in
	*.sources) fmt=deb822 ;;
	*) fmt=line ;;
	esac
	awk -v fmt="$fmt" '
	function flush() {
		if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "")
			for (i = split(uris, u, " "); i > 0; i--)
				print u[i] "\t" suites "\t" comps "\t" key
		types = uris = suites = comps = key = ""; enabled = "yes"; field = ""
	}
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); gsub(/[ \t]+/, " ", s); return s }
	fmt == "deb822" {
		if ($0 ~ /^[ \t]*#/) next
		if ($0 ~ /^[ \t]*$/) { flush(); next }
		if ($0 ~ /^[ \t]/) { if (field == "signed-by") key = ""; next }	# continuation (inline key)
		name = tolower(substr($0, 1, index($0, ":") - 1)); val = trim(substr($0, index($0, ":") + 1))
		field = name
		if (name == "types") types = val
		else if (name == "uris") uris = val
		else if (name == "suites") suites = val
		else if (name == "components") comps = val
		else if (name == "signed-by") key = val
		else if (name == "enabled") enabled = tolower(val)
		next
	}
	fmt == "line" {
		sub(/#.*/, ""); if (NF < 3 || $1 != "deb") next
		key = ""; n = 2
		if ($2 ~ /^\[/) {
			opts = ""
			for (; n <= NF; n++) { opts = opts " " $n; if ($n ~ /\]$/) { n++; break } }
			gsub(/[\[\]]/, "", opts)
			for (i = split(opts, o, " "); i > 0; i--)
				if (o[i] ~ /^signed-by=/) key = substr(o[i], 11)
		}
		uri = $n; suite = $(n + 1); comps = ""
		for (i = n + 2; i <= NF; i++) comps = comps (comps == "" ? "" : " ") $i
		print uri "\t" suite "\t" comps "\t" key
		next
	}
	END { if (fmt == "deb822") flush() }
	' "$f"
done | awk -F '\t' -v cn="$codename" '
	{
		n = split($2, s, " "); keep = ""
		for (i = 1; i <= n; i++)
			if (s[i] == cn || index(s[i], cn "-") == 1) keep = keep (keep == "" ? "" : " ") s[i]
		if (keep == "" || $3 == "") next
		id = $1 "\t" keep "\t" $3 "\t" $4
		if (seen[id]++) next
		found = 1
		printf "%sTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n", (out++ ? "\n" : ""), $1, keep, $3
		if ($4 != "") printf "Signed-By: %s\n", $4
	}
	END { if (!found) { print "deps-src: no Debian source for " cn " found" > "/dev/stderr"; exit 1 } }
'
