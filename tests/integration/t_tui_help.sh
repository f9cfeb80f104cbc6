#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The help screen lists every key of `leaktop --list-keys` (both come from
# the one key table), with its help text; paging through it works and any
# other key closes it. Also: a broken settings file gives a message, not a
# crash, and S saves settings that the next start reads.
set -eu
. "${TOP_SRCDIR:-.}/tests/integration/lib.sh"

"$LEAKTOP" --list-keys >"$WORK/keys" || fail "--list-keys failed"
[ "$(wc -l <"$WORK/keys")" -ge 30 ] || fail "--list-keys printed too few keys"

# A broken settings file: a message, and leaktop runs.
mkdir -p "$WORK/config/leaktop"
printf 'tab = sockets\nthis is not a setting\nsockets.sort = nosuchcolumn\n\001\377\n' \
	>"$WORK/config/leaktop/leaktoprc"
start_leaktop -- -d 1
wait_for "settings line 2: expected key = value" 10
wait_re "^KIND +STATE" 10

keys h
wait_for "Up/Down/PgUp/PgDn scroll this help" 5
: >"$WORK/help"
i=0
while :; do
	screen >>"$WORK/help"
	grep -qF "never 0." "$WORK/help" && break
	i=$((i + 1))
	[ $i -le 40 ] || fail "the end of the help never came"
	before=$(screen | md5sum)
	keys PageDown
	d=$(deadline 5)
	while [ "$(screen | md5sum)" = "$before" ]; do
		past "$d" && fail "PageDown did not scroll the help"
		sleep 0.1
	done
done
missing=0
while IFS="$(printf '\t')" read -r label help; do
	line=$(printf '  %-10s %s' "$label" "$help" | cut -c1-80)
	if ! grep -qF -- "$line" "$WORK/help"; then
		echo "missing from help: $label ($help)"
		missing=$((missing + 1))
	fi
done <"$WORK/keys"
[ "$missing" -eq 0 ] || fail "$missing keys missing from the help screen"
keys x
wait_gone "scroll this help" 5

# S saves; the next start comes back on the same tab with the same sort.
keys 3
wait_re "CACHE" 5
keys r
wait_re "BYTES(▲|\^)" 5
keys S
wait_for "settings saved to $WORK/config/leaktop/leaktoprc" 5
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
grep -qx "tab = slab" "$WORK/config/leaktop/leaktoprc" || fail "tab not saved"
tm kill-session -t "$PANE"
start_leaktop -- -d 1
wait_re "BYTES(▲|\^)" 10
screen | grep -q "settings line" && fail "the saved file was reported as broken"
keys q
wait_re "^LEAKTOP-EXITED=0$" 10

# --no-config ignores it.
tm kill-session -t "$PANE"
start_leaktop -- --no-config -d 1
wait_re "KIND +SUBJECT" 10
keys q
wait_re "^LEAKTOP-EXITED=0$" 10
echo "PASS: help lists every key; settings load, save, survive a broken file"
