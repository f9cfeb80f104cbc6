// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules behind every suspect, as data: change a verdict here, not in
 * the code that finds suspects.
 */
#include "verdicts.h"

#include <stdio.h>
#include <string.h>

#include "compat.h"

static const struct verdict_rule rules[SUS_KIND_COUNT] = {
	[SUS_SENDQ] = { "sendq",
		"{subject}: send queue grows {rate}; its peer {detail} does not read",
		"Enter: the socket", SUS_TO_SOCKET, CORR_TCP_MEM, false, 3 },
	[SUS_RECVQ] = { "recvq",
		"{subject}: receive queue grows {rate}; its owner does not read it",
		"Enter: the socket", SUS_TO_SOCKET, CORR_TCP_MEM, false, 3 },
	[SUS_STATE_PILE] = { "state pile",
		"{subject} piles up {detail}",
		"Enter: the process", SUS_TO_PROCESS, CORR_SOCK_INODE, true, 3 },
	[SUS_BACKLOG] = { "backlog",
		"{subject}: {detail} backlog grows {rate}; nobody reads it",
		"Enter: the socket", SUS_TO_SOCKET, CORR_NONE, false, 3 },
	[SUS_SLAB] = { "slab",
		"slab cache {subject} grows {rate}{detail}",
		"Enter: the cache", SUS_TO_SLAB, CORR_SLAB_CLASS, false, 3 },
	[SUS_VMALLOC] = { "vmalloc",
		"vmalloc caller {subject} grows {rate}; a kernel module or subsystem keeps allocating",
		"Enter: the vmalloc tab", SUS_TO_TAB, CORR_VMALLOC, false, 3 },
	[SUS_PROC_RSS] = { "rss",
		"{subject}: resident memory grows {rate}",
		"Enter: the process", SUS_TO_PROCESS, CORR_ANON, false, 3 },
	[SUS_PROC_FDS] = { "fd leak",
		"{subject} leaks file descriptors: {detail}",
		"Enter: the process", SUS_TO_PROCESS, CORR_FILP, true, 3 },
	[SUS_TMPFS] = { "tmpfs",
		"tmpfs {subject} fills {rate}: files written and never removed stay in RAM (Shmem)",
		"Enter: the memory tab", SUS_TO_TAB, CORR_SHMEM, false, 3 },
	[SUS_ORPHANS] = { "orphans",
		"orphaned TCP sockets {subject} grow {rate}: no process holds them; {detail}",
		"Enter: the tcp tab", SUS_TO_TAB, CORR_ORPHANS, true, 3 },
	[SUS_TCP_PRESSURE] = { "tcp pressure",
		"TCP memory is {detail} of tcp_mem pressure; past it the kernel prunes queues and drops",
		"Enter: the tcp tab", SUS_TO_TAB, CORR_NONE, false, 3 },
	[SUS_ORPHAN_LIMIT] = { "orphan limit",
		"orphans are {detail} of tcp_max_orphans; past it: \"Out of socket memory\", resets",
		"Enter: the tcp tab", SUS_TO_TAB, CORR_NONE, true, 3 },
	[SUS_UNACCOUNTED] = { "unaccounted",
		"memory nobody accounts for grows {rate}, not slab, not vmalloc, not sockets: a driver or "
		"alloc_pages leak; page_owner can name the allocation site",
		"Enter: the memory tab", SUS_TO_TAB, CORR_NOT_SOCKETS, false, 3,
		/* The difference of a dozen counters not read at once: sigma
		 * of its change is ~1.6 MiB a sample (doc/memory-accounting.md),
		 * so three points must rise ten times that, five are a fit. */
		5, 16.0 * 1024 * 1024 },
	[SUS_CGROUP] = { "cgroup",
		"cgroup {subject}: {detail} grows {rate}",
		"Enter: its processes and sockets", SUS_TO_CGROUP, CORR_NONE, false, 3 },
};

const struct verdict_rule *verdict_rule(enum suspect_kind k)
{
	return (unsigned int)k < SUS_KIND_COUNT ? &rules[k] : &rules[SUS_UNACCOUNTED];
}

void verdict_format(enum suspect_kind k, const char *subject, const char *rate, const char *detail,
		    char *out, size_t sz)
{
	static const char *const tokens[] = { "{subject}", "{rate}", "{detail}" };
	const struct verdict_rule *r = verdict_rule(k);
	const char *vals[3] = { subject, rate, detail };
	char raw[512];
	size_t n = 0;

	for (const char *p = r->text; *p && n + 1 < sizeof(raw);) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(tokens); i++)
			if (strncmp(p, tokens[i], strlen(tokens[i])) == 0)
				break;
		if (i < ARRAY_SIZE(tokens)) {
			n += (size_t)snprintf(raw + n, sizeof(raw) - n, "%s", vals[i] ? vals[i] : "");
			if (n >= sizeof(raw))
				n = sizeof(raw) - 1;
			p += strlen(tokens[i]);
		} else {
			raw[n++] = *p++;
		}
	}
	raw[n] = '\0';
	if (n + 1 < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - n, " (%s)", r->key);
	snprintf(out, sz, "%s", raw);
}

static const struct verdict_state_hint tcp_hints[16] = {
	[TCPS_ESTAB] = { "ESTAB connections", "it opens them and never closes them" },
	[TCPS_SYN_SENT] = { "SYN-SENT sockets", "it connects to a peer that does not answer" },
	[TCPS_SYN_RECV] = { "SYN-RECV sockets", "clients never finish the handshake" },
	[TCPS_FIN_WAIT1] = { "FIN-WAIT-1 sockets", "it closed, the peer does not ACK" },
	[TCPS_FIN_WAIT2] = { "FIN-WAIT-2 sockets", "it shut down writing, the peer never closes" },
	[TCPS_TIME_WAIT] = { "TIME-WAIT sockets", "connections it closed first" },
	[TCPS_CLOSE] = { "closed sockets", "it never releases them" },
	[TCPS_CLOSE_WAIT] = { "CLOSE-WAIT sockets", "it never closes what its peers closed" },
	[TCPS_LAST_ACK] = { "LAST-ACK sockets", "the peer does not ACK the last FIN" },
	[TCPS_LISTEN] = { "listening sockets", "it opens listeners and never closes them" },
	[TCPS_CLOSING] = { "CLOSING sockets", "both ends closed, the last ACK is lost" },
};

const struct verdict_state_hint *verdict_state_hint(uint8_t sock_kind, uint8_t state)
{
	static const struct verdict_state_hint unix_hint = { "unix sockets",
							     "it never closes them" };
	static const struct verdict_state_hint other = { "sockets", "it never closes them" };

	if (sock_kind == SK_TCP && state < ARRAY_SIZE(tcp_hints) && tcp_hints[state].what)
		return &tcp_hints[state];
	return sock_kind == SK_UNIX ? &unix_hint : &other;
}

const char *verdict_orphan_wait(uint8_t state)
{
	switch (state) {
	case TCPS_FIN_WAIT1: return "FIN-WAIT-1: they wait for the peer to ACK our FIN (unsent data, a gone peer)";
	case TCPS_FIN_WAIT2: return "FIN-WAIT-2: they wait for the peer's FIN, tcp_fin_timeout at most";
	case TCPS_LAST_ACK: return "LAST-ACK: they wait for the ACK of our FIN";
	case TCPS_CLOSING: return "CLOSING: they wait for the ACK of our FIN";
	default: return "they wait for the peer";
	}
}

bool verdict_slab_follows_sockets(const char *name)
{
	static const char *const names[] = { "filp", "sock_inode_cache", "dentry", "TCP", "TCPv6",
					     "UDP", "UDPv6", "UNIX", "PACKET", "NETLINK", "RAW",
					     "RAWv6", "request_sock_TCP", "request_sock_TCPv6",
					     "tw_sock_TCP", "tw_sock_TCPv6", "tcp_bind_bucket",
					     "tcp_bind2_bucket", "eventpoll_pwq",
					     "eventpoll_epi", "skbuff_head_cache",
					     /* leaktop's own /proc/PID/fd walk: a
					      * proc inode per fd it reads */
					     "proc_inode_cache" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

bool verdict_slab_follows_queues(const char *name)
{
	static const char *const prefixes[] = { "kmalloc-", "skbuff_" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

double verdict_task_object(const char *name, bool vmalloc)
{
	/* vmalloc'd kernel stacks (CONFIG_VMAP_STACK), THREAD_SIZE each */
	static const char *const stack_callers[] = { "alloc_thread_stack_node", "kernel_clone",
						     "copy_process", "dup_task_struct" };
	static const char *const caches[] = { "task_struct", "pid", "signal_cache", "sighand_cache",
					      "mm_struct", "vm_area_struct", "anon_vma",
					      "anon_vma_chain", "cred_jar", "files_cache",
					      "fs_cache", "task_delay_info", "pid_namespace" };

	for (size_t i = 0; vmalloc && i < ARRAY_SIZE(stack_callers); i++)
		if (strcmp(name, stack_callers[i]) == 0)
			return 16384;
	for (size_t i = 0; !vmalloc && i < ARRAY_SIZE(caches); i++)
		if (strcmp(name, caches[i]) == 0)
			return 1;
	return 0;
}

/* Per socket kind: its protocol's slab cache and a typical objsize. */
static const struct {
	const char *cache;
	double bytes;
} sock_costs[SK_KIND_COUNT] = {
	[SK_TCP] = { "TCP", 2432 },
	[SK_UDP] = { "UDP", 1344 },
	[SK_UDPLITE] = { "UDP-Lite", 1344 },
	[SK_RAW] = { "RAW", 1152 },
	[SK_UNIX] = { "UNIX", 1216 },
	[SK_PACKET] = { "PACKET", 1536 },
	[SK_NETLINK] = { "NETLINK", 1088 },
};

#define COST_FILP 256.0
#define COST_SOCK_INODE 832.0
#define COST_PROC_INODE 720.0
#define COST_DENTRY 192.0

static double slab_objsize(const struct snapshot *s, const char *name, double fallback)
{
	const struct slab_cache *c = s ? slab_table_find(&s->slab, name) : NULL;

	return c && c->objsize ? (double)c->objsize : fallback;
}

double verdict_cost_fd(const struct snapshot *s)
{
	return slab_objsize(s, "filp", COST_FILP);
}

double verdict_cost_fd_walk(const struct snapshot *s)
{
	return slab_objsize(s, "proc_inode_cache", COST_PROC_INODE) +
	       slab_objsize(s, "dentry", COST_DENTRY);
}

double verdict_cost_socket(const struct snapshot *s, uint8_t sock_kind, bool with_inode)
{
	double b = 1024;

	if (sock_kind < SK_KIND_COUNT)
		b = slab_objsize(s, sock_costs[sock_kind].cache, sock_costs[sock_kind].bytes);
	if (with_inode)
		b += slab_objsize(s, "sock_inode_cache", COST_SOCK_INODE) +
		     slab_objsize(s, "filp", COST_FILP);
	return b;
}

bool verdict_slab_reclaimable(const char *name)
{
	static const char *const exact[] = { "dentry", "buffer_head", "radix_tree_node",
					     "xfs_inode", "nfs_inode_cache" };
	static const char suffix[] = "inode_cache";
	/* kmalloc's SLAB_RECLAIM_ACCOUNT caches (KMALLOC_RECLAIM) */
	static const char rcl[] = "kmalloc-rcl-";
	size_t n = strlen(name);

	if (strncmp(name, rcl, sizeof(rcl) - 1) == 0)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
		if (strcmp(name, exact[i]) == 0)
			return true;
	/* shmem and sock inodes live as long as their files and sockets. */
	if (strcmp(name, "shmem_inode_cache") == 0 || strcmp(name, "sock_inode_cache") == 0)
		return false;
	return n >= sizeof(suffix) - 1 && strcmp(name + n - (sizeof(suffix) - 1), suffix) == 0;
}
