/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drill-down views, rebuilt from the shown snapshot on every frame and
 * found by identity (socket inode+cookie, pid+start time, slab name), so a
 * socket or process that disappears says so instead of showing another
 * one's data. Kernel stacks are read through core/kstack (the TUI never
 * opens /proc), for at most DRILL_MAX_PIDS processes, on open and per sample.
 */
#include "config.h"

#include "drill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_join.h"
#include "compat.h"
#include "evidence.h"
#include "fields.h"
#include "format.h"
#include "kstack.h"
#include "notes.h"
#include "keys.h"
#include "missing.h"
#include "sockjoin.h"
#include "tabs.h"
#include "tcpinfo.h"
#include "text.h"
#include "theme.h"
#include "trend.h"
#include "xalloc.h"

#define DRILL_MAX_PIDS 8
#define DRILL_MAX_THREADS 64
#define DRILL_MAX_SOCKS 500
/* A cgroup page lists this many of its processes and sockets; the tabs
 * narrowed to it list them all. */
#define DRILL_CG_LIST 20
/* What a cgroup page, and a tab narrowed to a cgroup, are built from. */
#define CGROUP_SECTIONS (SNAP_CGROUPS | SNAP_PROCS | SNAP_SOCKETS | SNAP_OWNERS)

static const struct snapshot *shown(const struct app *a)
{
	return a->diff ? a->diff->b : a->view;
}

static void free_stacks(struct drill_view *v)
{
	for (size_t i = 0; i < v->nstacks; i++)
		kstack_proc_free(&v->stacks[i]);
	free(v->stacks);
	v->stacks = NULL;
	v->nstacks = 0;
}

static const struct sock_entry *find_sock(const struct app *a, const struct drill_view *v,
					  const struct snapshot **from)
{
	const struct snapshot *s = shown(a);
	const struct sock_entry *e = sock_table_find(&s->socks, (uint32_t)v->k[0], v->k[1]);

	*from = s;
	if (!e && a->diff && a->diff->a) {
		e = sock_table_find(&a->diff->a->socks, (uint32_t)v->k[0], v->k[1]);
		*from = a->diff->a;
	}
	return e;
}

static const struct proc_entry *find_proc(const struct snapshot *s, uint64_t pid, uint64_t start)
{
	const struct proc_entry *p = proc_table_find(&s->procs, (int32_t)pid);

	return p && p->starttime == start ? p : NULL;
}

static void add_pid(int32_t *pids, uint64_t *starts, size_t *n, int32_t pid, uint64_t start)
{
	for (size_t i = 0; i < *n; i++)
		if (pids[i] == pid)
			return;
	if (*n < DRILL_MAX_PIDS) {
		starts[*n] = start;
		pids[(*n)++] = pid;
	}
}

void drill_refresh(struct app *a)
{
	struct drill_view *v;
	int32_t pids[DRILL_MAX_PIDS];
	uint64_t starts[DRILL_MAX_PIDS];
	size_t n = 0;

	if (!a->ndrill)
		return;
	v = &a->drill[a->ndrill - 1];
	free_stacks(v);
	if (v->kind == DRILL_SOCK) {
		const struct snapshot *from;
		const struct sock_entry *e = find_sock(a, v, &from);
		const struct sock_owner *o = e ? sock_owners_of(&from->socks, e) : NULL;

		for (uint32_t i = 0; o && i < e->owner_n; i++)
			add_pid(pids, starts, &n, o[i].pid, o[i].starttime);
	} else if (v->kind == DRILL_PROC) {
		add_pid(pids, starts, &n, (int32_t)v->k[0], v->k[1]);
	}
	if (!n)
		return;
	v->stacks = xcalloc(n, sizeof(*v->stacks));
	for (size_t i = 0; i < n; i++)
		kstack_read_process(a->cfg->root, pids[i], starts[i], DRILL_MAX_THREADS,
				    &v->stacks[i]);
	v->nstacks = n;
}

void drill_push(struct app *a, enum drill_kind kind, uint64_t k0, uint64_t k1, const char *name)
{
	struct drill_view *v;

	if (a->ndrill >= DRILL_MAX)
		return;
	v = &a->drill[a->ndrill++];
	memset(v, 0, sizeof(*v));
	v->kind = (uint8_t)kind;
	v->k[0] = k0;
	v->k[1] = k1;
	snprintf(v->name, sizeof(v->name), "%s", name ? name : "");
	v->page.has_cursor = true;
	drill_refresh(a);
}

void drill_pop(struct app *a)
{
	struct drill_view *v;

	if (!a->ndrill)
		return;
	v = &a->drill[--a->ndrill];
	free_stacks(v);
	page_free(&v->page);
}

void drill_clear(struct app *a)
{
	while (a->ndrill)
		drill_pop(a);
}

unsigned int drill_sections(const struct app *a)
{
	unsigned int s = 0;

	for (size_t i = 0; i < a->ndrill; i++) {
		switch (a->drill[i].kind) {
		case DRILL_SOCK:
			/* The one page that shows tcp_info: the samples carry
			 * it while it is open. */
			s |= SNAP_SOCKETS | SNAP_OWNERS | SNAP_PROCS | SNAP_TCPINFO;
			break;
		case DRILL_PROC:
			s |= SNAP_SOCKETS | SNAP_OWNERS | SNAP_PROCS;
			break;
		case DRILL_SLAB:
			s |= SNAP_SLAB;
			break;
		case DRILL_CGROUP:
			s |= CGROUP_SECTIONS;
			break;
		}
	}
	if (a->cgfilter.on)
		s |= CGROUP_SECTIONS;
	return s;
}

static void stacks_lines(struct page *p, const struct drill_view *v)
{
	char comm[200], buf[256];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Kernel stacks (/proc/PID/task/TID/stack) and wchan");
	if (!v->nstacks)
		page_add(p, EL_MISSING, "  - no process to read (no owner known)");
	for (size_t i = 0; i < v->nstacks; i++) {
		const struct kstack_proc *kp = &v->stacks[i];

		if (kp->err) {
			page_add(p, EL_MISSING, "  pid %d: - %s", kp->pid,
				 kstack_err_reason(kp));
			continue;
		}
		for (size_t t = 0; t < kp->n; t++) {
			const struct kstack_thread *th = &kp->threads[t];

			text_safe(th->comm, comm, sizeof(comm));
			text_safe(th->wchan[0] ? th->wchan : "-", buf, sizeof(buf));
			page_add(p, EL_VALUE, "  pid %d tid %d %s state %c wchan %s", kp->pid,
				 th->tid, comm, th->state ? th->state : '?', buf);
			if (th->syscall[0]) {
				text_safe(th->syscall, buf, sizeof(buf));
				page_add(p, EL_NORMAL, "      syscall %s", buf);
			}
			if (th->stack_err) {
				page_add(p, EL_MISSING, "      stack: - %s",
					 notes_errno_reason(th->stack_err));
				continue;
			}
			if (!th->nframes)
				page_add(p, EL_NORMAL,
					 "      (empty stack: running in user space)");
			for (size_t f = 0; f < th->nframes && f < KSTACK_MAX_FRAMES; f++) {
				text_safe(th->frames[f], buf, sizeof(buf));
				page_add(p, EL_NORMAL, "      %s", buf);
			}
		}
	}
}

static void skmem_lines(struct page *p, const struct sock_entry *e, const struct sock_entry *old)
{
	static const char *const names[SKMEM_COUNT] = {
		"rmem_alloc",  "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc",
		"wmem_queued", "optmem", "backlog",    "drops",
	};
	char v[32], d[32];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "skmem%s", old ? " (value, change)" : "");
	if (!e->skmem_n) {
		page_add(p, EL_MISSING, "  - the kernel gave no skmem for this socket");
		return;
	}
	for (int i = 0; i < SKMEM_COUNT; i++) {
		if (i >= e->skmem_n) {
			page_add(p, EL_MISSING, "  %-12s %8s  (not given by this kernel)", names[i],
				 "-");
			continue;
		}
		if (i == SKMEM_DROPS)
			snprintf(v, sizeof(v), "%u", e->skmem[i]);
		else
			format_bytes(e->skmem[i], v, sizeof(v));
		d[0] = 0;
		if (old && i < old->skmem_n)
			format_delta_bytes((int64_t)e->skmem[i] - (int64_t)old->skmem[i], d,
					   sizeof(d));
		page_add(p, EL_NORMAL, "  %-12s %8s %8s", names[i], v, d);
	}
	format_bytes(sock_mem_bytes(e), v, sizeof(v));
	d[0] = 0;
	if (old && old->skmem_n)
		format_delta_bytes((int64_t)sock_mem_bytes(e) - (int64_t)sock_mem_bytes(old), d,
				   sizeof(d));
	page_add(p, EL_VALUE, "  %-12s %8s %8s", "total", v, d);
}

void drill_tpacket_version(const struct sock_entry *e, char *out, size_t sz)
{
	/* packet_diag's pdi_version is the kernel's enum tpacket_versions,
	 * TPACKET_V1 = 0; /proc/net/packet does not say. */
	if (e->source != SOCK_SRC_DIAG)
		snprintf(out, sz, "TPACKET version unknown (/proc/net)");
	else if (e->u.pk.version <= 2)
		snprintf(out, sz, "TPACKET_V%u", e->u.pk.version + 1u);
	else
		snprintf(out, sz, "TPACKET version %u (unknown)", e->u.pk.version);
}

/* tcp_info by the one table, four fields a line; a field the kernel did not
 * send (an older, shorter struct) shows "-". */
static void tcpinfo_lines(struct page *p, const struct sock_entry *e)
{
	char line[160];
	size_t len = 0;

	for (int f = 0; f < TI_COUNT; f++) {
		uint64_t v;
		char val[24] = "-";

		if (sock_tcpinfo_field(e, (enum tcpinfo_field)f, &v))
			snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
		len += (size_t)snprintf(line + len, sizeof(line) - len, "  %s %s",
					tcpinfo_fields[f].name, val);
		if (f % 4 == 3 || f == TI_COUNT - 1) {
			page_add(p, EL_NORMAL, "%s", line);
			len = 0;
		}
	}
	page_add(p, EL_NORMAL, "  tcp_info length %u bytes", e->u.in.tcpinfo_len);
}

/* Why a TCP socket of s shows no tcp_info. */
static const char *tcpinfo_absent(const struct snapshot *s, const struct sock_entry *e)
{
	if (e->source != SOCK_SRC_DIAG)
		return "none: /proc/net has no tcp_info";
	/* The TUI leaves it out of its samples while no socket page is open. */
	if (!(s->sections & SNAP_TCPINFO))
		return "not in this sample: the TUI asks for it only while a socket page is open";
	return "none: the kernel sent no tcp_info for this socket";
}

static void family_lines(struct page *p, const struct snapshot *s, const struct sock_entry *e)
{
	char ver[48];

	page_add(p, EL_NORMAL, "%s", "");
	switch (e->kind) {
	case SK_TCP:
	case SK_UDP:
	case SK_UDPLITE:
	case SK_RAW:
		page_add(p, EL_HEADING, "%s", e->kind == SK_TCP ? "tcp_info" : "inet");
		page_add(p, EL_NORMAL, "  timer %u  retrans %u  expires %u ms  shutdown %u",
			 e->timer, e->retrans, e->expires_ms, e->shutdown);
		if (e->has_tcpinfo)
			tcpinfo_lines(p, e);
		else if (e->kind == SK_TCP)
			page_add(p, EL_MISSING, "  %s", tcpinfo_absent(s, e));
		break;
	case SK_UNIX:
		page_add(p, EL_HEADING, "unix");
		page_add(p, EL_NORMAL, "  peer inode %u  pending %u  vfs inode %u",
			 e->u.un.peer_inode, e->u.un.pending, e->u.un.vfs_ino);
		break;
	case SK_PACKET:
		page_add(p, EL_HEADING, "packet");
		drill_tpacket_version(e, ver, sizeof(ver));
		page_add(p, EL_NORMAL, "  ifindex %u  protocol 0x%04x  %s", e->u.pk.ifindex,
			 e->u.pk.pkt_proto, ver);
		page_add(p, EL_NORMAL, "  rx ring %llu bytes  tx ring %llu bytes",
			 (unsigned long long)e->u.pk.rx_ring_bytes,
			 (unsigned long long)e->u.pk.tx_ring_bytes);
		break;
	case SK_NETLINK:
		page_add(p, EL_HEADING, "netlink");
		page_add(p, EL_NORMAL, "  protocol %u  portid %u  dst portid %u  dst group %u",
			 e->protocol, e->u.nl.portid, e->u.nl.dst_portid, e->u.nl.dst_group);
		break;
	default:
		break;
	}
}

static void owners_lines(struct page *p, const struct snapshot *s, const struct sock_entry *e)
{
	const struct sock_owner *o = sock_owners_of(&s->socks, e);
	char comm[200], cmd[400];
	const char *why;

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Owners (Enter opens the process)");
	if (!s->socks.owners_scanned) {
		why = missing_reason(s, SRC_OWNERS, SNAP_OWNERS);
		page_add(p, EL_MISSING, "  - owners: %s", why ? why : "not scanned in this sample");
		return;
	}
	if (!e->owner_n || !o) {
		page_add(p, EL_NORMAL, "  no process holds it%s",
			 e->inode ? " (or its fds were refused)" : " (no file descriptor)");
		return;
	}
	for (uint32_t i = 0; i < e->owner_n; i++) {
		const struct proc_entry *pe = find_proc(s, (uint64_t)o[i].pid, o[i].starttime);

		text_safe(pe ? pe->comm : "?", comm, sizeof(comm));
		text_safe(pe && pe->cmdline ? pe->cmdline : "", cmd, sizeof(cmd));
		page_add(p, EL_VALUE, "  pid %d fd %d %s  %s", o[i].pid, o[i].fd, comm, cmd);
		page_link(p, LINK_PROC, (uint64_t)(uint32_t)o[i].pid, o[i].starttime);
	}
}

static void sock_page(struct app *a, struct drill_view *v)
{
	struct page *p = &v->page;
	const struct snapshot *from;
	const struct sock_entry *e = find_sock(a, v, &from), *old = NULL;
	char local[256], peer[256];

	if (!e) {
		page_add(p, EL_MISSING,
			 "Socket inode %llu cookie %#llx: gone (not in sample #%llu)",
			 (unsigned long long)v->k[0], (unsigned long long)v->k[1],
			 (unsigned long long)shown(a)->seq);
		return;
	}
	if (a->diff && a->diff->a && from != a->diff->a) {
		uint64_t k[2];

		sock_identity(e, k);
		old = sock_table_find(&a->diff->a->socks, (uint32_t)k[0], k[1]);
	}
	sock_format_local(&from->socks, e, local, sizeof(local));
	sock_format_peer(&from->socks, e, peer, sizeof(peer));
	page_add(p, EL_HEADING, "Socket inode %u cookie %#llx: %s %s%s", e->inode,
		 (unsigned long long)e->cookie, sock_kind_name(e->kind), sock_state_name(e),
		 from != shown(a) ? " (GONE: as it was in A)" : "");
	page_add(p, EL_NORMAL, "  local %s", local);
	page_add(p, EL_NORMAL, "  peer  %s", peer);
	page_add(p, EL_NORMAL, "  uid %u  Recv-Q %u  Send-Q %u  source %s", e->uid, e->rqueue,
		 e->wqueue, e->source == SOCK_SRC_DIAG ? "sock_diag" : "/proc/net (no skmem)");
	if (e->has_cgroup)
		page_add(p, EL_NORMAL, "  cgroup id %llu", (unsigned long long)e->cgroup_id);
	skmem_lines(p, e, old);
	family_lines(p, from, e);
	owners_lines(p, from, e);
	stacks_lines(p, v);
}

static void proc_socks(struct page *p, const struct snapshot *s, const struct proc_entry *pe)
{
	struct sockjoin_ref *refs;
	size_t n;
	char local[256], peer[256], mem[32];
	struct field_ctx ctx;

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Sockets it holds, by skmem (Enter opens one)");
	if (!s->socks.owners_scanned) {
		page_add(p, EL_MISSING, "  - owners not scanned in this sample");
		return;
	}
	n = sockjoin_of_proc(s, pe->pid, pe->starttime, &refs);
	fields_ctx(NULL, s, &ctx);
	if (!n)
		page_add(p, EL_NORMAL, "  none");
	for (size_t i = 0; i < n && i < DRILL_MAX_SOCKS; i++) {
		const struct sock_entry *e = refs[i].sock;
		const struct field_row row = { .b = e };

		sock_format_local(&s->socks, e, local, sizeof(local));
		sock_format_peer(&s->socks, e, peer, sizeof(peer));
		fields_format(fields_find(&fields_sockets, "skmem"), &ctx, &row, mem, sizeof(mem));
		page_add(p, EL_NORMAL, "  fd %-5d %-7s %-10s %7s %s %s", refs[i].fd,
			 sock_kind_name(e->kind), sock_state_name(e), mem, local, peer);
		page_link(p, LINK_SOCK, e->inode, e->cookie);
	}
	if (n > DRILL_MAX_SOCKS)
		page_add(p, EL_NORMAL, "  ... and %zu more", n - DRILL_MAX_SOCKS);
	free(refs);
}

static void proc_page(struct app *a, struct drill_view *v)
{
	struct page *p = &v->page;
	const struct snapshot *s = shown(a);
	const struct proc_entry *pe = find_proc(s, v->k[0], v->k[1]);
	char comm[200], cmd[1024], rss[32], pss[32], sm[32];

	if (!pe) {
		page_add(p, EL_MISSING, "Process %llu: gone (not in sample #%llu)",
			 (unsigned long long)v->k[0], (unsigned long long)s->seq);
		stacks_lines(p, v);
		return;
	}
	text_safe(pe->comm, comm, sizeof(comm));
	text_safe(pe->cmdline ? pe->cmdline : "", cmd, sizeof(cmd));
	format_bytes(pe->rss_bytes, rss, sizeof(rss));
	if (pe->has_pss)
		format_bytes(pe->pss_bytes, pss, sizeof(pss));
	else
		snprintf(pss, sizeof(pss), "-");
	format_bytes(pe->sock_mem_bytes, sm, sizeof(sm));
	page_add(p, EL_HEADING, "Process %d %s  state %c  uid %u  threads %u", pe->pid, comm,
		 pe->state ? pe->state : '?', pe->uid, pe->threads);
	page_add(p, EL_NORMAL, "  %s", cmd);
	if (pe->fd_status == PROC_FD_OK)
		page_add(p, EL_NORMAL, "  rss %s  pss %s  fds %u  sockets %u  socket memory %s",
			 rss, pss, pe->fd_count, pe->sock_count, sm);
	else
		page_add(p, EL_MISSING, "  rss %s  pss %s  fds -  sockets -  (%s)", rss, pss,
			 pe->fd_status == PROC_FD_DENIED ? "fds: permission denied"
							 : "fds not scanned");
	proc_socks(p, s, pe);
	stacks_lines(p, v);
}

static void slab_page(struct app *a, struct drill_view *v)
{
	struct page *p = &v->page;
	const struct snapshot *s = shown(a);
	const struct slab_cache *c = slab_table_find(&s->slab, v->name);
	char name[200], b[32], ab[32], os[32], buf[1024];
	int64_t prev = 0;
	bool have_prev = false;

	text_safe(v->name, name, sizeof(name));
	if (!c) {
		page_add(p, EL_MISSING, "Slab cache %s: not in sample #%llu", name,
			 (unsigned long long)s->seq);
	} else {
		format_bytes(c->bytes, b, sizeof(b));
		format_bytes(c->active_bytes, ab, sizeof(ab));
		format_bytes(c->objsize, os, sizeof(os));
		page_add(p, EL_HEADING, "Slab cache %s", name);
		page_add(p, EL_NORMAL, "  objects %llu active of %llu, %s each, %llu per slab",
			 (unsigned long long)c->active_objs, (unsigned long long)c->num_objs, os,
			 (unsigned long long)c->objperslab);
		page_add(p, EL_NORMAL, "  slabs %llu active of %llu, %llu pages each",
			 (unsigned long long)c->active_slabs, (unsigned long long)c->num_slabs,
			 (unsigned long long)c->pagesperslab);
		page_add(p, EL_VALUE, "  memory %s, of it active objects %s", b, ab);
		page_add(p, EL_NORMAL, "%s", "");
		page_add(p, EL_HEADING, "Merged caches (SLUB shares one cache among these names)");
		if (c->merged_id) {
			text_safe(c->merged_id, buf, sizeof(buf));
			page_add(p, EL_NORMAL, "  sysfs cache %s", buf);
		}
		if (c->merged_with) {
			text_safe(c->merged_with, buf, sizeof(buf));
			page_add(p, EL_VALUE, "  shared with: %s", buf);
			page_add(p, EL_NORMAL,
				 "  (slabinfo shows the shared cache under one name only)");
		} else {
			const char *why = missing_reason(s, SRC_SLABMERGE, SNAP_SLAB);

			page_add(p, why ? EL_MISSING : EL_NORMAL, "  %s%s",
				 why ? "- slab_merge: " : "not merged with any other cache",
				 why ? why : "");
		}
	}
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "History (oldest first)");
	for (size_t i = a->hist.n; i-- > 0;) {
		const struct snapshot *h = history_summary(&a->hist, i);
		char d[32], when[32];
		struct tm tm;
		int64_t val;

		if (!h || !trend_get_slab_bytes(h, v->name, &val))
			continue;
		format_bytes((uint64_t)val, b, sizeof(b));
		if (have_prev)
			format_delta_bytes(val - prev, d, sizeof(d));
		else
			snprintf(d, sizeof(d), "-");
		localtime_r(&h->t_real.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		page_add(p, h->seq == s->seq ? EL_VALUE : EL_NORMAL, "  #%-6llu %s %8s %8s%s",
			 (unsigned long long)h->seq, when, b, d, h->seq == s->seq ? "  <- shown" : "");
		prev = val;
		have_prev = true;
	}
}

static const struct cgroup_entry *find_cgroup(const struct app *a, const struct drill_view *v,
					      const struct snapshot **from)
{
	const struct cgroup_entry *e = tab_cgroups_find(&shown(a)->cgroups, (uint8_t)v->k[0], v->k[1]);

	*from = shown(a);
	if (!e && a->diff && a->diff->a) {
		e = tab_cgroups_find(&a->diff->a->cgroups, (uint8_t)v->k[0], v->k[1]);
		*from = a->diff->a;
	}
	return e;
}

/* Each value column of fields_cgroups with its change ("d" + id) where it
 * has one; "-" where the hierarchy does not give the charge. */
static void cgroup_charges(struct page *p, const struct field_ctx *ctx, const struct field_row *r)
{
	char v[32], d[32], did[32];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Charges (value, change; \"-\": this hierarchy does not give it)");
	for (size_t i = 0; i < fields_cgroups.n; i++) {
		const struct field *f = &fields_cgroups.v[i], *df;

		if (f->unit != FU_BYTES && f->unit != FU_COUNT)
			continue;
		snprintf(did, sizeof(did), "d%s", f->id);
		df = fields_find(&fields_cgroups, did);
		fields_format(f, ctx, r, v, sizeof(v));
		if (df)
			fields_format(df, ctx, r, d, sizeof(d));
		else
			d[0] = 0;
		page_add(p, strcmp(v, "-") ? EL_NORMAL : EL_MISSING, "  %-8s %8s %8s  %s", f->title,
			 v, d, f->help);
	}
}

static void cgroup_procs(struct page *p, const struct snapshot *s, const size_t *ix, size_t n)
{
	char comm[200], rss[32];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Processes directly in it (Enter opens one)");
	if (!n)
		page_add(p, EL_NORMAL, "  none");
	for (size_t i = 0; i < n && i < DRILL_CG_LIST; i++) {
		const struct proc_entry *pe = &s->procs.v[ix[i]];

		text_safe(pe->comm, comm, sizeof(comm));
		format_bytes(pe->rss_bytes, rss, sizeof(rss));
		page_add(p, EL_NORMAL, "  pid %-8d rss %7s  %s", pe->pid, rss, comm);
		page_link(p, LINK_PROC, (uint64_t)(uint32_t)pe->pid, pe->starttime);
	}
	if (n > DRILL_CG_LIST)
		page_add(p, EL_NORMAL, "  ... and %zu more (the Processes line above lists all)",
			 n - DRILL_CG_LIST);
}

static void cgroup_socks(struct page *p, const struct snapshot *s, const struct cgroup_entry *e,
			 const size_t *ix, size_t n)
{
	const struct field *cg = fields_find(&fields_sockets, "cgroup"),
			   *cgid = fields_find(&fields_sockets, "cgroup_id");
	char mem[32], name[80], id[32];
	struct field_ctx ctx;

	fields_ctx(NULL, s, &ctx);
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Sockets charged to it, with their v2 cgroup (Enter opens one)");
	if (e->hier == CG_HIER_V1)
		page_add(p, EL_NORMAL, "  (v1 charges a socket by its owner; its cgroup id is v2's)");
	if (!n)
		page_add(p, EL_NORMAL, "  none");
	for (size_t i = 0; i < n && i < DRILL_CG_LIST; i++) {
		const struct sock_entry *se = &s->socks.v[ix[i]];
		const struct field_row row = { .b = se };

		format_bytes(sock_mem_bytes(se), mem, sizeof(mem));
		fields_format(cg, &ctx, &row, name, sizeof(name));
		fields_format(cgid, &ctx, &row, id, sizeof(id));
		page_add(p, EL_NORMAL, "  inode %-10u %-4s %-10s %6s cgroup %s id %s", se->inode,
			 sock_kind_name(se->kind), sock_state_name(se), mem, name, id);
		page_link(p, LINK_SOCK, se->inode, se->cookie);
	}
	if (n > DRILL_CG_LIST)
		page_add(p, EL_NORMAL, "  ... and %zu more (the Sockets line above lists all)",
			 n - DRILL_CG_LIST);
}

/* v1 lists the slab caches a cgroup is charged for; v2 does not. */
static void cgroup_slabs(struct page *p, const struct cgroup_table *t, const struct cgroup_entry *e)
{
	char name[200], b[32], os[32];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Slab caches (memory.kmem.slabinfo)");
	if (e->hier == CG_HIER_V2) {
		page_add(p, EL_MISSING, "  - v2 does not list slab caches per cgroup "
					"(memory.stat gives slab_reclaimable/unreclaimable totals)");
		return;
	}
	if (!e->slab_n)
		page_add(p, EL_MISSING, "  - none listed (kernel memory accounting off, or refused)");
	for (uint32_t i = 0; i < e->slab_n && e->slab_first + i < t->slabs_n; i++) {
		const struct cgroup_slab *c = &t->slabs[e->slab_first + i];

		text_safe(cgroup_str(t, c->name_off), name, sizeof(name));
		format_bytes(c->bytes, b, sizeof(b));
		format_bytes(c->objsize, os, sizeof(os));
		page_add(p, EL_NORMAL, "  %-24s %8s  objects %llu active of %llu, %s each", name, b,
			 (unsigned long long)c->active_objs, (unsigned long long)c->num_objs, os);
	}
}

static void cgroup_page(struct app *a, struct drill_view *v)
{
	struct page *p = &v->page;
	const struct snapshot *from;
	const struct cgroup_entry *e = find_cgroup(a, v, &from), *old = NULL;
	struct field_row row = { 0 };
	struct field_ctx ctx;
	char name[200], path[1024];
	size_t *procs, *socks, np, ns;

	if (!e) {
		page_add(p, EL_MISSING, "Cgroup %s id %llu: gone (not in sample #%llu)",
			 cgroup_hier_name((enum cgroup_hier)v->k[0]), (unsigned long long)v->k[1],
			 (unsigned long long)shown(a)->seq);
		return;
	}
	if (a->diff && a->diff->a && from != a->diff->a)
		old = tab_cgroups_find(&a->diff->a->cgroups, e->hier, e->id);
	row.b = from == shown(a) ? e : NULL;
	row.a = from == shown(a) ? old : e;
	row.status = from != shown(a) ? DIFF_GONE : DIFF_SAME;
	fields_ctx(a->diff, shown(a), &ctx);
	text_safe(cgroup_entry_name(&from->cgroups, e), name, sizeof(name));
	text_safe(cgroup_path(&from->cgroups, e), path, sizeof(path));
	page_add(p, EL_HEADING, "Cgroup %s (%s, id %llu)%s", name, cgroup_hier_name(e->hier),
		 (unsigned long long)e->id, from != shown(a) ? " (GONE: as it was in A)" : "");
	page_add(p, EL_NORMAL, "  path %s", path);
	if (!(from->sections & SNAP_PROCS)) {
		page_add(p, EL_MISSING, "  - processes and sockets: not in this sample");
		cgroup_charges(p, &ctx, &row);
		cgroup_slabs(p, &from->cgroups, e);
		return;
	}
	np = cgroup_processes(from, e, &procs);
	ns = cgroup_sockets(from, e, &socks);
	/* The two lines Enter opens as tabs come first, at fixed places. */
	page_add(p, EL_VALUE, "  Processes: %zu (Enter: the Processes tab for this cgroup)", np);
	page_link(p, LINK_CG_PROCS, v->k[0], v->k[1]);
	page_add(p, EL_VALUE, "  Sockets: %zu (Enter: the Sockets tab for this cgroup)", ns);
	page_link(p, LINK_CG_SOCKS, v->k[0], v->k[1]);
	cgroup_charges(p, &ctx, &row);
	cgroup_procs(p, from, procs, np);
	cgroup_socks(p, from, e, socks, ns);
	cgroup_slabs(p, &from->cgroups, e);
	free(procs);
	free(socks);
}

void drill_build(struct app *a)
{
	struct drill_view *v;

	if (!a->ndrill)
		return;
	v = &a->drill[a->ndrill - 1];
	page_clear(&v->page);
	switch (v->kind) {
	case DRILL_SOCK:
		sock_page(a, v);
		break;
	case DRILL_PROC:
		proc_page(a, v);
		break;
	case DRILL_SLAB:
		slab_page(a, v);
		break;
	case DRILL_SUSPECT:
		evidence_page(a, v);
		break;
	case DRILL_CGROUP:
		cgroup_page(a, v);
		break;
	}
}

void drill_draw(struct app *a, int y, int h, int w)
{
	struct drill_view *v = &a->drill[a->ndrill - 1];
	char crumb[128];
	size_t len = 0;

	static const char *const kinds[] = { "socket", "process", "slab cache", "suspect",
					     "cgroup" };

	crumb[0] = 0;
	for (size_t i = 0; i < a->ndrill && len < sizeof(crumb); i++)
		len += (size_t)snprintf(crumb + len, sizeof(crumb) - len, "%s%s", i ? " > " : "",
					kinds[a->drill[i].kind]);
	if (len < sizeof(crumb))
		snprintf(crumb + len, sizeof(crumb) - len,
			 "   (Esc back, Enter follows a pid or socket)");
	text_fill(y, 0, w, theme_attr(EL_TABLE_HEAD));
	text_put(y, 0, crumb, w, theme_attr(EL_TABLE_HEAD));
	drill_build(a);
	page_draw(&v->page, y + 1, 0, h - 1, w);
}

int drill_follow(struct app *a)
{
	const struct drill_view *v;
	const struct page_line *l;

	if (!a->ndrill)
		return 0;
	v = &a->drill[a->ndrill - 1];
	l = page_current(&v->page);
	/* On the evidence page Enter goes to the suspect's target from any
	 * line but a link of its own. */
	if (v->kind == DRILL_SUSPECT && (!l || l->link == LINK_NONE || l->link == LINK_TARGET)) {
		const struct suspect *su = evidence_find(a, v->k);

		return su ? evidence_follow(a, su) : 0;
	}
	if (!l || l->link == LINK_NONE)
		return 0;
	if (l->link == LINK_CG_PROCS || l->link == LINK_CG_SOCKS) {
		tab_cgroups_open_members(a, l->link == LINK_CG_PROCS ? TAB_PROCS : TAB_SOCKETS,
					 (uint8_t)l->k[0], l->k[1]);
		return KR_REBUILD | KR_SAMPLE;
	}
	if (l->link == LINK_PROC)
		drill_push(a, DRILL_PROC, l->k[0], l->k[1], NULL);
	else if (l->link == LINK_SOCK)
		drill_push(a, DRILL_SOCK, l->k[0], l->k[1], NULL);
	return KR_REBUILD | KR_SAMPLE;
}
