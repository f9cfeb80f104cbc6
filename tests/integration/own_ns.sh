# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced first (before lib.sh) by the tests that judge what leaktop ranks
# or costs among all of the machine's processes: as root, the test runs
# again in network and pid namespaces of its own (lo up, /proc mounted
# afresh), so the processes and sockets leaktop lists are the test's and
# not whatever else the shared machine runs at the time (a fuzzer whose
# heap grows faster than the test's leak, another test's 100k sockets). The
# memory side (/proc/meminfo, slab, tmpfs) stays the machine's, and so do
# tcp_mem and tcp_max_orphans, which a new network namespace does not show:
# tests of those stay outside. When the test, pid 1 inside, exits, the
# kernel ends everything left there. LEAKTOP_IN_NS holds the test's pid
# outside, for names that must not collide between tests (lib.sh's tmux
# socket).
if [ "$(id -u)" -eq 0 ] && [ -z "${LEAKTOP_IN_NS:-}" ]; then
	if ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
		echo "SKIP: needs unshare (util-linux) and ip (iproute2) for private namespaces"
		exit 77
	fi
	if ! unshare --net --pid --fork --mount-proc true 2>/dev/null; then
		echo "SKIP: cannot make network and pid namespaces here"
		exit 77
	fi
	LEAKTOP_IN_NS=$$ exec unshare --net --pid --fork --mount-proc -- \
		sh -c 'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
fi
