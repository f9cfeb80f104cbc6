/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket table of one sample: appending entries and raw name bytes,
 * sorting by (inode, cookie) with duplicates from resumed netlink dumps
 * dropped, lookup by bsearch, and the text ss would show for states and
 * addresses. Reads no kernel file; names pass through strsafe_escape before
 * they leave this module. Bad indexes give "-" or NULL, never a crash.
 */
#include "sock.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compat.h"
#include "hash.h"
#include "strsafe.h"
#include "xalloc.h"

uint64_t sock_mem_bytes(const struct sock_entry *s)
{
	uint64_t sum = 0;
	unsigned int n = s->skmem_n < SKMEM_COUNT ? s->skmem_n : SKMEM_COUNT;

	if (n > SKMEM_RMEM_ALLOC)
		sum += s->skmem[SKMEM_RMEM_ALLOC];
	if (s->kind == SK_TCP) {
		if (n > SKMEM_FWD_ALLOC)
			sum += s->skmem[SKMEM_FWD_ALLOC];
		if (n > SKMEM_WMEM_QUEUED)
			sum += s->skmem[SKMEM_WMEM_QUEUED];
	} else if (n > SKMEM_WMEM_ALLOC) {
		sum += s->skmem[SKMEM_WMEM_ALLOC];
	}
	return sum;
}

static const char *const kind_names[SK_KIND_COUNT] = {
	[SK_TCP] = "tcp",
	[SK_UDP] = "udp",
	[SK_UDPLITE] = "udplite",
	[SK_RAW] = "raw",
	[SK_UNIX] = "unix",
	[SK_PACKET] = "packet",
	[SK_NETLINK] = "netlink",
};

const char *sock_kind_name(enum sock_kind k)
{
	if ((unsigned int)k >= SK_KIND_COUNT)
		return "?";
	return kind_names[k];
}

/* ss's sstate_name: connectionless and bound-only sockets are "UNCONN". */
static const char *const state_names[] = {
	[1] = "ESTAB",
	[2] = "SYN-SENT",
	[3] = "SYN-RECV",
	[4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2",
	[6] = "TIME-WAIT",
	[7] = "UNCONN",
	[8] = "CLOSE-WAIT",
	[9] = "LAST-ACK",
	[10] = "LISTEN",
	[11] = "CLOSING",
	[12] = "SYN-RECV",
	[13] = "UNCONN",
};

const char *sock_tcp_state_name(unsigned int state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}

const char *sock_state_name(const struct sock_entry *s)
{
	const char *n = sock_tcp_state_name(s->state);

	return n ? n : "UNKNOWN";
}

static const char *const netlink_proto_names[] = {
	[0] = "rtnl",		[1] = "unused",		[2] = "usersock",
	[3] = "fw",		[4] = "tcpdiag",	[5] = "nflog",
	[6] = "xfrm",		[7] = "selinux",	[8] = "iscsi",
	[9] = "audit",		[10] = "fiblookup",	[11] = "connector",
	[12] = "nft",		[13] = "ip6fw",		[14] = "dec-rt",
	[15] = "uevent",	[16] = "genl",		[18] = "scsi-trans",
	[19] = "ecryptfs",	[20] = "rdma",		[21] = "crypto",
	[22] = "smc",
};

static void format_inet(const struct sock_entry *s, const uint8_t *addr, uint16_t port,
			char *out, size_t sz)
{
	char a[INET6_ADDRSTRLEN];
	char p[8];

	if (port)
		snprintf(p, sizeof(p), "%u", port);
	else
		snprintf(p, sizeof(p), "*");
	if (s->family == AF_INET6) {
		if (!inet_ntop(AF_INET6, addr, a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		snprintf(out, sz, "[%s]:%s", a, p);
	} else {
		if (!inet_ntop(AF_INET, addr, a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		snprintf(out, sz, "%s:%s", a, p);
	}
}

static void format_unix_name(const struct sock_table *t, const struct sock_entry *s, char *out,
			     size_t sz)
{
	const char *name;
	size_t len;

	if (s->u.un.path_off == UINT32_MAX || s->u.un.path_len == 0 || !t->strings ||
	    (uint64_t)s->u.un.path_off + s->u.un.path_len > t->strings_len) {
		snprintf(out, sz, "*");
		return;
	}
	name = t->strings + s->u.un.path_off;
	len = s->u.un.path_len;
	if (name[0] == '\0') {
		if (sz < 2) {
			if (sz)
				out[0] = '\0';
			return;
		}
		out[0] = '@';
		strsafe_escape(name + 1, len - 1, out + 1, sz - 1);
		return;
	}
	/* Pathname addresses carry their terminating NUL. */
	strsafe_escape(name, strnlen(name, len), out, sz);
}

/* What the local and the peer end share: no room at all, or an inet
 * socket (TCP to RAW come first in sock_kind), whose ends are written
 * alike. True when out is done. */
static bool format_end_common(const struct sock_table *t, const struct sock_entry *s, bool peer,
			      char *out, size_t sz)
{
	uint8_t saddr[16], daddr[16];

	if (!sz)
		return true;
	out[0] = '\0';
	if (s->kind > SK_RAW)
		return false;
	sock_inet_addrs(t, s, saddr, daddr);
	if (peer)
		format_inet(s, daddr, s->dport, out, sz);
	else
		format_inet(s, saddr, s->sport, out, sz);
	return true;
}

void sock_format_local(const struct sock_table *t, const struct sock_entry *s, char *out, size_t sz)
{
	if (format_end_common(t, s, false, out, sz))
		return;
	switch (s->kind) {
	case SK_UNIX:
		format_unix_name(t, s, out, sz);
		break;
	case SK_PACKET: {
		char proto[8], ifc[24];

		if (s->u.pk.pkt_proto == 0x0003)
			snprintf(proto, sizeof(proto), "*");
		else
			snprintf(proto, sizeof(proto), "0x%04x", s->u.pk.pkt_proto);
		if (s->u.pk.ifindex)
			snprintf(ifc, sizeof(ifc), "ifindex %u", s->u.pk.ifindex);
		else
			snprintf(ifc, sizeof(ifc), "*");
		snprintf(out, sz, "%s:%s", proto, ifc);
		break;
	}
	case SK_NETLINK: {
		char proto[8];
		const char *pn = NULL;

		if (s->protocol < ARRAY_SIZE(netlink_proto_names))
			pn = netlink_proto_names[s->protocol];
		if (!pn) {
			snprintf(proto, sizeof(proto), "%u", s->protocol);
			pn = proto;
		}
		if (s->u.nl.portid)
			snprintf(out, sz, "%s:%u", pn, s->u.nl.portid);
		else
			snprintf(out, sz, "%s:kernel", pn);
		break;
	}
	default:
		snprintf(out, sz, "-");
		break;
	}
}

void sock_format_peer(const struct sock_table *t, const struct sock_entry *s, char *out, size_t sz)
{
	(void)t;
	if (format_end_common(t, s, true, out, sz))
		return;
	switch (s->kind) {
	case SK_UNIX:
		if (s->u.un.peer_inode)
			snprintf(out, sz, "* %u", s->u.un.peer_inode);
		else
			snprintf(out, sz, "*");
		break;
	case SK_NETLINK:
		if (s->u.nl.dst_group)
			snprintf(out, sz, "%u group %u", s->u.nl.dst_portid, s->u.nl.dst_group);
		else if (s->u.nl.dst_portid)
			snprintf(out, sz, "%u", s->u.nl.dst_portid);
		else
			snprintf(out, sz, "*");
		break;
	case SK_PACKET:
		snprintf(out, sz, "*");
		break;
	default:
		snprintf(out, sz, "-");
		break;
	}
}

const struct sock_owner *sock_owners_of(const struct sock_table *t, const struct sock_entry *s)
{
	if (!s->owner_n || !t->owners ||
	    (uint64_t)s->owner_first + s->owner_n > t->owners_n)
		return NULL;
	return &t->owners[s->owner_first];
}

void sock_owners_scan_describe(const struct sock_table *t, char *out, size_t sz)
{
	if (!sz)
		return;
	if (!t->owners_scanned)
		snprintf(out, sz, "not scanned");
	else if (t->owners_full)
		snprintf(out, sz, "full walk");
	else
		snprintf(out, sz, "incremental, %u of %u processes walked", t->owners_walked,
			 t->owners_procs);
}

void sock_inet_addrs(const struct sock_table *t, const struct sock_entry *s, uint8_t saddr[16],
		     uint8_t daddr[16])
{
	uint32_t off = s->u.in.addr.v6.off;

	memset(saddr, 0, 16);
	memset(daddr, 0, 16);
	if (s->family != AF_INET6) {
		memcpy(saddr, s->u.in.addr.v4.saddr, 4);
		memcpy(daddr, s->u.in.addr.v4.daddr, 4);
		return;
	}
	if (off == UINT32_MAX || !t->strings || (uint64_t)off + 32 > t->strings_len)
		return;
	memcpy(saddr, t->strings + off, 16);
	memcpy(daddr, t->strings + off + 16, 16);
}

bool sock_set_inet_addrs(struct sock_table *t, struct sock_entry *s, const uint8_t saddr[16],
			 const uint8_t daddr[16])
{
	uint8_t pair[32];

	if (s->family != AF_INET6) {
		memcpy(s->u.in.addr.v4.saddr, saddr, 4);
		memcpy(s->u.in.addr.v4.daddr, daddr, 4);
		return true;
	}
	memcpy(pair, saddr, 16);
	memcpy(pair + 16, daddr, 16);
	s->u.in.addr.v6.hash = (uint32_t)hash_bytes(pair, sizeof(pair), HASH_INIT);
	s->u.in.addr.v6.off = sock_table_add_string(t, pair, sizeof(pair));
	return s->u.in.addr.v6.off != UINT32_MAX;
}

struct sock_entry *sock_table_add(struct sock_table *t)
{
	struct sock_entry *e;

	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

uint32_t sock_table_add_string(struct sock_table *t, const void *data, size_t len)
{
	uint32_t off;

	/* Offsets are 32-bit; UINT32_MAX itself means "unbound". */
	if (len >= UINT32_MAX || t->strings_len > (size_t)UINT32_MAX - 1 - len)
		return UINT32_MAX;
	xgrow((void **)&t->strings, &t->strings_cap, t->strings_len + len + 1, 1);
	off = (uint32_t)t->strings_len;
	if (len)
		memcpy(t->strings + off, data, len);
	t->strings[off + len] = '\0';
	t->strings_len += len + 1;
	return off;
}

/* Sockets without inode and cookie (procnet rows, TIME_WAIT, orphans,
 * kernel sockets) are told apart by what the kernel says about them: kind,
 * family, protocol, state, and the address 4-tuple (packet: interface and
 * protocol; netlink: port id). */
static int tuple_cmp(const struct sock_entry *a, const struct sock_entry *b)
{
	int c;

	if ((c = SPACESHIP(a->kind, b->kind)))
		return c;
	if ((c = SPACESHIP(a->family, b->family)))
		return c;
	if ((c = SPACESHIP(a->protocol, b->protocol)))
		return c;
	if ((c = SPACESHIP(a->sport, b->sport)))
		return c;
	if ((c = SPACESHIP(a->dport, b->dport)))
		return c;
	if (a->kind <= SK_RAW && a->family == AF_INET6) {
		/* The pair is in each table's pool: its hash stands for it. */
		if ((c = SPACESHIP(a->u.in.addr.v6.hash, b->u.in.addr.v6.hash)))
			return c;
	} else if (a->kind <= SK_RAW) {
		if ((c = memcmp(&a->u.in.addr.v4, &b->u.in.addr.v4, sizeof(a->u.in.addr.v4))))
			return c;
	} else if (a->kind == SK_PACKET) {
		if ((c = SPACESHIP(a->u.pk.ifindex, b->u.pk.ifindex)))
			return c;
		if ((c = SPACESHIP(a->u.pk.pkt_proto, b->u.pk.pkt_proto)))
			return c;
	} else if (a->kind == SK_NETLINK) {
		if ((c = SPACESHIP(a->u.nl.portid, b->u.nl.portid)))
			return c;
	}
	return SPACESHIP(a->state, b->state);
}

static bool has_id(const struct sock_entry *s)
{
	return s->inode || s->cookie;
}

int sock_identity_cmp(const struct sock_entry *a, const struct sock_entry *b)
{
	int c;

	if ((c = SPACESHIP(a->inode, b->inode)))
		return c;
	if ((c = SPACESHIP(a->cookie, b->cookie)))
		return c;
	return has_id(a) ? 0 : tuple_cmp(a, b);
}

void sock_identity(const struct sock_entry *s, uint64_t k[2])
{
	uint64_t h;

	k[0] = s->inode;
	k[1] = s->cookie;
	if (has_id(s))
		return;
	h = hash_bytes(&s->kind, 1, HASH_INIT);
	h = hash_bytes(&s->family, 1, h);
	h = hash_bytes(&s->protocol, 1, h);
	h = hash_bytes(&s->state, 1, h);
	h = hash_bytes(&s->sport, sizeof(s->sport), h);
	h = hash_bytes(&s->dport, sizeof(s->dport), h);
	if (s->kind <= SK_RAW && s->family == AF_INET6)
		h = hash_bytes(&s->u.in.addr.v6.hash, sizeof(s->u.in.addr.v6.hash), h);
	else if (s->kind <= SK_RAW)
		h = hash_bytes(&s->u.in.addr.v4, sizeof(s->u.in.addr.v4), h);
	else if (s->kind == SK_PACKET) {
		h = hash_bytes(&s->u.pk.ifindex, sizeof(s->u.pk.ifindex), h);
		h = hash_bytes(&s->u.pk.pkt_proto, sizeof(s->u.pk.pkt_proto), h);
	} else if (s->kind == SK_NETLINK) {
		h = hash_bytes(&s->u.nl.portid, sizeof(s->u.nl.portid), h);
	}
	k[1] = h | SOCK_ID_TUPLE;
}

/* Identity first, so a table sorted by this is sorted for a merge-join by
 * sock_identity_cmp; the rest only orders duplicates alike in two samples. */
static int entry_cmp(const void *pa, const void *pb)
{
	const struct sock_entry *a = pa, *b = pb;
	int c;

	if ((c = sock_identity_cmp(a, b)))
		return c;
	return tuple_cmp(a, b);
}

void sock_table_finish(struct sock_table *t)
{
	size_t w = 0;

	/* glibc qsort sorts entries this size through pointers and moves each
	 * once: as fast as sorting 16-byte keys by hand (tests/bench/sort_bench,
	 * doc/performance.md). A dump arrives sorted often enough to check. */
	for (size_t i = 1; i < t->n; i++) {
		if (entry_cmp(&t->v[i - 1], &t->v[i]) > 0) {
			qsort(t->v, t->n, sizeof(*t->v), entry_cmp);
			break;
		}
	}
	for (size_t r = 0; r < t->n; r++) {
		if (w > 0 && t->v[r].cookie != 0 && t->v[r].cookie == t->v[w - 1].cookie &&
		    t->v[r].inode == t->v[w - 1].inode)
			continue;
		if (w != r)
			t->v[w] = t->v[r];
		w++;
	}
	t->n = w;
	memset(t->count, 0, sizeof(t->count));
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind < SK_KIND_COUNT)
			t->count[t->v[i].kind]++;
}

const struct sock_entry *sock_table_find(const struct sock_table *t, uint32_t inode,
					 uint64_t cookie)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sock_entry *e = &t->v[mid];

		if (e->inode < inode || (e->inode == inode && e->cookie < cookie))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && t->v[lo].inode == inode && t->v[lo].cookie == cookie)
		return &t->v[lo];
	if (inode == 0 && cookie & SOCK_ID_TUPLE) {
		/* A tuple identity: among the sockets with neither inode nor
		 * cookie, which sort first. */
		for (size_t i = 0; i < t->n && !has_id(&t->v[i]); i++) {
			uint64_t k[2];

			sock_identity(&t->v[i], k);
			if (k[1] == cookie)
				return &t->v[i];
		}
	}
	return NULL;
}

void sock_table_free(struct sock_table *t)
{
	free(t->v);
	free(t->strings);
	free(t->owners);
	memset(t, 0, sizeof(*t));
}
