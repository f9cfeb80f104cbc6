# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the live cgroup tests (t_cgroups_live.sh, t_tui_cgroups.sh):
# where the hierarchies are mounted, which one holds the memory controller,
# and taking the test's cgroups down again.

# cg_find_mounts: V2MNT (the cgroup2 mount), V1MNT (the v1 memory mount,
# empty when none) and MEMHIER: v1 where v1 has the memory controller, else
# v2 when memory is enabled below the v2 root. SKIP (exit 77) otherwise, or
# when there is no cgroup2 mount: sockets carry only a v2 cgroup id.
cg_find_mounts() {
	# Mount points from mountinfo: field 5 is the mount point, the type follows " - ".
	V2MNT=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; if ($(i + 1) == "cgroup2") print $5 }' \
		/proc/self/mountinfo | tail -n 1)
	V1MNT=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup" && ("," $(i + 3) ",") ~ /,memory,/) print $5 }' /proc/self/mountinfo | tail -n 1)
	if [ -z "$V2MNT" ]; then
		echo "SKIP: no cgroup2 mount: sockets carry no cgroup id to test"
		exit 77
	fi
	if [ -n "$V1MNT" ]; then
		MEMHIER=v1
	elif grep -qw memory "$V2MNT/cgroup.subtree_control" 2>/dev/null; then
		MEMHIER=v2
	else
		echo "SKIP: the memory controller is neither on v1 nor enabled below the v2 root"
		exit 77
	fi
}

# cg_kill_tasks CGROUP...: signal every task still in these cgroups.
cg_kill_tasks() {
	for _cg in "$@"; do
		for _p in $(cat "$_cg/cgroup.procs" 2>/dev/null); do
			kill "$_p" 2>/dev/null || true
		done
	done
}

# cg_remove CGROUP...: remove these cgroups. One goes once its last task is
# reaped: retry briefly, then warn.
cg_remove() {
	for _cg in "$@"; do
		_i=0
		while [ -d "$_cg" ] && ! rmdir "$_cg" 2>/dev/null && [ $_i -lt 50 ]; do
			_i=$((_i + 1))
			sleep 0.1
		done
		if [ -d "$_cg" ]; then
			echo "WARNING: could not remove $_cg"
		fi
	done
}
