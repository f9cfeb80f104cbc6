/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP memory pressure: <proc>/net/sockstat{,6} by keyword, the tcp_mem,
 * tcp_rmem, tcp_wmem and tcp_max_orphans sysctls, the "press" column of
 * <proc>/net/protocols (found by its header name) and every counter of
 * <proc>/net/netstat and <proc>/net/snmp as "Group:Name". An unreadable file
 * is a NOTE_MISSING under its name; a bad line or pair is a located
 * NOTE_WARN and only that part is skipped.
 */
#include <config.h>

#include "tcpmem.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "xalloc.h"

/* The section as a whole: snapshot.h SRC_TCP. */
#define TCPMEM_SRC "tcp"

struct sockstat_key {
	const char *group, *name;
	size_t off;
};

#define SK(g, n, f) { g, n, offsetof(struct tcpmem, f) }
static const struct sockstat_key sockstat_keys[] = {
	SK("sockets", "used", sockets_used),
	SK("TCP", "inuse", tcp_inuse),
	SK("TCP", "orphan", tcp_orphan),
	SK("TCP", "tw", tcp_tw),
	SK("TCP", "alloc", tcp_alloc),
	SK("TCP", "mem", tcp_mem_pages),
	SK("TCP6", "inuse", tcp6_inuse),
	SK("UDP", "inuse", udp_inuse),
	SK("UDP", "mem", udp_mem_pages),
	SK("UDP6", "inuse", udp6_inuse),
	SK("UDPLITE", "inuse", udplite_inuse),
	SK("UDPLITE6", "inuse", udplite6_inuse),
	SK("RAW", "inuse", raw_inuse),
	SK("RAW6", "inuse", raw6_inuse),
	SK("FRAG", "inuse", frag_inuse),
	SK("FRAG", "memory", frag_memory_bytes),
	SK("FRAG6", "inuse", frag6_inuse),
	SK("FRAG6", "memory", frag6_memory_bytes),
};
#undef SK

static bool span_eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

int tcpmem_parse_sockstat(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes)
{
	struct line_iter it;
	const char *l, *le;
	bool any = false;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		const char *colon = memchr(l, ':', (size_t)(le - l)), *p;
		size_t glen;

		if (!colon) {
			if (parse_skip_blank(l, le) != le)
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "expected 'GROUP: name value ...'");
			continue;
		}
		glen = (size_t)(colon - l);
		p = colon + 1;
		for (;;) {
			char word[32];
			uint64_t v;
			int ret;

			if (!parse_word(&p, le, word, sizeof(word)))
				break;
			ret = parse_u64(&p, le, 10, &v);
			if (ret == -EINVAL) {
				notes_add(notes, NOTE_WARN, source, it.lineno, "%.*s %s: no number",
					  (int)(glen > 16 ? 16 : glen), l, word);
				break;
			}
			if (ret == -ERANGE) {
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "%.*s %s: number out of range",
					  (int)(glen > 16 ? 16 : glen), l, word);
				continue;
			}
			for (size_t k = 0; k < ARRAY_SIZE(sockstat_keys); k++) {
				const struct sockstat_key *sk = &sockstat_keys[k];

				if (span_eq(l, glen, sk->group) && strcmp(word, sk->name) == 0) {
					*(uint64_t *)(void *)((char *)t + sk->off) = v;
					any = true;
					break;
				}
			}
		}
	}
	line_iter_note_truncated(&it, notes, source);
	if (any)
		t->has_sockstat = true;
	else
		notes_add(notes, NOTE_WARN, source, 0, "no known field");
	return any ? 0 : -EINVAL;
}

/* Tokens after the "Group:" prefix. */
static size_t count_tokens(const char *p, const char *end)
{
	size_t n = 0;

	for (;;) {
		p = parse_skip_blank(p, end);
		if (p >= end)
			return n;
		n++;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
	}
}

static const char *token(const char **pp, const char *end, size_t *n)
{
	const char *p = parse_skip_blank(*pp, end), *s = p;

	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - s);
	*pp = p;
	return s;
}

struct counter_tmp {
	struct net_counter c;
	size_t seq;
};

static int cmp_counter_tmp(const void *a, const void *b)
{
	const struct counter_tmp *x = a, *y = b;
	int r = strcmp(x->c.name, y->c.name);

	return r ? r : SPACESHIP(x->seq, y->seq);
}

/* Sort by name, first occurrence wins. */
static void counters_finish(struct tcpmem *t)
{
	struct counter_tmp *tmp;
	size_t n = 0;

	if (t->ncounters < 2)
		return;
	tmp = xreallocarray(NULL, t->ncounters, sizeof(*tmp));
	for (size_t i = 0; i < t->ncounters; i++) {
		tmp[i].c = t->counters[i];
		tmp[i].seq = i;
	}
	qsort(tmp, t->ncounters, sizeof(*tmp), cmp_counter_tmp);
	for (size_t i = 0; i < t->ncounters; i++)
		if (!n || strcmp(t->counters[n - 1].name, tmp[i].c.name) != 0)
			t->counters[n++] = tmp[i].c;
	t->ncounters = n;
	free(tmp);
}

static bool add_pair(struct tcpmem *t, const char *group, size_t glen, const char *name,
		     size_t nlen, const char *val, size_t vlen, const char *source,
		     unsigned int line, struct notes *notes)
{
	struct net_counter *c;
	const char *p = val;
	uint64_t v;
	int64_t sv = 0;
	bool neg = vlen && *val == '-';
	int ret;

	if (glen + 1 + nlen >= sizeof(c->name)) {
		notes_add(notes, NOTE_WARN, source, line, "%.*s: counter name too long, skipped",
			  (int)(glen > 32 ? 32 : glen), group);
		return true;
	}
	/* The name is kept as a C string: a NUL would cut it short, and two
	 * cut names could pass for one counter. */
	if (memchr(group, '\0', glen) || memchr(name, '\0', nlen)) {
		notes_add(notes, NOTE_WARN, source, line,
			  "%.*s: counter name with a NUL byte, skipped",
			  (int)(glen > 32 ? 32 : glen), group);
		return true;
	}
	if (neg) {
		ret = parse_s64(&p, val + vlen, &sv);
		v = (uint64_t)sv;
	} else {
		ret = parse_u64(&p, val + vlen, 10, &v);
	}
	if (ret || p != val + vlen) {
		notes_add(notes, NOTE_WARN, source, line, "%.*s:%.*s: %s, skipped",
			  (int)(glen > 32 ? 32 : glen), group, (int)(nlen > 48 ? 48 : nlen), name,
			  ret == -ERANGE ? "number out of range" : "not a number");
		return true;
	}
	if (t->ncounters >= TCPMEM_MAX_COUNTERS)
		return false;
	xgrow((void **)&t->counters, &t->counters_cap, t->ncounters + 1, sizeof(*t->counters));
	c = &t->counters[t->ncounters++];
	memcpy(c->name, group, glen);
	c->name[glen] = ':';
	memcpy(c->name + glen + 1, name, nlen);
	c->name[glen + 1 + nlen] = '\0';
	c->value = v;
	c->negative = neg && sv < 0;
	return true;
}

int tcpmem_parse_counters(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes)
{
	struct line_iter it;
	const char *l, *le, *hl = NULL, *hle = NULL, *hcolon = NULL;
	unsigned int hline = 0;
	size_t before = t->ncounters;
	bool full = false;

	line_iter_init(&it, buf, len);
	while (!full && line_iter_next(&it, &l, &le)) {
		const char *colon = memchr(l, ':', (size_t)(le - l)), *hp, *vp;
		size_t nnames, nvals;

		if (!colon) {
			if (parse_skip_blank(l, le) != le)
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "expected 'Group: ...', line skipped");
			continue;
		}
		if (!hl) {
			hl = l;
			hle = le;
			hcolon = colon;
			hline = it.lineno;
			continue;
		}
		if (colon - l != hcolon - hl || memcmp(l, hl, (size_t)(colon - l)) != 0) {
			notes_add(notes, NOTE_WARN, source, hline, "%.*s: names without values",
				  (int)(hcolon - hl > 32 ? 32 : hcolon - hl), hl);
			hl = l;
			hle = le;
			hcolon = colon;
			hline = it.lineno;
			continue;
		}
		nnames = count_tokens(hcolon + 1, hle);
		nvals = count_tokens(colon + 1, le);
		if (nnames != nvals) {
			notes_add(notes, NOTE_WARN, source, it.lineno,
				  "%.*s: %zu names but %zu values, group skipped",
				  (int)(colon - l > 32 ? 32 : colon - l), l, nnames, nvals);
			hl = NULL;
			continue;
		}
		hp = hcolon + 1;
		vp = colon + 1;
		for (size_t i = 0; i < nnames; i++) {
			size_t nl, vl;
			const char *name = token(&hp, hle, &nl), *val = token(&vp, le, &vl);

			if (!add_pair(t, l, (size_t)(colon - l), name, nl, val, vl, source,
				      it.lineno, notes)) {
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "more than %d counters, the rest skipped",
					  TCPMEM_MAX_COUNTERS);
				full = true;
				break;
			}
		}
		hl = NULL;
	}
	if (!full)
		line_iter_note_truncated(&it, notes, source);
	if (hl && !full)
		notes_add(notes, NOTE_WARN, source, hline, "%.*s: names without values",
			  (int)(hcolon - hl > 32 ? 32 : hcolon - hl), hl);
	counters_finish(t);
	if (t->ncounters == before) {
		notes_add(notes, NOTE_WARN, source, 0, "no counters");
		return -EINVAL;
	}
	return 0;
}

int tcpmem_parse_protocols(const char *buf, size_t len, const char *source, struct tcpmem *t,
			   struct notes *notes)
{
	struct line_iter it;
	const char *l, *le, *p;
	size_t col = SIZE_MAX, n, i;

	line_iter_init(&it, buf, len);
	if (!line_iter_header(&it, &l, &le, notes, source))
		return -EINVAL;
	p = l;
	for (i = 0; p < le; i++) {
		const char *w = token(&p, le, &n);

		if (!n)
			break;
		if (span_eq(w, n, "press")) {
			col = i;
			break;
		}
	}
	if (col == SIZE_MAX) {
		notes_add(notes, NOTE_WARN, source, 1, "no 'press' column");
		return -EINVAL;
	}
	while (line_iter_next(&it, &l, &le)) {
		const char *w;

		p = l;
		w = token(&p, le, &n);
		if (!span_eq(w, n, "TCP"))
			continue;
		for (i = 1; i <= col; i++)
			w = token(&p, le, &n);
		if (span_eq(w, n, "yes") || span_eq(w, n, "no")) {
			t->has_pressure_flag = true;
			t->under_pressure = span_eq(w, n, "yes");
			return 0;
		}
		notes_add(notes, NOTE_WARN, source, it.lineno, "TCP: press is '%.*s'",
			  (int)(n > 16 ? 16 : n), w);
		return -EINVAL;
	}
	if (!line_iter_note_truncated(&it, notes, source))
		notes_add(notes, NOTE_WARN, source, 0, "no TCP row");
	return -EINVAL;
}

/* A sysctl of want numbers on one line ("287901\t383868\t575802"). */
static bool read_sysctl(const struct root *r, const char *path, const char *source, bool host_only,
			struct buf *b, uint64_t *out, size_t want, struct notes *notes)
{
	const char *p, *end;
	int ret = buf_readat(r->proc_fd, path, b, 4096);

	if (ret) {
		/* tcp_mem and tcp_max_orphans bound the whole host: the kernel
		 * lists them only in the first network namespace's /proc/sys, so
		 * inside a container they are absent though TCP is there. */
		if (ret == -ENOENT && r->live && host_only)
			notes_add(notes, NOTE_MISSING, source, 0,
				  "not in this network namespace (the host's limit; read it there)");
		else
			notes_missing_errno(notes, source, ret);
		return false;
	}
	p = b->data;
	end = b->data + b->len;
	for (size_t i = 0; i < want; i++) {
		if (parse_u64(&p, end, 10, &out[i])) {
			notes_add(notes, NOTE_WARN, source, 1, "expected %zu numbers", want);
			return false;
		}
	}
	return true;
}

/* Returns the read error (positive errno), 0 when read. */
static int read_parse(const struct root *r, const char *path, const char *source,
		      struct buf *b, struct tcpmem *t,
		      int (*fn)(const char *, size_t, const char *, struct tcpmem *,
				struct notes *),
		      struct notes *notes)
{
	int ret = buf_readat(r->proc_fd, path, b, 0);

	if (ret) {
		notes_missing_errno(notes, source, ret);
		return -ret;
	}
	fn(b->data, b->len, source, t, notes);
	return 0;
}

void tcpmem_sample(const struct root *r, struct tcpmem *t, struct notes *notes)
{
	struct buf b = { 0 };
	uint64_t v[3];
	long ps = root_page_size(r);
	int sockstat_err;

	tcpmem_free(t);
	if (r->proc_fd < 0) {
		notes_missing_errno(notes, TCPMEM_SRC, r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	sockstat_err = read_parse(r, "net/sockstat", "sockstat", &b, t, tcpmem_parse_sockstat,
				  notes);
	read_parse(r, "net/sockstat6", "sockstat6", &b, t, tcpmem_parse_sockstat, notes);
	if (read_sysctl(r, "sys/net/ipv4/tcp_mem", "tcp_mem", true, &b, v, 3, notes)) {
		t->has_tcp_mem = true;
		t->tcp_mem_min = v[0];
		t->tcp_mem_pressure = v[1];
		t->tcp_mem_max = v[2];
	}
	t->has_rmem = read_sysctl(r, "sys/net/ipv4/tcp_rmem", "tcp_rmem", false, &b,
				  t->tcp_rmem, 3, notes);
	t->has_wmem = read_sysctl(r, "sys/net/ipv4/tcp_wmem", "tcp_wmem", false, &b,
				  t->tcp_wmem, 3, notes);
	t->has_max_orphans = read_sysctl(r, "sys/net/ipv4/tcp_max_orphans", "tcp_max_orphans",
					 true, &b, &t->tcp_max_orphans, 1, notes);
	read_parse(r, "net/protocols", "protocols", &b, t, tcpmem_parse_protocols, notes);
	read_parse(r, "net/netstat", "netstat", &b, t, tcpmem_parse_counters, notes);
	read_parse(r, "net/snmp", "snmp", &b, t, tcpmem_parse_counters, notes);
	/* Nothing at all (no procfs net, another OS): the whole section is missing. */
	if (!t->has_sockstat && !t->has_tcp_mem && !t->ncounters)
		notes_missing_errno(notes, TCPMEM_SRC, sockstat_err ? sockstat_err : ENOENT);
	t->tcp_mem_bytes = sat_mul_u64(t->tcp_mem_pages, (uint64_t)ps);
	t->udp_mem_bytes = sat_mul_u64(t->udp_mem_pages, (uint64_t)ps);
	buf_free(&b);
}

bool tcpmem_counter(const struct tcpmem *t, const char *name, uint64_t *out)
{
	size_t lo = 0, hi = t->ncounters;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(t->counters[mid].name, name);

		if (r == 0) {
			*out = t->counters[mid].value;
			return true;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void tcpmem_free(struct tcpmem *t)
{
	free(t->counters);
	memset(t, 0, sizeof(*t));
}
