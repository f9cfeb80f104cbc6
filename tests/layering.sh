#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The layers stay apart: core/ includes no curses header and
# core/libleaktop.a references no curses symbol (batch mode and the tests
# link it without curses); tui/ never opens /proc or /sys itself (no string
# literal that is a /proc or /sys path: it asks core/; prose that mentions
# /proc in a help text is fine).
set -eu

: "${TOP_SRCDIR:?}"
lib="${TOP_BUILDDIR:-$(dirname "${LEAKTOP:?}")}/core/libleaktop.a"
fail=0

if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|panel\.h|menu\.h|form\.h)' \
	"$TOP_SRCDIR"/core/*.c "$TOP_SRCDIR"/core/*.h; then
	echo "FAIL: core/ includes a curses header (above)"
	fail=1
fi

[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }
command -v nm >/dev/null || { echo "SKIP: nm (binutils) is not installed"; exit 77; }
nm -u "$lib" | awk '{ print $NF }' | sort -u >"${TMPDIR:-/tmp}/layering-undef.$$"
trap 'rm -f "${TMPDIR:-/tmp}/layering-undef.$$" "${TMPDIR:-/tmp}/layering-curses.$$"' EXIT
# The curses entry points, from the libraries themselves when they can be
# found, plus the names every curses program uses.
: >"${TMPDIR:-/tmp}/layering-curses.$$"
for l in $(ldconfig -p 2>/dev/null | awk '/lib(ncursesw|ncurses|tinfo)\.so/ { print $NF }'); do
	nm -D --defined-only "$l" 2>/dev/null | awk '{ print $NF }' >>"${TMPDIR:-/tmp}/layering-curses.$$"
done
printf '%s\n' initscr newterm endwin stdscr curscr LINES COLS wrefresh wnoutrefresh doupdate \
	wgetch wattrset wattr_on start_color init_pair keypad curs_set werase wclear \
	waddnwstr mvwaddnstr setupterm tigetstr tputs >>"${TMPDIR:-/tmp}/layering-curses.$$"
bad=$(sort -u "${TMPDIR:-/tmp}/layering-curses.$$" | comm -12 - "${TMPDIR:-/tmp}/layering-undef.$$")
if [ -n "$bad" ]; then
	echo "FAIL: core/libleaktop.a uses curses symbols: $bad"
	fail=1
fi

if grep -nE '"/(proc|sys)(/[^" ]*)?"' "$TOP_SRCDIR"/tui/*.c "$TOP_SRCDIR"/tui/*.h; then
	echo "FAIL: tui/ names /proc or /sys paths itself (above); read through core/"
	fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "PASS: core has no curses; tui opens no /proc or /sys path"
