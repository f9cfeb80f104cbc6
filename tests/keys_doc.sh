#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every key of `leaktop --list-keys` (the key table in tui/keys.c) is
# documented in the KEYS section of doc/leaktop.1, and the man page documents
# no key that does not exist. A key is documented as a .TP item whose tag
# line names it, e.g. ".B PgDn" or ".BR q \", \" F10" (several keys, commas).
set -eu

: "${LEAKTOP:?}" "${TOP_SRCDIR:?}"
man="$TOP_SRCDIR/doc/leaktop.1"
tmp=$(mktemp -d /tmp/leaktop-keysdoc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$LEAKTOP" --list-keys | cut -f1 | sort -u >"$tmp/table"
[ -s "$tmp/table" ] || { echo "FAIL: --list-keys printed nothing"; exit 1; }

# The tag lines of the KEYS section, troff escapes and font macros removed,
# one key per line.
awk '/^\.SH/ { in_keys = ($0 ~ /^\.SH +"?KEYS"?/) ; next }
     in_keys && tag { print; tag = 0; next }
     in_keys && /^\.TP/ { tag = 1 }' "$man" |
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\&//g' \
	    -e 's/\\(em/-/g' -e 's/^\.[A-Z][A-Z]* *//' -e 's/"//g' |
	tr ',' '\n' | sed -e 's/^ *//' -e 's/ *$//' | grep -v '^$' | sort -u >"$tmp/man"

fail=0
while IFS= read -r k; do
	if ! grep -qxF -- "$k" "$tmp/man"; then
		echo "FAIL: key '$k' is not documented in the KEYS section of doc/leaktop.1"
		fail=1
	fi
done <"$tmp/table"
while IFS= read -r k; do
	if ! grep -qxF -- "$k" "$tmp/table"; then
		echo "FAIL: doc/leaktop.1 documents key '$k', which leaktop does not have"
		fail=1
	fi
done <"$tmp/man"
[ "$fail" -eq 0 ] || exit 1
echo "PASS: $(wc -l <"$tmp/table") keys documented, none extra"
