# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by run.sh and long.sh: fuzz_options DIR TARGET prints the libFuzzer
# options of TARGET from DIR/options.list (-max_len, -dict).
fuzz_options() {
	awk -v t="$2" -v d="$1" '!/^#/ && $1 == t {
		printf "-max_len=%s", $2
		if ($3 != "-") printf " -dict=%s/%s", d, $3
		found = 1
	} END { if (!found) { print "options.list: no line for " t > "/dev/stderr"; exit 1 } }' \
		"$1/options.list"
}
