/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The adapters behind fuzz_parsers.h. Text parsers get the fuzzer's bytes as
 * they are, without the NUL that buf_readat adds: the parsers promise to stay
 * within len. Targets that cover several /proc/net files or dump kinds with
 * one parser take the first byte as the selector (the ASCII digits of the
 * seed list, see select_inet), so one corpus reaches every variant.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compat.h"
#include "fuzz_parsers.h"
#include "kstack.h"
#include "meminfo.h"
#include "notes.h"
#include "proc.h"
#include "proc_parse.h"
#include "procnet.h"
#include "slabinfo.h"
#include "sock.h"
#include "sockdiag.h"
#include "tcpmem.h"
#include "tmpfs.h"
#include "vmalloc.h"

#define SOURCE "fuzz"
#define PAGE_SIZE_FUZZ 4096

/* An invariant broke: abort so the fuzzer saves the input. */
#define EXPECT(cond) do { if (!(cond)) abort(); } while (0)

static const char *text(const uint8_t *data)
{
	return (const char *)data;
}

static bool terminated(const char *s, size_t sz)
{
	return memchr(s, '\0', sz) != NULL;
}

static void notes_check_free(struct notes *ns)
{
	EXPECT(ns->n <= NOTES_MAX);
	for (size_t i = 0; i < ns->n; i++)
		EXPECT(terminated(ns->v[i].source, sizeof(ns->v[i].source)) &&
		       terminated(ns->v[i].msg, sizeof(ns->v[i].msg)));
	notes_free(ns);
}

static void run_meminfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct meminfo mi = { 0 };
	struct notes ns = { 0 };
	uint64_t v;

	if (meminfo_parse(text(data), len, SOURCE, &mi, &ns) == 0)
		for (size_t i = 0; i < mi.n; i++)
			EXPECT(terminated(mi.v[i].name, sizeof(mi.v[i].name)) &&
			       meminfo_get(&mi, mi.v[i].name, &v));
	meminfo_free(&mi);
	notes_check_free(&ns);
}

static void run_slabinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct slab_table t = { 0 };
	struct notes ns = { 0 };

	if (slabinfo_parse(text(data), len, SOURCE, PAGE_SIZE_FUZZ, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			EXPECT(terminated(t.v[i].name, sizeof(t.v[i].name)));
			EXPECT(i == 0 || strcmp(t.v[i - 1].name, t.v[i].name) <= 0);
			EXPECT(slab_table_find(&t, t.v[i].name) != NULL);
		}
	slab_table_free(&t);
	notes_check_free(&ns);
}

static void run_vmallocinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct vmalloc_table t = { 0 };
	struct notes ns = { 0 };

	if (vmallocinfo_parse(text(data), len, SOURCE, PAGE_SIZE_FUZZ, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			const struct vmalloc_caller *c = &t.v[i];

			EXPECT(terminated(c->caller, sizeof(c->caller)) &&
			       terminated(c->kind, sizeof(c->kind)));
			EXPECT(vmalloc_table_find(&t, c->caller, c->kind) != NULL);
		}
	vmalloc_table_free(&t);
	notes_check_free(&ns);
}

static void run_mountinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct tmpfs_table t = { 0 };
	struct notes ns = { 0 };

	if (tmpfs_parse_mountinfo(text(data), len, SOURCE, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			EXPECT(t.v[i].mountpoint && terminated(t.v[i].fstype, sizeof(t.v[i].fstype)));
			EXPECT(i == 0 || strcmp(t.v[i - 1].mountpoint, t.v[i].mountpoint) <= 0);
		}
	tmpfs_table_free(&t);
	notes_check_free(&ns);
}

static void run_sysv_shm(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sysv_shm shm = { 0 };
	struct notes ns = { 0 };

	if (sysv_shm_parse(text(data), len, SOURCE, &shm, &ns) == 0)
		EXPECT(shm.orphan_segments <= shm.segments);
	notes_check_free(&ns);
}

/* The tcpmem parsers share one result: check the counters and free. */
static void tcpmem_check_free(struct tcpmem *t, struct notes *ns)
{
	uint64_t v;

	EXPECT(t->ncounters <= t->counters_cap);
	for (size_t i = 0; i < t->ncounters; i++) {
		EXPECT(terminated(t->counters[i].name, sizeof(t->counters[i].name)));
		EXPECT(i == 0 || strcmp(t->counters[i - 1].name, t->counters[i].name) < 0);
		EXPECT(tcpmem_counter(t, t->counters[i].name, &v));
	}
	tcpmem_free(t);
	notes_check_free(ns);
}

static void run_tcpmem(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct tcpmem t = { 0 };
	struct notes ns = { 0 };

	p->fn.tcpmem(text(data), len, SOURCE, &t, &ns);
	tcpmem_check_free(&t, &ns);
}

/* What the views do with a socket table: sort it, name and format every
 * entry, find each one again. */
static void sock_check_free(struct sock_table *t, struct notes *ns)
{
	char a[256], b[256];

	EXPECT(t->n <= t->cap);
	sock_table_finish(t);
	for (size_t i = 0; i < t->n; i++) {
		const struct sock_entry *s = &t->v[i];

		EXPECT(s->kind < SK_KIND_COUNT);
		sock_format_local(t, s, a, sizeof(a));
		sock_format_peer(t, s, b, sizeof(b));
		EXPECT(terminated(a, sizeof(a)) && terminated(b, sizeof(b)));
		EXPECT(sock_state_name(s) != NULL && sock_kind_name(s->kind) != NULL);
		(void)sock_mem_bytes(s);
		EXPECT(sock_table_find(t, s->inode, s->cookie) != NULL);
	}
	sock_table_free(t);
	if (ns)
		notes_check_free(ns);
}

/* Selector byte, low three bits: kind in bits 0-1, IPv6 in bit 2, so the
 * seeds' '0'..'7' are tcp, udp, udplite, raw, tcp6, udp6, udplite6, raw6. */
static const enum sock_kind inet_kinds[] = { SK_TCP, SK_UDP, SK_UDPLITE, SK_RAW };

static void run_procnet_inet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	if (len < 1)
		return;
	procnet_parse_inet(text(data + 1), len - 1, SOURCE, inet_kinds[data[0] & 3],
			   data[0] & 4 ? AF_INET6 : AF_INET, &t, &ns);
	sock_check_free(&t, &ns);
}

static void run_procnet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	p->fn.procnet(text(data), len, SOURCE, &t, &ns);
	sock_check_free(&t, &ns);
}

static void run_proc(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct proc_entry e = { 0 };

	p->fn.proc(text(data), len, &e);
	EXPECT(terminated(e.comm, sizeof(e.comm)));
}

static void run_kstack(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	static struct kstack_thread t;
	size_t n = kstack_parse(text(data), len, &t);

	EXPECT(n == t.nframes && n <= KSTACK_MAX_FRAMES);
	for (size_t i = 0; i < n; i++)
		EXPECT(t.frames[i][0] != '\0' && terminated(t.frames[i], sizeof(t.frames[i])));
}

/*
 * A dump buffer as recv() fills it: netlink-aligned, and writable (the
 * runner clears NLM_F_DUMP_INTR in place), so the bytes are copied.
 */
static void sockdiag_run(const uint8_t *data, size_t len, enum sock_kind kind)
{
	struct sock_table t = { 0 };
	void *buf = malloc(len ? len : 1);
	int done_err = 0;
	bool intr = false;

	EXPECT(buf != NULL);
	memcpy(buf, data, len);
	sockdiag_run_buffer(buf, len, 0, 0, kind, &t, &done_err, &intr);
	free(buf);
	sock_check_free(&t, NULL);
}

/* Selector byte, low two bits: tcp, udp, udplite, raw (one parser). */
static void run_sockdiag_inet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	if (len >= 1)
		sockdiag_run(data + 1, len - 1, inet_kinds[data[0] & 3]);
}

static void run_sockdiag(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	sockdiag_run(data, len, (enum sock_kind)p->fn.sock_kind);
}

const struct fuzz_parser fuzz_parsers[] = {
	{ "meminfo", run_meminfo },
	{ "slabinfo", run_slabinfo },
	{ "vmallocinfo", run_vmallocinfo },
	{ "mountinfo", run_mountinfo },
	{ "sysv_shm", run_sysv_shm },
	{ "sockstat", run_tcpmem, { .tcpmem = tcpmem_parse_sockstat } },
	{ "netstat_snmp", run_tcpmem, { .tcpmem = tcpmem_parse_counters } },
	{ "protocols", run_tcpmem, { .tcpmem = tcpmem_parse_protocols } },
	{ "procnet_inet", run_procnet_inet },
	{ "procnet_unix", run_procnet, { .procnet = procnet_parse_unix } },
	{ "procnet_packet", run_procnet, { .procnet = procnet_parse_packet } },
	{ "procnet_netlink", run_procnet, { .procnet = procnet_parse_netlink } },
	{ "proc_stat", run_proc, { .proc = proc_parse_stat } },
	{ "proc_status", run_proc, { .proc = proc_parse_status } },
	{ "proc_smaps_rollup", run_proc, { .proc = proc_parse_smaps_rollup } },
	{ "kstack", run_kstack },
	{ "sockdiag_inet", run_sockdiag_inet },
	{ "sockdiag_unix", run_sockdiag, { .sock_kind = SK_UNIX } },
	{ "sockdiag_packet", run_sockdiag, { .sock_kind = SK_PACKET } },
	{ "sockdiag_netlink", run_sockdiag, { .sock_kind = SK_NETLINK } },
};
const size_t fuzz_parsers_n = ARRAY_SIZE(fuzz_parsers);

const struct fuzz_parser *fuzz_parser_find(const char *name)
{
	for (size_t i = 0; i < fuzz_parsers_n; i++)
		if (strcmp(fuzz_parsers[i].name, name) == 0)
			return &fuzz_parsers[i];
	return NULL;
}
