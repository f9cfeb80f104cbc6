/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock_diag dumps over one NETLINK_SOCK_DIAG socket per sample: inet (TCP,
 * UDP, UDP-Lite, RAW over v4 and v6), UNIX, PACKET and NETLINK, each socket
 * with its skmem figures. Reads no file; sends only dump requests
 * (SOCK_DIAG_BY_FAMILY, and TCPDIAG_GETSOCK for TCP). Replies are hostile input: every length is checked before it is
 * read, a malformed message is skipped and counted, a failed dump becomes a
 * note and leaves its kind to the /proc/net fallback. The dump's own netlink
 * sockets are left out of the table: they are closed before anyone sees it.
 */
#include "sockdiag.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "xalloc.h"

/* The kernel caps one dump skb near 32 KiB whatever we offer; libmnl's own
 * MNL_SOCKET_BUFFER_SIZE (one page) would cost eight times the syscalls. */
#define SOCKDIAG_BUF_SIZE 32768

/* tcp_info for the drill-down, skmem for the figures; the older MEMINFO and
 * the congestion algorithm's name are not read, and would cost the kernel
 * and the parser a few percent per socket. */
#define INET_EXT_SKMEM (1 << (INET_DIAG_SKMEMINFO - 1))
#define INET_EXT_INFO (1 << (INET_DIAG_INFO - 1))
/* Not ICONS: it lists every queued connection's inode, so a listener with
 * thousands of them overflows a dump message; RQLEN gives their number. */
#define UNIX_SHOW (UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | \
		   UDIAG_SHOW_MEMINFO | UDIAG_SHOW_UID)
#define PACKET_SHOW (PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_RING_CFG)
#define NETLINK_SHOW (NDIAG_SHOW_MEMINFO | NDIAG_SHOW_FLAGS)

/* The attribute at p if a whole one fits before end, else NULL. Fewer bytes
 * than an attribute header are alignment slack; a length that points outside
 * the message makes *bad true. */
static const struct nlattr *attr_at(const char *p, const char *end, bool *bad)
{
	const struct nlattr *a = (const struct nlattr *)p;
	ptrdiff_t left = end - p;

	if (left < (ptrdiff_t)NLA_HDRLEN)
		return NULL;
	if (!mnl_attr_ok(a, (int)(left > INT32_MAX ? INT32_MAX : left))) {
		*bad = true;
		return NULL;
	}
	return a;
}

#define for_each_attr(a, start, end, bad) \
	for ((a) = attr_at((start), (end), (bad)); (a); \
	     (a) = attr_at((const char *)(a) + NLA_ALIGN((a)->nla_len), (end), (bad)))

static uint32_t get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}

/* Fixed part of a reply: NULL when nlmsg_len cannot hold it. */
static const void *fixed_part(const struct nlmsghdr *nlh, size_t size)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + size)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

static const char *attrs_start(const struct nlmsghdr *nlh, size_t size)
{
	return (const char *)mnl_nlmsg_get_payload(nlh) + MNL_ALIGN(size);
}

static const char *msg_end(const struct nlmsghdr *nlh)
{
	return (const char *)nlh + nlh->nlmsg_len;
}

static struct sock_entry *commit(struct sock_table *t, const struct sock_entry *e)
{
	struct sock_entry *n = sock_table_add(t);

	*n = *e;
	if (e->kind < SK_KIND_COUNT)
		t->count[e->kind]++;
	return n;
}

static uint64_t cookie_of(const uint32_t c[2])
{
	return (uint64_t)c[0] | (uint64_t)c[1] << 32;
}

/* One reply being parsed: the entry, and the UNIX name, which goes into the
 * table's strings only once the whole message is known to be sound. */
struct reply {
	struct sock_entry *e;
	const struct nlattr *name;
};

/*
 * What one attribute type means to a family's parser: the least payload it
 * must carry (less makes the message malformed) and where its value goes
 * (NULL: checked only). Tables are indexed by attribute type; a type past
 * the end or left zero is ignored, as newer kernels add types.
 */
struct attr_rule {
	uint16_t min_len;
	void (*take)(struct reply *r, const struct nlattr *a);
};

static int walk_attrs(const struct nlmsghdr *nlh, size_t fixed, const struct attr_rule *rules,
		      size_t nrules, struct reply *r)
{
	const struct nlattr *a;
	bool bad = false;

	for_each_attr(a, attrs_start(nlh, fixed), msg_end(nlh), &bad) {
		uint16_t type = mnl_attr_get_type(a);

		if (type >= nrules)
			continue;
		if (mnl_attr_get_payload_len(a) < rules[type].min_len)
			return -1;
		if (rules[type].take)
			rules[type].take(r, a);
	}
	return bad ? -1 : 0;
}

static void take_skmem(struct reply *r, const struct nlattr *a)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	size_t n = len / sizeof(uint32_t);

	if (n > SKMEM_COUNT)
		n = SKMEM_COUNT;
	memset(r->e->skmem, 0, sizeof(r->e->skmem));
	memcpy(r->e->skmem, mnl_attr_get_payload(a), n * sizeof(uint32_t));
	r->e->skmem_n = (uint8_t)n;
}

static void take_shutdown(struct reply *r, const struct nlattr *a)
{
	r->e->shutdown = *(const uint8_t *)mnl_attr_get_payload(a);
}

static void take_uid(struct reply *r, const struct nlattr *a)
{
	r->e->uid = get_u32(a);
}

/* tcp_info grew over the years: take what this kernel sent, zero the rest. */
static void take_tcp_info(struct reply *r, const struct nlattr *a)
{
	struct sock_entry *e = r->e;
	struct tcp_info ti;
	uint16_t len = mnl_attr_get_payload_len(a);
	size_t n = len < sizeof(ti) ? len : sizeof(ti);

	/* Only TCP's INFO is a tcp_info; other kinds send their own, or an
	 * empty one. */
	if (e->kind != SK_TCP)
		return;
	memset(&ti, 0, sizeof(ti));
	memcpy(&ti, mnl_attr_get_payload(a), n);
	e->has_tcpinfo = 1;
	e->u.in.tcpinfo_len = len;
	e->u.in.rcv_space = ti.tcpi_rcv_space;
	e->u.in.rcv_ssthresh = ti.tcpi_rcv_ssthresh;
	e->u.in.tcpi_retrans = ti.tcpi_retrans;
	e->u.in.tcpi_total_retrans = ti.tcpi_total_retrans;
	e->u.in.unacked = ti.tcpi_unacked;
	e->u.in.tcpi_retransmits = ti.tcpi_retransmits;
	e->u.in.backoff = ti.tcpi_backoff;
	e->u.in.notsent_bytes = ti.tcpi_notsent_bytes;
	e->u.in.snd_wnd = ti.tcpi_snd_wnd;
}

static void take_inet_protocol(struct reply *r, const struct nlattr *a)
{
	r->e->protocol = *(const uint8_t *)mnl_attr_get_payload(a);
}

static void take_cgroup_id(struct reply *r, const struct nlattr *a)
{
	memcpy(&r->e->cgroup_id, mnl_attr_get_payload(a), sizeof(r->e->cgroup_id));
	r->e->has_cgroup = 1;
}

/* MEMINFO is not asked for; one that comes anyway must still be whole. */
static const struct attr_rule inet_attrs[] = {
	[INET_DIAG_MEMINFO] = { sizeof(struct inet_diag_meminfo), NULL },
	[INET_DIAG_INFO] = { 0, take_tcp_info },
	[INET_DIAG_SKMEMINFO] = { 0, take_skmem },
	[INET_DIAG_SHUTDOWN] = { 1, take_shutdown },
	[INET_DIAG_PROTOCOL] = { 1, take_inet_protocol },
	[INET_DIAG_CGROUP_ID] = { sizeof(uint64_t), take_cgroup_id },
};

int sockdiag_parse_inet(const struct nlmsghdr *nlh, enum sock_kind kind, struct sock_table *t)
{
	const struct inet_diag_msg *m = fixed_part(nlh, sizeof(*m));
	struct sock_entry e;
	struct reply r = { .e = &e };

	if (!m || (m->idiag_family != AF_INET && m->idiag_family != AF_INET6) ||
	    (unsigned int)kind > SK_RAW)
		return -1;
	memset(&e, 0, sizeof(e));
	e.kind = (uint8_t)kind;
	e.family = m->idiag_family;
	e.type = kind == SK_TCP ? SOCK_STREAM : kind == SK_RAW ? SOCK_RAW : SOCK_DGRAM;
	e.protocol = kind == SK_TCP ? IPPROTO_TCP : kind == SK_UDP ? IPPROTO_UDP :
		     kind == SK_UDPLITE ? IPPROTO_UDPLITE : IPPROTO_RAW;
	e.state = m->idiag_state;
	e.timer = m->idiag_timer;
	e.retrans = m->idiag_retrans;
	e.sport = ntohs(m->id.idiag_sport);
	e.dport = ntohs(m->id.idiag_dport);
	e.cookie = cookie_of(m->id.idiag_cookie);
	e.expires_ms = m->idiag_expires;
	e.rqueue = m->idiag_rqueue;
	e.wqueue = m->idiag_wqueue;
	e.has_rqlen = 1;
	e.uid = m->idiag_uid;
	e.inode = m->idiag_inode;
	e.source = SOCK_SRC_DIAG;

	if (walk_attrs(nlh, sizeof(*m), inet_attrs, ARRAY_SIZE(inet_attrs), &r) < 0)
		return -1;
	/* Only a sound message takes room in the pool. */
	if (!sock_set_inet_addrs(t, &e, (const uint8_t *)m->id.idiag_src,
				 (const uint8_t *)m->id.idiag_dst))
		return -1;
	commit(t, &e);
	return 0;
}

static void take_unix_name(struct reply *r, const struct nlattr *a)
{
	r->name = a;
}

static void take_unix_vfs(struct reply *r, const struct nlattr *a)
{
	r->e->u.un.vfs_ino = get_u32(a);
}

static void take_unix_peer(struct reply *r, const struct nlattr *a)
{
	r->e->u.un.peer_inode = get_u32(a);
}

static void take_unix_rqlen(struct reply *r, const struct nlattr *a)
{
	struct unix_diag_rqlen rq;

	memcpy(&rq, mnl_attr_get_payload(a), sizeof(rq));
	r->e->rqueue = rq.udiag_rqueue;
	r->e->wqueue = rq.udiag_wqueue;
	r->e->has_rqlen = 1;
}

static const struct attr_rule unix_attrs[] = {
	[UNIX_DIAG_NAME] = { 0, take_unix_name },
	[UNIX_DIAG_VFS] = { sizeof(struct unix_diag_vfs), take_unix_vfs },
	[UNIX_DIAG_PEER] = { sizeof(uint32_t), take_unix_peer },
	[UNIX_DIAG_RQLEN] = { sizeof(struct unix_diag_rqlen), take_unix_rqlen },
	[UNIX_DIAG_MEMINFO] = { 0, take_skmem },
	[UNIX_DIAG_SHUTDOWN] = { 1, take_shutdown },
	[UNIX_DIAG_UID] = { sizeof(uint32_t), take_uid },
};

int sockdiag_parse_unix(const struct nlmsghdr *nlh, struct sock_table *t)
{
	const struct unix_diag_msg *m = fixed_part(nlh, sizeof(*m));
	struct sock_entry e;
	struct reply r = { .e = &e };

	if (!m || m->udiag_family != AF_UNIX)
		return -1;
	memset(&e, 0, sizeof(e));
	e.kind = SK_UNIX;
	e.family = AF_UNIX;
	e.type = m->udiag_type;
	e.state = m->udiag_state;
	e.inode = m->udiag_ino;
	e.cookie = cookie_of(m->udiag_cookie);
	e.source = SOCK_SRC_DIAG;
	e.u.un.path_off = UINT32_MAX;

	if (walk_attrs(nlh, sizeof(*m), unix_attrs, ARRAY_SIZE(unix_attrs), &r) < 0)
		return -1;
	/* A listener's RQLEN is its accept queue length. */
	if (e.state == 10 && e.has_rqlen)
		e.u.un.pending = e.rqueue;
	if (r.name && mnl_attr_get_payload_len(r.name) > 0) {
		uint16_t len = mnl_attr_get_payload_len(r.name);

		e.u.un.path_off = sock_table_add_string(t, mnl_attr_get_payload(r.name), len);
		if (e.u.un.path_off != UINT32_MAX)
			e.u.un.path_len = len;
	}
	commit(t, &e);
	return 0;
}

static void take_packet_info(struct reply *r, const struct nlattr *a)
{
	struct packet_diag_info pi;

	memcpy(&pi, mnl_attr_get_payload(a), sizeof(pi));
	r->e->u.pk.ifindex = pi.pdi_index;
	r->e->u.pk.version = (uint8_t)pi.pdi_version;
}

static uint64_t ring_bytes(const struct nlattr *a)
{
	struct packet_diag_ring pr;

	memcpy(&pr, mnl_attr_get_payload(a), sizeof(pr));
	return (uint64_t)pr.pdr_block_size * pr.pdr_block_nr;
}

static void take_rx_ring(struct reply *r, const struct nlattr *a)
{
	r->e->u.pk.rx_ring_bytes = ring_bytes(a);
}

static void take_tx_ring(struct reply *r, const struct nlattr *a)
{
	r->e->u.pk.tx_ring_bytes = ring_bytes(a);
}

static const struct attr_rule packet_attrs[] = {
	[PACKET_DIAG_INFO] = { sizeof(struct packet_diag_info), take_packet_info },
	[PACKET_DIAG_RX_RING] = { sizeof(struct packet_diag_ring), take_rx_ring },
	[PACKET_DIAG_TX_RING] = { sizeof(struct packet_diag_ring), take_tx_ring },
	[PACKET_DIAG_UID] = { sizeof(uint32_t), take_uid },
	[PACKET_DIAG_MEMINFO] = { 0, take_skmem },
};

int sockdiag_parse_packet(const struct nlmsghdr *nlh, struct sock_table *t)
{
	const struct packet_diag_msg *m = fixed_part(nlh, sizeof(*m));
	struct sock_entry e;
	struct reply r = { .e = &e };

	if (!m || m->pdiag_family != AF_PACKET)
		return -1;
	memset(&e, 0, sizeof(e));
	e.kind = SK_PACKET;
	e.family = AF_PACKET;
	e.type = m->pdiag_type;
	e.state = 7;
	e.u.pk.pkt_proto = m->pdiag_num;
	e.inode = m->pdiag_ino;
	e.cookie = cookie_of(m->pdiag_cookie);
	e.source = SOCK_SRC_DIAG;

	if (walk_attrs(nlh, sizeof(*m), packet_attrs, ARRAY_SIZE(packet_attrs), &r) < 0)
		return -1;
	/* ss shows a packet socket's receive queue as its rmem. */
	if (e.skmem_n > SKMEM_RMEM_ALLOC)
		e.rqueue = e.skmem[SKMEM_RMEM_ALLOC];
	commit(t, &e);
	return 0;
}

/* FLAGS is asked for only to be checked: the figures do not use it. */
static const struct attr_rule netlink_attrs[] = {
	[NETLINK_DIAG_MEMINFO] = { 0, take_skmem },
	[NETLINK_DIAG_FLAGS] = { sizeof(uint32_t), NULL },
};

int sockdiag_parse_netlink(const struct nlmsghdr *nlh, struct sock_table *t)
{
	const struct netlink_diag_msg *m = fixed_part(nlh, sizeof(*m));
	struct sock_entry e;
	struct reply r = { .e = &e };

	if (!m || m->ndiag_family != AF_NETLINK)
		return -1;
	memset(&e, 0, sizeof(e));
	e.kind = SK_NETLINK;
	e.family = AF_NETLINK;
	e.type = m->ndiag_type;
	e.protocol = m->ndiag_protocol;
	/* NETLINK_CONNECTED is 1; everything else is shown as UNCONN. */
	e.state = m->ndiag_state == 1 ? 1 : 7;
	e.u.nl.portid = m->ndiag_portid;
	e.u.nl.dst_portid = m->ndiag_dst_portid;
	e.u.nl.dst_group = m->ndiag_dst_group;
	e.inode = m->ndiag_ino;
	e.cookie = cookie_of(m->ndiag_cookie);
	e.source = SOCK_SRC_DIAG;

	if (walk_attrs(nlh, sizeof(*m), netlink_attrs, ARRAY_SIZE(netlink_attrs), &r) < 0)
		return -1;
	if (e.skmem_n > SKMEM_RMEM_ALLOC)
		e.rqueue = e.skmem[SKMEM_RMEM_ALLOC];
	if (e.skmem_n > SKMEM_WMEM_ALLOC)
		e.wqueue = e.skmem[SKMEM_WMEM_ALLOC];
	commit(t, &e);
	return 0;
}

/* ---- I/O ---------------------------------------------------------------- */

struct dump {
	struct sock_table *t;
	enum sock_kind kind;
	int done_err;		/* the int of NLMSG_DONE */
	int nl_err;		/* NLMSG_ERROR, negative */
	bool done;
	bool intr;
};

static int dump_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	int ret;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY &&
	    !(d->kind == SK_TCP && nlh->nlmsg_type == TCPDIAG_GETSOCK)) {
		d->t->skipped_msgs++;
		return MNL_CB_OK;
	}
	switch (d->kind) {
	case SK_UNIX:
		ret = sockdiag_parse_unix(nlh, d->t);
		break;
	case SK_PACKET:
		ret = sockdiag_parse_packet(nlh, d->t);
		break;
	case SK_NETLINK:
		ret = sockdiag_parse_netlink(nlh, d->t);
		break;
	default:
		ret = sockdiag_parse_inet(nlh, d->kind, d->t);
		break;
	}
	if (ret < 0)
		d->t->skipped_msgs++;
	return MNL_CB_OK;
}

static int dump_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	int v = 0;

	/* Very old kernels sent DONE without its int. */
	if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int))
		memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
	d->done = true;
	d->done_err = v;
	return MNL_CB_STOP;
}

static int dump_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nlmsgerr err;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(err)) {
		d->nl_err = -EBADMSG;
		d->done = true;
		return MNL_CB_STOP;
	}
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err.error == 0)
		return MNL_CB_OK;
	d->nl_err = err.error < 0 ? err.error : -err.error;
	d->done = true;
	return MNL_CB_STOP;
}

static mnl_cb_t dump_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = dump_error_cb,
	[NLMSG_DONE] = dump_done_cb,
};

int sockdiag_run_buffer(void *buf, size_t len, unsigned int seq, unsigned int portid,
			enum sock_kind kind, struct sock_table *t, int *done_err, bool *intr)
{
	struct dump d = { .t = t, .kind = kind };
	size_t off = 0;
	int ret;

	/* Walk the headers first, in size_t: libmnl 1.0.4's mnl_nlmsg_ok casts
	 * nlmsg_len to int, so a length of 2^31 or more passes its check. Only
	 * the prefix of whole messages goes to mnl_cb_run2; anything after it
	 * counts as one skipped message. libmnl also stops the whole buffer at
	 * NLM_F_DUMP_INTR although the entries are still good, so the flag is
	 * taken off here and reported. */
	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)buf + off);
		size_t step = ((size_t)nlh->nlmsg_len + NLMSG_ALIGNTO - 1) & ~(size_t)(NLMSG_ALIGNTO - 1);

		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - off)
			break;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_DUMP_INTR;
			d.intr = true;
		}
		off += step < len - off ? step : len - off;
	}
	if (off < len)
		t->skipped_msgs++;
	errno = 0;
	ret = mnl_cb_run2(buf, off, seq, portid, dump_data_cb, &d, dump_ctl_cb,
			  ARRAY_SIZE(dump_ctl_cb));
	if (intr && d.intr)
		*intr = true;
	if (ret == MNL_CB_ERROR)
		return -(errno ? errno : EPROTO);
	if (d.nl_err)
		return d.nl_err;
	if (d.done) {
		if (done_err)
			*done_err = d.done_err;
		return 0;
	}
	return 1;
}

struct dump_spec {
	enum sock_kind kind;
	uint8_t family;
	uint8_t protocol;
};

/* What every inet request asks for besides the socket itself. */
static uint8_t inet_ext(bool tcp_info)
{
	return INET_EXT_SKMEM | (tcp_info ? INET_EXT_INFO : 0);
}

/*
 * TCP of both families in one dump: the kernel walks its whole established
 * hash for every TCP dump (262144 buckets on a 24 GiB box, about 2 ms even
 * when it holds a handful of sockets), and a SOCK_DIAG_BY_FAMILY request
 * names one family, so IPv4 and IPv6 cost two walks. The older
 * TCPDIAG_GETSOCK request takes AF_UNSPEC and gives both in one, with the
 * same extensions. A kernel that refuses it once gets the two family dumps
 * from then on.
 */
static atomic_bool tcp_unspec_refused;

static bool spec_wanted(const struct dump_spec *s)
{
	if (s->kind != SK_TCP)
		return true;
	return (s->family == AF_UNSPEC) != atomic_load(&tcp_unspec_refused);
}

static size_t build_request(char *buf, const struct dump_spec *s, unsigned int seq, uint8_t ext)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (s->kind == SK_TCP && s->family == AF_UNSPEC) {
		struct inet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		r->idiag_family = AF_UNSPEC;
		r->idiag_ext = ext;
		r->idiag_states = ~0U;
		return nlh->nlmsg_len;
	}
	switch (s->kind) {
	case SK_UNIX: {
		struct unix_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_UNIX;
		r->udiag_states = ~0U;
		r->udiag_show = UNIX_SHOW;
		break;
	}
	case SK_PACKET: {
		struct packet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_PACKET;
		r->pdiag_show = PACKET_SHOW;
		break;
	}
	case SK_NETLINK: {
		struct netlink_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_NETLINK;
		r->sdiag_protocol = NDIAG_PROTO_ALL;
		r->ndiag_show = NETLINK_SHOW;
		break;
	}
	case SK_RAW: {
		struct inet_diag_req_raw *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = s->family;
		r->sdiag_protocol = IPPROTO_RAW;
		r->sdiag_raw_protocol = IPPROTO_RAW;
		r->idiag_ext = ext;
		r->idiag_states = ~0U;
		break;
	}
	default: {
		struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = s->family;
		r->sdiag_protocol = s->protocol;
		r->idiag_ext = ext;
		r->idiag_states = ~0U;
		break;
	}
	}
	return nlh->nlmsg_len;
}

/* The sockets this sample opened: they are in the netlink dump but closed
 * before anyone sees the sample, so they are left out of it. */
struct own_socks {
	uint32_t ino[8];
	size_t n;
};

static struct mnl_socket *diag_open(int *err, struct own_socks *own)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	struct stat sb;

	if (!nl) {
		*err = -errno;
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		mnl_socket_close(nl);
		return NULL;
	}
	if (own->n < ARRAY_SIZE(own->ino) && fstat(mnl_socket_get_fd(nl), &sb) == 0)
		own->ino[own->n++] = (uint32_t)sb.st_ino;
	return nl;
}

static void drop_own(struct sock_table *t, size_t start, const struct own_socks *own)
{
	size_t w = start;

	for (size_t r = start; r < t->n; r++) {
		const struct sock_entry *e = &t->v[r];
		bool mine = false;

		for (size_t k = 0; k < own->n && e->kind == SK_NETLINK; k++)
			mine |= e->inode == own->ino[k] && e->inode != 0;
		if (mine) {
			t->count[SK_NETLINK]--;
			continue;
		}
		if (w != r)
			t->v[w] = *e;
		w++;
	}
	t->n = w;
}

enum dump_result sockdiag_dump_end(int ret, int done_err, bool intr, uint32_t skipped,
				   struct notes *notes, const char *source)
{
	enum dump_result r = DUMP_OK;

	if (intr)
		notes_add(notes, NOTE_WARN, source, 0,
			  "dump interrupted by concurrent changes: sockets may be missing or repeated");
	if (ret < 0) {
		if (ret == -ENOENT || ret == -EOPNOTSUPP)
			return DUMP_NOHANDLER;
		notes_add(notes, NOTE_WARN, source, 0, "dump refused: %s", notes_errno_reason(ret));
		return DUMP_FAILED;
	}
	if (done_err == -ENOENT || done_err == -EOPNOTSUPP)
		return DUMP_NOHANDLER;
	if (done_err < 0) {
		notes_add(notes, NOTE_WARN, source, 0, "incomplete: dump ended with %s",
			  notes_errno_reason(done_err));
		r = DUMP_PARTIAL;
	}
	/* A message cut short or lying about its length loses the sockets
	 * after it in that buffer: say which dump lost them. */
	if (skipped) {
		notes_add(notes, NOTE_WARN, source, 0,
			  "incomplete: %u malformed or truncated messages, sockets in them missing",
			  skipped);
		r = DUMP_PARTIAL;
	}
	return r;
}

/* One dump request and its replies. On anything but a clean end the socket
 * may still hold replies of this dump, so the caller opens a new one. */
static enum dump_result run_dump(struct mnl_socket *nl, const struct dump_spec *s,
				 unsigned int seq, uint8_t ext, char *buf, struct sock_table *t,
				 struct notes *notes, const char *source, bool *reopen)
{
	unsigned int portid = mnl_socket_get_portid(nl);
	size_t len = build_request(buf, s, seq, ext);
	uint32_t skipped0 = t->skipped_msgs;
	enum dump_result r;
	bool intr = false;

	if (mnl_socket_sendto(nl, buf, len) < 0) {
		notes_add(notes, NOTE_WARN, source, 0, "request failed: %s",
			  notes_errno_reason(errno));
		return DUMP_FAILED;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, SOCKDIAG_BUF_SIZE);
		int done_err = 0, ret;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			*reopen = true;
			if (e == ENOSPC || e == ENOBUFS) {
				notes_add(notes, NOTE_WARN, source, 0,
					  "incomplete: %s, some sockets are missing",
					  e == ENOSPC ? "reply truncated" : "receive buffer overrun");
				return DUMP_PARTIAL;
			}
			notes_add(notes, NOTE_WARN, source, 0, "receive failed: %s",
				  notes_errno_reason(e));
			return DUMP_FAILED;
		}
		if (n == 0) {
			*reopen = true;
			notes_add(notes, NOTE_WARN, source, 0, "incomplete: dump ended without DONE");
			return DUMP_PARTIAL;
		}
		ret = sockdiag_run_buffer(buf, (size_t)n, seq, portid, s->kind, t, &done_err, &intr);
		if (ret == 1)
			continue;
		r = sockdiag_dump_end(ret, done_err, intr, t->skipped_msgs - skipped0, notes, source);
		if (ret < 0)
			*reopen = true;
		return r;
	}
}

static const char *const procnet_files[SK_KIND_COUNT] = {
	[SK_TCP] = "/proc/net/tcp",
	[SK_UDP] = "/proc/net/udp",
	[SK_UDPLITE] = "/proc/net/udplite",
	[SK_RAW] = "/proc/net/raw",
	[SK_UNIX] = "/proc/net/unix",
	[SK_PACKET] = "/proc/net/packet",
	[SK_NETLINK] = "/proc/net/netlink",
};

int sockdiag_dump_all(struct sock_table *t, bool tcp_info, struct notes *notes)
{
	static const struct dump_spec specs[] = {
		{ SK_TCP, AF_UNSPEC, IPPROTO_TCP },
		{ SK_TCP, AF_INET, IPPROTO_TCP },	{ SK_TCP, AF_INET6, IPPROTO_TCP },
		{ SK_UDP, AF_INET, IPPROTO_UDP },	{ SK_UDP, AF_INET6, IPPROTO_UDP },
		{ SK_UDPLITE, AF_INET, IPPROTO_UDPLITE }, { SK_UDPLITE, AF_INET6, IPPROTO_UDPLITE },
		{ SK_RAW, AF_INET, IPPROTO_RAW },	{ SK_RAW, AF_INET6, IPPROTO_RAW },
		{ SK_UNIX, AF_UNIX, 0 },
		{ SK_PACKET, AF_PACKET, 0 },
		{ SK_NETLINK, AF_NETLINK, 0 },
	};
	char *buf = xmalloc(SOCKDIAG_BUF_SIZE);
	uint8_t ext = inet_ext(tcp_info);
	uint32_t skipped0 = t->skipped_msgs;
	unsigned int seq = (unsigned int)getpid() << 8;
	struct mnl_socket *nl;
	struct own_socks own = { .n = 0 };
	size_t netlink_start = SIZE_MAX;
	int err = 0;

	nl = diag_open(&err, &own);
	if (!nl) {
		notes_add(notes, NOTE_MISSING, "sock_diag", 0, "netlink socket: %s",
			  notes_errno_reason(err));
		free(buf);
		return err;
	}
	for (size_t i = 0; i < ARRAY_SIZE(specs);) {
		enum sock_kind kind = specs[i].kind;
		size_t start = t->n, strings_start = t->strings_len;
		bool failed = false, missing = false;
		char source[64];

		snprintf(source, sizeof(source), "sock_diag %s", sock_kind_name(kind));
		if (kind == SK_NETLINK)
			netlink_start = start;
		for (; i < ARRAY_SIZE(specs) && specs[i].kind == kind; i++) {
			bool reopen = false;
			enum dump_result r;

			if (!spec_wanted(&specs[i]))
				continue;
			if (!nl) {
				failed = true;
				continue;
			}
			if (specs[i].family == AF_UNSPEC) {
				/* Refused: the family dumps, next in specs, run in
				 * this sample instead, and the refusal is no news. */
				struct notes tried = { 0 };

				r = run_dump(nl, &specs[i], ++seq, ext, buf, t, &tried, source, &reopen);
				if ((r == DUMP_FAILED || r == DUMP_NOHANDLER) && t->n == start) {
					atomic_store(&tcp_unspec_refused, true);
					notes_free(&tried);
					r = DUMP_OK;
				} else {
					notes_move(notes, &tried);
				}
			} else {
				r = run_dump(nl, &specs[i], ++seq, ext, buf, t, notes, source, &reopen);
			}
			if (r == DUMP_FAILED || r == DUMP_NOHANDLER)
				failed = true;
			if (r == DUMP_NOHANDLER)
				missing = true;
			if (reopen) {
				mnl_socket_close(nl);
				nl = diag_open(&err, &own);
			}
		}
		if (failed) {
			/* All of the kind or none: the fallback reads both families. */
			t->n = start;
			t->strings_len = strings_start;
			t->count[kind] = 0;
			t->kind_ok[kind] = false;
			notes_add(notes, NOTE_WARN, source, 0, "%s, read %s instead%s",
				  missing ? "no diag handler in this kernel" : "dump failed",
				  procnet_files[kind],
				  kind == SK_PACKET || kind == SK_NETLINK ? " (rmem only)" :
				  " (no skmem)");
		} else {
			t->kind_ok[kind] = true;
			t->kind_source[kind] = SOCK_SRC_DIAG;
		}
	}
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	if (netlink_start != SIZE_MAX && t->kind_ok[SK_NETLINK])
		drop_own(t, netlink_start, &own);
	if (t->skipped_msgs > skipped0)
		notes_add(notes, NOTE_WARN, "sock_diag", 0, "%u malformed messages skipped",
			  t->skipped_msgs - skipped0);
	return 0;
}
