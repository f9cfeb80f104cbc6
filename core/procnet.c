/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc/net text fallback for sockets: net/{tcp,tcp6,udp,udp6,udplite,
 * udplite6,raw,raw6,unix,packet,netlink} under the sample's proc root, used
 * for every kind sock_diag could not dump (and for captured trees). The
 * parsers are pure: a wrong header rejects the file, a bad line is skipped
 * with a "source:line" note, and the rest of the file still counts.
 */
#include "procnet.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "compat.h"
#include "parse.h"

static bool at_delim(const char *p, const char *end)
{
	return p >= end || *p == ' ' || *p == '\t' || *p == ':';
}

/* One number ending at a blank, a ':' or the end of line, at most max. */
static bool field(const char **p, const char *end, int base, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (parse_u64(p, end, base, &v) || v > max || !at_delim(*p, end))
		return false;
	*out = v;
	return true;
}

static bool expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* "0100007F:1F90": the address words are the kernel's in-memory __be32
 * printed as host integers, so copying the host value back restores
 * network order. */
static bool inet_addr(const char **p, const char *end, int family, uint8_t addr[16],
		      uint16_t *port)
{
	unsigned int words = family == AF_INET6 ? 4 : 1;
	uint64_t v;

	*p = parse_skip_blank(*p, end);
	memset(addr, 0, 16);
	for (unsigned int i = 0; i < words; i++) {
		const char *q = *p, *stop = q + 8;
		uint32_t w;

		if (end - q < 8 || *q == ' ')
			return false;
		if (parse_u64(&q, stop, 16, &v) || q != stop)
			return false;
		w = (uint32_t)v;
		memcpy(addr + 4 * i, &w, sizeof(w));
		*p = stop;
	}
	if (!expect(p, end, ':') || !field(p, end, 16, 0xffff, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* A parsed line becomes a socket of the table, counted under its kind. */
static void add_entry(struct sock_table *t, const struct sock_entry *e)
{
	*sock_table_add(t) = *e;
	t->count[e->kind]++;
}

/* packet and netlink print their rmem alone: it is the one skmem figure we
 * have, and ss shows it as the receive queue. */
static void rmem_only(struct sock_entry *e, uint64_t rmem)
{
	e->skmem[SKMEM_RMEM_ALLOC] = (uint32_t)rmem;
	e->skmem_n = 1;
	e->rqueue = (uint32_t)rmem;
}

/* One line into e, its addresses into saddr and daddr (16 bytes each). */
static bool parse_inet_line(const char *p, const char *end, enum sock_kind kind, int family,
			    struct sock_entry *e, uint8_t *saddr, uint8_t *daddr)
{
	uint64_t v, tx, rx, when;

	if (!field(&p, end, 10, UINT64_MAX, &v) || !expect(&p, end, ':'))
		return false;
	if (!inet_addr(&p, end, family, saddr, &e->sport) ||
	    !inet_addr(&p, end, family, daddr, &e->dport))
		return false;
	if (!field(&p, end, 16, 0xff, &v))
		return false;
	e->state = (uint8_t)v;
	if (!field(&p, end, 16, UINT32_MAX, &tx) || !expect(&p, end, ':') ||
	    !field(&p, end, 16, UINT32_MAX, &rx))
		return false;
	e->wqueue = (uint32_t)tx;
	e->rqueue = (uint32_t)rx;
	if (!field(&p, end, 16, 0xff, &v) || !expect(&p, end, ':') ||
	    !field(&p, end, 16, UINT64_MAX, &when))
		return false;
	e->timer = (uint8_t)v;
	/* Clock ticks at USER_HZ = 100. */
	when = sat_mul_u64(when, 10);
	e->expires_ms = when > UINT32_MAX ? UINT32_MAX : (uint32_t)when;
	if (!field(&p, end, 16, UINT64_MAX, &v))
		return false;
	e->retrans = v > 0xff ? 0xff : (uint8_t)v;
	if (!field(&p, end, 10, UINT32_MAX, &v))
		return false;
	e->uid = (uint32_t)v;
	if (!field(&p, end, 10, UINT64_MAX, &v) || !field(&p, end, 10, UINT32_MAX, &v))
		return false;
	e->inode = (uint32_t)v;
	e->kind = (uint8_t)kind;
	e->family = (uint8_t)family;
	e->has_rqlen = 1;
	switch (kind) {
	case SK_TCP:
		e->type = SOCK_STREAM;
		e->protocol = IPPROTO_TCP;
		break;
	case SK_UDP:
		e->type = SOCK_DGRAM;
		e->protocol = IPPROTO_UDP;
		break;
	case SK_UDPLITE:
		e->type = SOCK_DGRAM;
		e->protocol = IPPROTO_UDPLITE;
		break;
	default:
		/* A raw socket's "port" is its protocol. */
		e->type = SOCK_RAW;
		e->protocol = e->sport > 0xff ? IPPROTO_RAW : (uint8_t)e->sport;
		break;
	}
	return true;
}

static bool header_ok(const char *line, const char *end, const char *first, const char *also)
{
	const char *p = parse_skip_blank(line, end);
	size_t fl = strlen(first), al = strlen(also);

	if ((size_t)(end - p) < fl || memcmp(p, first, fl) != 0)
		return false;
	for (const char *q = p; (size_t)(end - q) >= al; q++)
		if (memcmp(q, also, al) == 0)
			return true;
	return false;
}

static bool blank_line(const char *p, const char *end)
{
	return parse_skip_blank(p, end) == end;
}

/* What a line callback made of its line. */
enum line_verdict {
	LINE_BAD,	/* malformed: the loop notes it */
	LINE_OK,	/* one socket added */
	LINE_SKIPPED,	/* not data, and the callback has said why */
};

/* Shared loop: header check, then one callback per non-blank line. */
static int parse_lines(const char *buf, size_t len, const char *source, const char *first,
		       const char *also, struct sock_table *t, struct notes *notes,
		       enum line_verdict (*line_fn)(const char *, const char *, unsigned int,
						    struct sock_table *, void *),
		       void *arg)
{
	struct line_iter it;
	const char *line, *end;
	unsigned int bad = 0;
	size_t before = t->n;	/* a callback may take back a socket it added */

	line_iter_init(&it, buf, len);
	if (!line_iter_next(&it, &line, &end)) {
		if (!line_iter_note_truncated(&it, notes, source))
			notes_add(notes, NOTE_WARN, source, 0, "empty file");
		return -1;
	}
	if (!header_ok(line, end, first, also)) {
		notes_add(notes, NOTE_WARN, source, 1, "unexpected header, file not read");
		return -1;
	}
	while (line_iter_next(&it, &line, &end)) {
		if (blank_line(line, end))
			continue;
		switch (line_fn(line, end, it.lineno, t, arg)) {
		case LINE_OK:
			continue;
		case LINE_SKIPPED:
			continue;
		case LINE_BAD:
			break;
		}
		if (bad++ < 8)
			notes_add(notes, NOTE_WARN, source, it.lineno, "malformed line skipped");
	}
	line_iter_note_truncated(&it, notes, source);
	if (bad > 8)
		notes_add(notes, NOTE_WARN, source, 0, "%u malformed lines skipped", bad);
	return (int)(t->n - before);
}

struct inet_arg {
	enum sock_kind kind;
	int family;
};

static enum line_verdict inet_line(const char *line, const char *end, unsigned int lineno,
				   struct sock_table *t, void *arg)
{
	const struct inet_arg *a = arg;
	struct sock_entry e;
	uint8_t saddr[16] = { 0 }, daddr[16] = { 0 };

	(void)lineno;
	memset(&e, 0, sizeof(e));
	if (!parse_inet_line(line, end, a->kind, a->family, &e, saddr, daddr))
		return LINE_BAD;
	/* Only a sound line takes room in the pool. */
	if (!sock_set_inet_addrs(t, &e, saddr, daddr))
		return LINE_BAD;
	e.source = SOCK_SRC_PROCNET;
	add_entry(t, &e);
	return LINE_OK;
}

int procnet_parse_inet(const char *buf, size_t len, const char *source, enum sock_kind kind,
		       int family, struct sock_table *t, struct notes *notes)
{
	struct inet_arg a = { kind, family };

	if ((unsigned int)kind > SK_RAW || (family != AF_INET && family != AF_INET6)) {
		notes_add(notes, NOTE_WARN, source, 0, "not an inet socket file");
		return -1;
	}
	return parse_lines(buf, len, source, "sl", "local_address", t, notes, inet_line, &a);
}

/*
 * The kernel prints a unix path raw, newlines included, so a bound path can
 * end its line early and put text of its choosing on the next ones, even
 * whole well-formed lines. What shows is a line that is no socket right
 * after a line with a path: that socket's path was cut, and the lines up to
 * the next good one are the rest of it. Such a socket and its continuation
 * are suspect: a note, not data.
 */
struct unix_arg {
	const char *source;
	struct notes *notes;
	size_t last_path_idx;	/* table index of the last socket with a path + 1; 0 none */
	bool in_suspect;	/* inside the continuation of a cut path */
};

/* "Num RefCount Protocol Flags Type St Inode [Path]" (unix_seq_show). */
static bool unix_parse(const char *p, const char *end, struct sock_table *t, bool *has_path)
{
	struct sock_entry e;
	uint64_t v, flags, type, st, ino;
	const char *path;

	*has_path = false;
	if (!field(&p, end, 16, UINT64_MAX, &v) || !expect(&p, end, ':'))
		return false;
	if (!field(&p, end, 16, UINT32_MAX, &v) || !field(&p, end, 16, UINT32_MAX, &v) ||
	    !field(&p, end, 16, UINT32_MAX, &flags) || !field(&p, end, 16, 0xff, &type) ||
	    !field(&p, end, 16, 0xff, &st) || !field(&p, end, 10, UINT32_MAX, &ino))
		return false;
	memset(&e, 0, sizeof(e));
	e.kind = SK_UNIX;
	e.family = AF_UNIX;
	e.type = (uint8_t)type;
	e.inode = (uint32_t)ino;
	e.source = SOCK_SRC_PROCNET;
	e.u.un.path_off = UINT32_MAX;
	/* __SO_ACCEPTCON marks a listener; St is socket_state, shown as ss does. */
	if (flags & 0x10000)
		e.state = 10;
	else if (st == 2)
		e.state = 2;
	else if (st == 3)
		e.state = 1;
	else if (st == 4)
		e.state = 11;
	else
		e.state = 7;
	if (p < end && *p == ' ') {
		path = p + 1;
		if (path < end) {
			size_t n = (size_t)(end - path);

			uint32_t off = sock_table_add_string(t, path, n);

			*has_path = true;
			if (off != UINT32_MAX) {
				e.u.un.path_off = off;
				if (*path == '@') {
					/* The kernel prints an abstract name's leading NUL as '@'. */
					t->strings[off] = '\0';
					e.u.un.path_len = (uint32_t)n;
				} else {
					/* As sock_diag gives it: with the terminating NUL. */
					e.u.un.path_len = (uint32_t)n + 1;
				}
			}
		}
	} else if (p < end) {
		return false;
	}
	add_entry(t, &e);
	return true;
}

static enum line_verdict unix_line(const char *p, const char *end, unsigned int lineno,
				   struct sock_table *t, void *arg)
{
	struct unix_arg *a = arg;
	bool has_path;

	if (unix_parse(p, end, t, &has_path)) {
		a->in_suspect = false;
		a->last_path_idx = has_path ? t->n : 0;
		return LINE_OK;
	}
	if (a->in_suspect)
		return LINE_SKIPPED;
	if (!a->last_path_idx || a->last_path_idx != t->n)
		return LINE_BAD;
	/* The socket just added had its path cut by a newline: take it back. */
	t->n--;
	t->count[SK_UNIX]--;
	a->last_path_idx = 0;
	a->in_suspect = true;
	notes_add(a->notes, NOTE_WARN, a->source, lineno - 1,
		  "path with a newline: this socket and the lines after it are suspect, not counted");
	return LINE_SKIPPED;
}

int procnet_parse_unix(const char *buf, size_t len, const char *source, struct sock_table *t,
		       struct notes *notes)
{
	struct unix_arg a = { .source = source, .notes = notes };

	return parse_lines(buf, len, source, "Num", "Inode", t, notes, unix_line, &a);
}

/* "sk RefCnt Type Proto Iface R Rmem User Inode" (packet_seq_show). */
static enum line_verdict packet_line(const char *p, const char *end, unsigned int lineno,
				     struct sock_table *t, void *arg)
{
	struct sock_entry e;
	uint64_t v, type, proto, ifindex, rmem, uid, ino;

	(void)arg;
	(void)lineno;
	if (!field(&p, end, 16, UINT64_MAX, &v) || !field(&p, end, 10, UINT32_MAX, &v) ||
	    !field(&p, end, 10, 0xff, &type) || !field(&p, end, 16, 0xffff, &proto) ||
	    !field(&p, end, 10, UINT32_MAX, &ifindex) || !field(&p, end, 10, 1, &v) ||
	    !field(&p, end, 10, UINT32_MAX, &rmem) || !field(&p, end, 10, UINT32_MAX, &uid) ||
	    !field(&p, end, 10, UINT32_MAX, &ino))
		return LINE_BAD;
	memset(&e, 0, sizeof(e));
	e.kind = SK_PACKET;
	e.family = AF_PACKET;
	e.type = (uint8_t)type;
	e.state = 7;
	e.uid = (uint32_t)uid;
	e.inode = (uint32_t)ino;
	e.source = SOCK_SRC_PROCNET;
	e.u.pk.pkt_proto = (uint16_t)proto;
	e.u.pk.ifindex = (uint32_t)ifindex;
	rmem_only(&e, rmem);
	add_entry(t, &e);
	return LINE_OK;
}

int procnet_parse_packet(const char *buf, size_t len, const char *source, struct sock_table *t,
			 struct notes *notes)
{
	return parse_lines(buf, len, source, "sk", "RefCnt", t, notes, packet_line, NULL);
}

/* "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode" (netlink_seq_show). */
static enum line_verdict netlink_line(const char *p, const char *end, unsigned int lineno,
				     struct sock_table *t, void *arg)
{
	struct sock_entry e;
	uint64_t v, proto, portid, rmem, wmem, ino;

	(void)arg;
	(void)lineno;
	if (!field(&p, end, 16, UINT64_MAX, &v) || !field(&p, end, 10, 0xff, &proto) ||
	    !field(&p, end, 10, UINT32_MAX, &portid) || !field(&p, end, 16, UINT64_MAX, &v) ||
	    !field(&p, end, 10, UINT32_MAX, &rmem) || !field(&p, end, 10, UINT32_MAX, &wmem) ||
	    !field(&p, end, 10, UINT64_MAX, &v) || !field(&p, end, 10, UINT64_MAX, &v) ||
	    !field(&p, end, 10, UINT64_MAX, &v) || !field(&p, end, 10, UINT32_MAX, &ino))
		return LINE_BAD;
	memset(&e, 0, sizeof(e));
	e.kind = SK_NETLINK;
	e.family = AF_NETLINK;
	e.type = SOCK_RAW;
	e.protocol = (uint8_t)proto;
	e.state = 7;
	e.inode = (uint32_t)ino;
	e.source = SOCK_SRC_PROCNET;
	e.u.nl.portid = (uint32_t)portid;
	rmem_only(&e, rmem);
	e.wqueue = (uint32_t)wmem;
	add_entry(t, &e);
	return LINE_OK;
}

int procnet_parse_netlink(const char *buf, size_t len, const char *source, struct sock_table *t,
			  struct notes *notes)
{
	return parse_lines(buf, len, source, "sk", "Eth", t, notes, netlink_line, NULL);
}

void procnet_fill(const struct root *r, struct sock_table *t, struct notes *notes)
{
	static const struct {
		enum sock_kind kind;
		int family;
		const char *path;
	} files[] = {
		{ SK_TCP, AF_INET, "net/tcp" },		{ SK_TCP, AF_INET6, "net/tcp6" },
		{ SK_UDP, AF_INET, "net/udp" },		{ SK_UDP, AF_INET6, "net/udp6" },
		{ SK_UDPLITE, AF_INET, "net/udplite" },	{ SK_UDPLITE, AF_INET6, "net/udplite6" },
		{ SK_RAW, AF_INET, "net/raw" },		{ SK_RAW, AF_INET6, "net/raw6" },
		{ SK_UNIX, AF_UNIX, "net/unix" },
		{ SK_PACKET, AF_PACKET, "net/packet" },
		{ SK_NETLINK, AF_NETLINK, "net/netlink" },
	};
	bool got[SK_KIND_COUNT] = { false };
	struct buf b = { 0 };

	if (r->proc_fd < 0) {
		notes_missing_errno(notes, "net", r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		enum sock_kind k = files[i].kind;
		int ret;

		if (t->kind_ok[k])
			continue;
		ret = buf_readat(r->proc_fd, files[i].path, &b, 0);
		if (ret == -EFBIG) {
			notes_add(notes, NOTE_WARN, files[i].path, 0,
				  "file too large, only its start was read");
		} else if (ret < 0) {
			notes_missing_errno(notes, files[i].path, ret);
			continue;
		}
		switch (k) {
		case SK_UNIX:
			ret = procnet_parse_unix(b.data, b.len, files[i].path, t, notes);
			break;
		case SK_PACKET:
			ret = procnet_parse_packet(b.data, b.len, files[i].path, t, notes);
			break;
		case SK_NETLINK:
			ret = procnet_parse_netlink(b.data, b.len, files[i].path, t, notes);
			break;
		default:
			ret = procnet_parse_inet(b.data, b.len, files[i].path, k, files[i].family,
						 t, notes);
			break;
		}
		if (ret >= 0)
			got[k] = true;
	}
	for (size_t k = 0; k < SK_KIND_COUNT; k++) {
		if (t->kind_ok[k] || !got[k])
			continue;
		t->kind_ok[k] = true;
		t->kind_source[k] = SOCK_SRC_PROCNET;
	}
	buf_free(&b);
}
