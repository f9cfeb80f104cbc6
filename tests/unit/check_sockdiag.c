/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock_diag reply parsing on messages built in memory with libmnl (full TCP
 * socket, short and long skmem arrays, truncated and lying messages, unix,
 * packet, netlink), the dump loop's control messages, replays of real dumps
 * captured on a 6.18 kernel, and the socket table helpers.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "expect.h"
#include "notes.h"
#include "sock.h"
#include "sockdiag.h"
#include "suites.h"
#include "tcpinfo.h"

#define TI_LEN 280

static char msgbuf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *new_msg(void)
{
	struct nlmsghdr *nlh;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	return nlh;
}

static struct inet_diag_msg *put_inet(struct nlmsghdr *nlh, uint8_t family)
{
	struct inet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->idiag_family = family;
	m->idiag_state = 1;
	m->idiag_timer = 1;
	m->idiag_retrans = 2;
	m->id.idiag_sport = htons(8080);
	m->id.idiag_dport = htons(41234);
	m->id.idiag_src[0] = htonl(0x7f000001);
	m->id.idiag_dst[0] = htonl(0x7f000002);
	m->id.idiag_cookie[0] = 0x11223344;
	m->id.idiag_cookie[1] = 0x5;
	m->idiag_expires = 204;
	m->idiag_rqueue = 128512;
	m->idiag_wqueue = 3782145;
	m->idiag_uid = 1000;
	m->idiag_inode = 1133757;
	return m;
}

static void put_skmem(struct nlmsghdr *nlh, uint16_t type, unsigned int n)
{
	uint32_t v[16];

	for (unsigned int i = 0; i < n; i++)
		v[i] = 1000 * (i + 1);
	mnl_attr_put(nlh, type, n * sizeof(uint32_t), v);
}

static void put_tcp_info(struct nlmsghdr *nlh, size_t len)
{
	unsigned char raw[TI_LEN];
	struct tcp_info ti;

	memset(raw, 0xab, sizeof(raw));
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_state = 1;
	ti.tcpi_retransmits = 3;
	ti.tcpi_backoff = 4;
	ti.tcpi_unacked = 7;
	ti.tcpi_retrans = 2;
	ti.tcpi_rcv_ssthresh = 95232;
	ti.tcpi_rcv_space = 65483;
	ti.tcpi_total_retrans = 11;
	ti.tcpi_notsent_bytes = 3782144;
	ti.tcpi_snd_wnd = 65536;
	memcpy(raw, &ti, len < sizeof(ti) ? len : sizeof(ti));
	mnl_attr_put(nlh, INET_DIAG_INFO, len, raw);
}

/* One inet socket message as a kernel of some age sends it. */
static const struct inet_case {
	const char *name;
	uint8_t family;
	enum sock_kind kind;
	size_t tcpinfo_len;	/* 0: no INET_DIAG_INFO */
	unsigned int skmem_n;	/* entries of INET_DIAG_SKMEMINFO put */
	bool extras;		/* every other attribute, known or not */
	struct want_sock sock;
	size_t nti;
	struct { enum tcpinfo_field f; uint64_t v; } ti[3];
} inet_cases[] = {
	{ "tcp, every attribute", AF_INET, SK_TCP, TI_LEN, 9, true,
	  { 0, "ESTAB", "127.0.0.1:8080", "127.0.0.2:41234",
	    { SOCK_FIG(kind, SK_TCP), SOCK_FIG(family, AF_INET), SOCK_FIG(type, SOCK_STREAM),
	      SOCK_FIG(protocol, IPPROTO_TCP), SOCK_FIG(source, SOCK_SRC_DIAG), SOCK_FIG(state, 1),
	      SOCK_FIG(timer, 1), SOCK_FIG(retrans, 2), SOCK_FIG(sport, 8080),
	      SOCK_FIG(dport, 41234), SOCK_FIG(cookie, 0x511223344ULL), SOCK_FIG(expires_ms, 204),
	      SOCK_FIG(rqueue, 128512), SOCK_FIG(wqueue, 3782145), SOCK_DERIVED("has_rqlen", 1),
	      SOCK_FIG(uid, 1000), SOCK_FIG(inode, 1133757), SOCK_FIG(shutdown, 3),
	      SOCK_DERIVED("has_cgroup", 1), SOCK_FIG(cgroup_id, 0x123456789ULL),
	      SOCK_DERIVED("has_tcpinfo", 1), SOCK_FIG(u.in.tcpinfo_len, 280),
	      SOCK_FIG(u.in.rcv_space, 65483), SOCK_FIG(u.in.rcv_ssthresh, 95232),
	      SOCK_FIG(u.in.notsent_bytes, 3782144), SOCK_FIG(u.in.snd_wnd, 65536),
	      SOCK_FIG(u.in.tcpi_retrans, 2), SOCK_FIG(u.in.tcpi_total_retrans, 11),
	      SOCK_FIG(u.in.unacked, 7), SOCK_FIG(u.in.tcpi_retransmits, 3),
	      SOCK_FIG(u.in.backoff, 4),
	      /* TCP footprint: rmem_alloc + fwd_alloc + wmem_queued. */
	      SOCK_DERIVED("mem_bytes", 1000 + 5000 + 6000) } },
	  3, { { TI_SND_WND, 65536 }, { TI_BACKOFF, 4 }, { TI_NOTSENT_BYTES, 3782144 } } },
	/* 104 bytes of tcp_info end before notsent_bytes and snd_wnd: those are
	 * missing, not 0; 7 skmem entries leave the last two unknown. */
	{ "tcp, old kernel", AF_INET6, SK_TCP, 104, 7, false,
	  { 0, NULL, NULL, NULL,
	    { SOCK_FIG(u.in.tcpinfo_len, 104), SOCK_FIG(u.in.notsent_bytes, 0),
	      SOCK_FIG(u.in.rcv_space, 65483), SOCK_FIG(u.in.tcpi_total_retrans, 11),
	      SOCK_DERIVED("has_cgroup", 0), SOCK_DERIVED("mem_bytes", 1000 + 5000 + 6000) } },
	  0, { { 0 } } },
	/* A newer kernel's longer skmem array: the known 9 kept. Not TCP: the
	 * footprint is rmem_alloc + wmem_alloc. */
	{ "udp, skmem from the future", AF_INET, SK_UDP, 0, 12, false,
	  { 0, NULL, NULL, NULL,
	    { SOCK_FIG(type, SOCK_DGRAM), SOCK_FIG(protocol, IPPROTO_UDP),
	      SOCK_DERIVED("has_tcpinfo", 0), SOCK_DERIVED("mem_bytes", 1000 + 3000) } },
	  0, { { 0 } } },
};

static void put_extras(struct nlmsghdr *nlh)
{
	uint8_t shut = 3, unknown[5] = { 1, 2, 3, 4, 5 };
	uint64_t cg = 0x123456789ULL;
	uint32_t mark = 7;

	mnl_attr_put(nlh, INET_DIAG_MEMINFO, sizeof(struct inet_diag_meminfo),
		     (uint32_t[4]){ 1, 2, 3, 4 });
	mnl_attr_put_strz(nlh, INET_DIAG_CONG, "bbr");
	mnl_attr_put(nlh, INET_DIAG_SHUTDOWN, 1, &shut);
	mnl_attr_put(nlh, INET_DIAG_MARK, 4, &mark);
	mnl_attr_put(nlh, INET_DIAG_PAD, 0, NULL);
	mnl_attr_put(nlh, INET_DIAG_CGROUP_ID, 8, &cg);
	mnl_attr_put(nlh, 99, sizeof(unknown), unknown);
	mnl_attr_put(nlh, 200, 0, NULL);
}

START_TEST(test_inet)
{
	const struct inet_case *c = &inet_cases[_i];
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	unsigned int kept = c->skmem_n < SKMEM_COUNT ? c->skmem_n : SKMEM_COUNT;

	put_inet(nlh, c->family);
	if (c->tcpinfo_len)
		put_tcp_info(nlh, c->tcpinfo_len);
	put_skmem(nlh, INET_DIAG_SKMEMINFO, c->skmem_n);
	if (c->extras)
		put_extras(nlh);
	ck_assert_int_eq(sockdiag_parse_inet(nlh, c->kind, &t), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.count[c->kind], 1);
	expect_sock(&t, &c->sock);
	ck_assert_uint_eq(t.v[0].skmem_n, kept);
	for (unsigned int i = 0; i < SKMEM_COUNT; i++)
		ck_assert_uint_eq(t.v[0].skmem[i], i < kept ? 1000 * (i + 1) : 0);
	/* A tcp_info field is there when the kernel sent all its bytes. */
	for (int f = 0; f < TI_COUNT; f++) {
		uint64_t v = 12345;
		bool in = c->tcpinfo_len &&
			  tcpinfo_fields[f].offset + tcpinfo_fields[f].size <= c->tcpinfo_len;

		ck_assert_msg(sock_tcpinfo_field(&t.v[0], f, &v) == in, "%s: %s", c->name,
			      tcpinfo_fields[f].name);
		if (!in)
			ck_assert_uint_eq(v, 12345);
	}
	for (size_t i = 0; i < c->nti; i++) {
		uint64_t v = 0;

		ck_assert(sock_tcpinfo_field(&t.v[0], c->ti[i].f, &v));
		ck_assert_uint_eq(v, c->ti[i].v);
	}
	sock_table_free(&t);
}
END_TEST

START_TEST(test_truncated_fixed)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();

	put_inet(nlh, AF_INET);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1;
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	nlh->nlmsg_len = 4;
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), -1);
	ck_assert_int_eq(sockdiag_parse_packet(nlh, &t), -1);
	ck_assert_int_eq(sockdiag_parse_netlink(nlh, &t), -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_eq(t.count[SK_TCP], 0);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_lying_attr)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	struct nlattr *a;

	put_inet(nlh, AF_INET);
	put_skmem(nlh, INET_DIAG_SKMEMINFO, 9);
	a = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
	mnl_attr_put_u32(nlh, 99, 1);
	a->nla_len = 500;	/* past the end of the message */
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	a->nla_len = 2;		/* shorter than its own header */
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	ck_assert_uint_eq(t.n, 0);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_short_known_attr)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	uint32_t half = 1;

	put_inet(nlh, AF_INET);
	mnl_attr_put(nlh, INET_DIAG_CGROUP_ID, sizeof(half), &half);
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	nlh = new_msg();
	put_inet(nlh, AF_INET);
	mnl_attr_put(nlh, INET_DIAG_SHUTDOWN, 0, NULL);
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	nlh = new_msg();
	put_inet(nlh, 77);
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), -1);
	ck_assert_uint_eq(t.n, 0);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_v6_mapped_and_unbound)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	struct inet_diag_msg *m = put_inet(nlh, AF_INET6);
	char s[64];

	memset(m->id.idiag_src, 0, sizeof(m->id.idiag_src));
	m->id.idiag_src[2] = htonl(0xffff);
	m->id.idiag_src[3] = htonl(0x7f000001);
	memset(m->id.idiag_dst, 0, sizeof(m->id.idiag_dst));
	m->id.idiag_dport = 0;
	ck_assert_int_eq(sockdiag_parse_inet(nlh, SK_TCP, &t), 0);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "[::ffff:127.0.0.1]:8080");
	sock_format_peer(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "[::]:*");
	sock_format_local(&t, &t.v[0], s, 6);
	ck_assert_str_eq(s, "[::ff");
	sock_table_free(&t);
}
END_TEST

static struct unix_diag_msg *put_unix(struct nlmsghdr *nlh, uint8_t type, uint8_t state,
				      uint32_t ino)
{
	struct unix_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->udiag_family = AF_UNIX;
	m->udiag_type = type;
	m->udiag_state = state;
	m->udiag_ino = ino;
	m->udiag_cookie[0] = ino;
	return m;
}

START_TEST(test_unix_abstract)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	static const char name[] = { '\0', 'l', 'k', '\0', 'x', '\n' };
	struct unix_diag_rqlen rq = { 4096, 0 };
	uint32_t peer = 4242, uid = 1001;
	char s[64];

	put_unix(nlh, SOCK_STREAM, 1, 4241);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	mnl_attr_put(nlh, UNIX_DIAG_PEER, sizeof(peer), &peer);
	mnl_attr_put(nlh, UNIX_DIAG_RQLEN, sizeof(rq), &rq);
	put_skmem(nlh, UNIX_DIAG_MEMINFO, 9);
	mnl_attr_put_u8(nlh, UNIX_DIAG_SHUTDOWN, 1);
	mnl_attr_put(nlh, UNIX_DIAG_UID, sizeof(uid), &uid);
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), 0);
	ck_assert_uint_eq(t.v[0].kind, SK_UNIX);
	ck_assert_uint_eq(t.v[0].u.un.path_len, 6);
	ck_assert_mem_eq(t.strings + t.v[0].u.un.path_off, name, 6);
	ck_assert_uint_eq(t.v[0].u.un.peer_inode, 4242);
	ck_assert_uint_eq(t.v[0].rqueue, 4096);
	ck_assert_uint_eq(t.v[0].has_rqlen, 1);
	ck_assert_uint_eq(t.v[0].shutdown, 1);
	ck_assert_uint_eq(t.v[0].uid, 1001);
	ck_assert_uint_eq(t.v[0].cookie, 4241);
	ck_assert_uint_eq(sock_mem_bytes(&t.v[0]), 1000 + 3000);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "@lk\\x00x\\x0a");
	sock_format_peer(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "* 4242");
	ck_assert_str_eq(sock_state_name(&t.v[0]), "ESTAB");
	sock_table_free(&t);
}
END_TEST

START_TEST(test_unix_listener_icons)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	static const char path[] = "/run/leak\x1b.sock";
	uint32_t icons[3] = { 11, 12, 13 };
	struct unix_diag_rqlen rq = { 3, 128 };
	struct unix_diag_vfs vfs = { 987654, 0x0fe00000 };
	char s[64];

	put_unix(nlh, SOCK_STREAM, 10, 4300);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(path), path);
	mnl_attr_put(nlh, UNIX_DIAG_VFS, sizeof(vfs), &vfs);
	mnl_attr_put(nlh, UNIX_DIAG_ICONS, sizeof(icons), icons);
	mnl_attr_put(nlh, UNIX_DIAG_RQLEN, sizeof(rq), &rq);
	mnl_attr_put(nlh, 42, 3, "abc");
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), 0);
	ck_assert_uint_eq(t.v[0].u.un.pending, 3);
	ck_assert_uint_eq(t.v[0].rqueue, 3);
	ck_assert_uint_eq(t.v[0].wqueue, 128);
	ck_assert_uint_eq(t.v[0].u.un.vfs_ino, 987654);
	ck_assert_uint_eq(t.v[0].u.un.path_len, sizeof(path));
	ck_assert_uint_eq(t.v[0].skmem_n, 0);
	ck_assert_uint_eq(sock_mem_bytes(&t.v[0]), 0);
	ck_assert_str_eq(sock_state_name(&t.v[0]), "LISTEN");
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "/run/leak\\x1b.sock");
	sock_format_peer(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "*");
	sock_table_free(&t);
}
END_TEST

START_TEST(test_unix_unbound_bad)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	char s[16];

	put_unix(nlh, SOCK_DGRAM, 7, 4400);
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), 0);
	ck_assert_uint_eq(t.v[0].u.un.path_off, UINT32_MAX);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "*");
	ck_assert_str_eq(sock_state_name(&t.v[0]), "UNCONN");
	nlh = new_msg();
	put_unix(nlh, SOCK_STREAM, 1, 4401);
	mnl_attr_put_u16(nlh, UNIX_DIAG_PEER, 1);	/* too short for a u32 */
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), -1);
	nlh = new_msg();
	put_unix(nlh, SOCK_STREAM, 1, 4402)->udiag_family = AF_INET;
	ck_assert_int_eq(sockdiag_parse_unix(nlh, &t), -1);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.strings_len, 0);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_packet_ring)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	struct packet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	struct packet_diag_info pi = { .pdi_index = 1, .pdi_version = 2, .pdi_flags = 1 };
	struct packet_diag_ring rx = { .pdr_block_size = 65536, .pdr_block_nr = 4,
				       .pdr_frame_size = 2048, .pdr_frame_nr = 128 };
	struct packet_diag_ring tx = { .pdr_block_size = 4096, .pdr_block_nr = 3 };
	uint32_t uid = 0;
	char s[64];

	m->pdiag_family = AF_PACKET;
	m->pdiag_type = SOCK_RAW;
	m->pdiag_num = 0x0003;
	m->pdiag_ino = 1133785;
	m->pdiag_cookie[0] = 9;
	mnl_attr_put(nlh, PACKET_DIAG_INFO, sizeof(pi), &pi);
	mnl_attr_put(nlh, PACKET_DIAG_RX_RING, sizeof(rx), &rx);
	mnl_attr_put(nlh, PACKET_DIAG_TX_RING, sizeof(tx), &tx);
	mnl_attr_put(nlh, PACKET_DIAG_UID, sizeof(uid), &uid);
	put_skmem(nlh, PACKET_DIAG_MEMINFO, 9);
	ck_assert_int_eq(sockdiag_parse_packet(nlh, &t), 0);
	ck_assert_uint_eq(t.v[0].kind, SK_PACKET);
	ck_assert_uint_eq(t.v[0].type, SOCK_RAW);
	ck_assert_uint_eq(t.v[0].inode, 1133785);
	ck_assert_uint_eq(t.v[0].u.pk.ifindex, 1);
	ck_assert_uint_eq(t.v[0].u.pk.version, 2);
	ck_assert_uint_eq(t.v[0].u.pk.pkt_proto, 3);
	ck_assert_uint_eq(t.v[0].u.pk.rx_ring_bytes, 262144);
	ck_assert_uint_eq(t.v[0].u.pk.tx_ring_bytes, 12288);
	ck_assert_uint_eq(t.v[0].rqueue, 1000);
	ck_assert_uint_eq(t.v[0].skmem_n, 9);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "*:ifindex 1");
	ck_assert_str_eq(sock_state_name(&t.v[0]), "UNCONN");
	/* A ring attribute shorter than struct packet_diag_ring. */
	nlh = new_msg();
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->pdiag_family = AF_PACKET;
	mnl_attr_put(nlh, PACKET_DIAG_RX_RING, 8, &rx);
	ck_assert_int_eq(sockdiag_parse_packet(nlh, &t), -1);
	ck_assert_uint_eq(t.n, 1);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_netlink)
{
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh = new_msg();
	struct netlink_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	char s[64];

	m->ndiag_family = AF_NETLINK;
	m->ndiag_type = SOCK_RAW;
	m->ndiag_protocol = 0;
	m->ndiag_portid = 22219;
	m->ndiag_ino = 77;
	m->ndiag_cookie[1] = 1;
	put_skmem(nlh, NETLINK_DIAG_MEMINFO, 9);
	mnl_attr_put_u32(nlh, NETLINK_DIAG_FLAGS, 1);
	mnl_attr_put(nlh, NETLINK_DIAG_GROUPS, 8, "\0\0\0\0\0\0\0\0");
	ck_assert_int_eq(sockdiag_parse_netlink(nlh, &t), 0);
	ck_assert_uint_eq(t.v[0].kind, SK_NETLINK);
	ck_assert_uint_eq(t.v[0].u.nl.portid, 22219);
	ck_assert_uint_eq(t.v[0].cookie, 1ULL << 32);
	ck_assert_uint_eq(t.v[0].rqueue, 1000);
	ck_assert_uint_eq(t.v[0].wqueue, 3000);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "rtnl:22219");
	t.v[0].u.nl.portid = 0;
	t.v[0].protocol = 17;
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "17:kernel");
	sock_table_free(&t);
}
END_TEST

/* A buffer of several messages, as one recv() returns them. */
static size_t build_stream(char *buf, size_t cap, int done_err, uint16_t extra_flags)
{
	struct nlmsghdr *nlh;
	size_t off = 0;

	memset(buf, 0, cap);
	for (int i = 0; i < 2; i++) {
		nlh = mnl_nlmsg_put_header(buf + off);
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_MULTI | (i ? extra_flags : 0);
		nlh->nlmsg_seq = 5;
		put_inet(nlh, AF_INET)->idiag_inode = 100 + (uint32_t)i;
		put_skmem(nlh, INET_DIAG_SKMEMINFO, 9);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	nlh = mnl_nlmsg_put_header(buf + off);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 5;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &done_err, sizeof(int));
	off += nlh->nlmsg_len;
	return off;
}

/* Two data messages and a DONE: how the dump ended, and a message flagged
 * as interrupted is kept, not dropped with the rest of the buffer. */
static const struct {
	int done_err;
	uint16_t flags;		/* on the second data message */
	bool intr;
} stream_cases[] = {
	{ 0, 0, false },
	{ -ENOENT, NLM_F_DUMP_INTR, true },
};

START_TEST(test_run_buffer)
{
	char buf[4096] __attribute__((aligned(8)));
	struct sock_table t = { 0 };
	int done_err = 99;
	bool intr = false;
	size_t n = build_stream(buf, sizeof(buf), stream_cases[_i].done_err, stream_cases[_i].flags);

	ck_assert_int_eq(sockdiag_run_buffer(buf, n, 5, 0, SK_TCP, &t, &done_err, &intr), 0);
	ck_assert_int_eq(done_err, stream_cases[_i].done_err);
	ck_assert_int_eq(intr, stream_cases[_i].intr);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.v[1].inode, 101);
	/* A reply to another request. */
	ck_assert_int_lt(sockdiag_run_buffer(buf, n, 6, 0, SK_TCP, &t, &done_err, &intr), 0);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_run_buffer_error_and_garbage)
{
	char buf[4096] __attribute__((aligned(8)));
	struct sock_table t = { 0 };
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;
	size_t n;
	int done_err = 99;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = -EPERM;
	ck_assert_int_eq(sockdiag_run_buffer(buf, nlh->nlmsg_len, 0, 0, SK_UNIX, &t, &done_err,
					     NULL), -EPERM);

	/* Two data messages, the second malformed, then a torn header. */
	n = build_stream(buf, sizeof(buf), 0, 0);
	nlh = (struct nlmsghdr *)(buf + NLMSG_ALIGN(((struct nlmsghdr *)buf)->nlmsg_len));
	((struct inet_diag_msg *)mnl_nlmsg_get_payload(nlh))->idiag_family = 0;
	nlh = (struct nlmsghdr *)(buf + n - NLMSG_ALIGN(MNL_NLMSG_HDRLEN + sizeof(int)));
	memset(nlh, 0xff, 8);	/* no DONE any more: a length of 0xffffffff */
	ck_assert_int_eq(sockdiag_run_buffer(buf, n, 0, 0, SK_TCP, &t, &done_err, NULL), 1);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.skipped_msgs, 2);
	sock_table_free(&t);
}
END_TEST

static size_t read_fixture(const char *name, char *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/netlink/%s", FIXTURES_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

struct replay {
	struct sock_table *t;
	int bad;
};

static int replay_inet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct replay *r = data;

	if (sockdiag_parse_inet(nlh, SK_TCP, r->t) < 0)
		r->bad++;
	return MNL_CB_OK;
}

/* tcp4.nl: a listener on 127.0.0.1:41277 with one connection waiting, three
 * accepted ones; the server side holds 1000 and 50000 unread bytes. */
START_TEST(test_replay_tcp)
{
	static char buf[65536] __attribute__((aligned(8)));
	struct sock_table t = { 0 };
	struct replay r = { &t, 0 };
	size_t n = read_fixture("tcp4.nl", buf, sizeof(buf));
	const struct sock_entry *e;
	char s[64];

	ck_assert_uint_eq(n, 2876);
	ck_assert_int_eq(mnl_cb_run(buf, n, 0, 0, replay_inet_cb, &r), MNL_CB_STOP);
	ck_assert_int_eq(r.bad, 0);
	ck_assert_uint_eq(t.n, 6);
	sock_table_finish(&t);
	e = sock_table_find(&t, 13761, 28);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(sock_state_name(e), "LISTEN");
	ck_assert_uint_eq(e->rqueue, 1);
	ck_assert_uint_eq(e->wqueue, 8);
	ck_assert_uint_eq(e->skmem[SKMEM_SNDBUF], 16384);
	sock_format_local(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "127.0.0.1:41277");
	sock_format_peer(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "0.0.0.0:*");
	e = sock_table_find(&t, 13765, 34);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rqueue, 50000);
	ck_assert_uint_eq(e->skmem_n, 9);
	ck_assert_uint_eq(e->skmem[SKMEM_RMEM_ALLOC], 51664);
	ck_assert_uint_eq(e->skmem[SKMEM_RCVBUF], 131072);
	ck_assert_uint_eq(e->skmem[SKMEM_SNDBUF], 3939840);
	ck_assert_uint_eq(e->skmem[SKMEM_FWD_ALLOC], 1584);
	ck_assert_uint_eq(sock_mem_bytes(e), 53248);
	ck_assert_uint_eq(e->u.in.tcpinfo_len, 280);
	ck_assert_uint_eq(e->u.in.rcv_space, 65483);
	ck_assert_uint_eq(e->u.in.rcv_ssthresh, 94833);
	ck_assert_uint_eq(e->has_cgroup, 1);
	ck_assert_uint_eq(e->cgroup_id, 1);
	e = sock_table_find(&t, 13763, 32);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rqueue, 1000);
	ck_assert_uint_eq(e->skmem[SKMEM_RMEM_ALLOC], 1832);
	ck_assert_uint_eq(e->skmem[SKMEM_FWD_ALLOC], 2264);
	sock_format_peer(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "127.0.0.1:51910");
	sock_table_free(&t);

	/* The same bytes through the dump loop's own entry point. */
	{
		int done_err = 99;

		read_fixture("tcp4.nl", buf, sizeof(buf));
		ck_assert_int_eq(sockdiag_run_buffer(buf, n, 0, 0, SK_TCP, &t, &done_err, NULL), 0);
		ck_assert_int_eq(done_err, 0);
		ck_assert_uint_eq(t.n, 6);
		ck_assert_uint_eq(t.skipped_msgs, 0);
		sock_table_free(&t);
	}
}
END_TEST

START_TEST(test_replay_unix_packet_netlink)
{
	static char buf[65536] __attribute__((aligned(8)));
	struct sock_table t = { 0 };
	const struct sock_entry *e;
	int done_err = 99;
	size_t n;
	char s[64];

	n = read_fixture("unix.nl", buf, sizeof(buf));
	ck_assert_int_eq(sockdiag_run_buffer(buf, n, 0, 0, SK_UNIX, &t, &done_err, NULL), 0);
	ck_assert_int_eq(done_err, 0);
	ck_assert_uint_eq(t.n, 5);
	n = read_fixture("packet.nl", buf, sizeof(buf));
	ck_assert_int_eq(sockdiag_run_buffer(buf, n, 0, 0, SK_PACKET, &t, &done_err, NULL), 0);
	n = read_fixture("netlink.nl", buf, sizeof(buf));
	ck_assert_int_eq(sockdiag_run_buffer(buf, n, 0, 0, SK_NETLINK, &t, &done_err, NULL), 0);
	ck_assert_uint_eq(t.n, 7);
	ck_assert_uint_eq(t.skipped_msgs, 0);
	sock_table_finish(&t);

	/* socketpair: 4096 unread bytes charged to the writer. */
	e = sock_table_find(&t, 13767, 36);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->wqueue, 4864);
	ck_assert_uint_eq(e->skmem[SKMEM_WMEM_ALLOC], 4864);
	ck_assert_uint_eq(e->u.un.peer_inode, 13768);
	e = sock_table_find(&t, 13768, 38);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rqueue, 4096);
	ck_assert_uint_eq(e->skmem[SKMEM_RMEM_ALLOC], 0);
	/* Abstract listener "\0leaktop-test\0x" with one client waiting. */
	e = sock_table_find(&t, 13769, 39);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(sock_state_name(e), "LISTEN");
	ck_assert_uint_eq(e->u.un.pending, 1);
	ck_assert_uint_eq(e->u.un.path_len, 15);
	sock_format_local(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "@leaktop-test\\x00x");
	e = sock_table_find(&t, 13771, 37);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->type, SOCK_DGRAM);
	ck_assert_uint_eq(e->u.un.vfs_ino, 10953432);
	sock_format_local(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "/tmp/sockt/dg.sock");
	/* TPACKET_V3 socket on lo with a 4 x 64 KiB receive ring. */
	e = sock_table_find(&t, 13772, 40);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->u.pk.version, 2);
	ck_assert_uint_eq(e->u.pk.rx_ring_bytes, 262144);
	ck_assert_uint_eq(e->u.pk.tx_ring_bytes, 0);
	ck_assert_uint_eq(e->u.pk.pkt_proto, 3);
	/* The capturing diag socket itself. */
	e = sock_table_find(&t, 13778, 41);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->protocol, 4);
	ck_assert_uint_eq(e->u.nl.portid, 8609);
	ck_assert_uint_eq(e->skmem[SKMEM_RMEM_ALLOC], 4352);
	sock_format_local(&t, e, s, sizeof(s));
	ck_assert_str_eq(s, "tcpdiag:8609");
	ck_assert_uint_eq(t.count[SK_UNIX], 5);
	ck_assert_uint_eq(t.count[SK_PACKET], 1);
	ck_assert_uint_eq(t.count[SK_NETLINK], 1);
	sock_table_free(&t);
}
END_TEST

/* Every early end of a dump is a warning naming the dump, and the dump
 * counts as partial: tcp4.nl replayed as received, then altered. */
enum dump_mutation { MUT_NONE, MUT_INTR, MUT_FOREIGN_TYPE, MUT_SHORT_MSG, MUT_DONE_ERR };

static const struct {
	enum dump_mutation mut;
	enum dump_result want;
	const char *note;	/* NULL: no note */
} end_cases[] = {
	{ MUT_NONE, DUMP_OK, NULL },
	{ MUT_INTR, DUMP_OK,
	  "dump interrupted by concurrent changes: sockets may be missing or repeated" },
	{ MUT_FOREIGN_TYPE, DUMP_PARTIAL,
	  "incomplete: 1 malformed or truncated messages, sockets in them missing" },
	{ MUT_SHORT_MSG, DUMP_PARTIAL,
	  "incomplete: 1 malformed or truncated messages, sockets in them missing" },
	{ MUT_DONE_ERR, DUMP_PARTIAL, NULL },
};

START_TEST(test_dump_end_noted)
{
	static char buf[65536] __attribute__((aligned(8)));
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	size_t n = read_fixture("tcp4.nl", buf, sizeof(buf));
	struct nlmsghdr *first = (struct nlmsghdr *)buf;
	struct nlmsghdr *done = (struct nlmsghdr *)(buf + n - 20);
	int done_err = 0, ret, e = -ENOMEM;
	bool intr = false;

	ck_assert_int_eq(done->nlmsg_type, NLMSG_DONE);
	switch (end_cases[_i].mut) {
	case MUT_INTR:
		first->nlmsg_flags |= NLM_F_DUMP_INTR;
		break;
	case MUT_FOREIGN_TYPE:
		first->nlmsg_type = 0x77;
		break;
	case MUT_SHORT_MSG:
		/* A message that claims less than its fixed part. */
		memmove(buf + 20, buf + NLMSG_ALIGN(first->nlmsg_len),
			n - NLMSG_ALIGN(first->nlmsg_len));
		n -= NLMSG_ALIGN(first->nlmsg_len) - 20;
		first->nlmsg_len = 20;
		break;
	case MUT_DONE_ERR:
		done = (struct nlmsghdr *)(buf + n - 20);
		memcpy(NLMSG_DATA(done), &e, sizeof(e));
		break;
	default:
		break;
	}
	ret = sockdiag_run_buffer(buf, n, 0, 0, SK_TCP, &t, &done_err, &intr);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(sockdiag_dump_end(ret, done_err, intr, t.skipped_msgs, &ns, "sock_diag tcp"),
			 end_cases[_i].want);
	if (end_cases[_i].want == DUMP_OK && !end_cases[_i].note) {
		ck_assert_uint_eq(ns.n, 0);
	} else {
		ck_assert_uint_eq(ns.n, 1);
		ck_assert_int_eq(ns.v[0].kind, NOTE_WARN);
		ck_assert_str_eq(ns.v[0].source, "sock_diag tcp");
		if (end_cases[_i].note)
			ck_assert_str_eq(ns.v[0].msg, end_cases[_i].note);
	}
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_table_finish_dedupe)
{
	struct sock_table t = { 0 };
	static const struct { uint32_t ino; uint64_t cookie; uint8_t kind; } in[] = {
		{ 50, 7, SK_TCP }, { 0, 9, SK_TCP }, { 50, 7, SK_TCP }, { 20, 3, SK_NETLINK },
		{ 0, 0, SK_UDP }, { 0, 0, SK_UDP }, { 20, 3, SK_NETLINK }, { 20, 2, SK_UNIX },
	};
	struct sock_entry *e;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		e = sock_table_add(&t);
		e->inode = in[i].ino;
		e->cookie = in[i].cookie;
		e->kind = in[i].kind;
		e->sport = (uint16_t)i;
	}
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, 6);
	ck_assert_uint_eq(t.v[0].inode, 0);
	ck_assert_uint_eq(t.v[0].cookie, 0);
	ck_assert_uint_eq(t.v[1].cookie, 0);	/* two cookie-less sockets both kept */
	ck_assert_uint_eq(t.v[2].cookie, 9);
	ck_assert_uint_eq(t.v[3].inode, 20);
	ck_assert_uint_eq(t.v[3].cookie, 2);
	ck_assert_uint_eq(t.v[5].inode, 50);
	ck_assert_uint_eq(t.count[SK_TCP], 2);
	ck_assert_uint_eq(t.count[SK_NETLINK], 1);
	ck_assert_uint_eq(t.count[SK_UDP], 2);
	ck_assert_ptr_eq(sock_table_find(&t, 20, 3), &t.v[4]);
	ck_assert_ptr_null(sock_table_find(&t, 20, 4));
	ck_assert_ptr_null(sock_table_find(&t, 99, 0));
	ck_assert_ptr_null(sock_owners_of(&t, &t.v[0]));
	t.v[0].owner_first = 5;
	t.v[0].owner_n = 1;
	ck_assert_ptr_null(sock_owners_of(&t, &t.v[0]));
	sock_table_free(&t);
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(sock_table_find(&t, 1, 1));
}
END_TEST

/*
 * Many entries in a scrambled order: sorted by (inode, cookie), cookie-less
 * ties by content, resumed-dump duplicates dropped, and every entry moved
 * whole (its payload still matches its key).
 */
START_TEST(test_table_finish_permute)
{
	struct sock_table t = { 0 };
	const size_t n = 5000;
	size_t want = 0, nul = 0;
	uint32_t rng = 12345;

	for (size_t i = 0; i < n; i++) {
		struct sock_entry *e = sock_table_add(&t);

		rng = rng * 1103515245u + 12345u;
		e->inode = (rng >> 8) % 1500;
		e->cookie = (rng >> 4) % 3;
		if (e->inode == 0)
			e->cookie = 0;
		e->kind = (uint8_t)(e->inode % SK_KIND_COUNT);
		e->sport = (uint16_t)(i * 7919u);
		e->rqueue = e->inode * 3u + (uint32_t)e->cookie;
		e->skmem[SKMEM_COUNT - 1] = e->rqueue ^ 0x5a5au;
	}
	/* Expected survivors: every (inode, cookie) once, and every cookie-less entry. */
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		if (t.v[i].cookie == 0) {
			want++;
			nul += t.v[i].inode == 0;
			continue;
		}
		for (size_t j = 0; j < i && !seen; j++)
			seen = t.v[j].inode == t.v[i].inode && t.v[j].cookie == t.v[i].cookie;
		want += !seen;
	}
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, want);
	ck_assert_uint_gt(nul, 1);
	for (size_t i = 0; i < t.n; i++) {
		const struct sock_entry *e = &t.v[i];

		ck_assert_uint_eq(e->rqueue, e->inode * 3u + (uint32_t)e->cookie);
		ck_assert_uint_eq(e->skmem[SKMEM_COUNT - 1], e->rqueue ^ 0x5a5au);
		if (i == 0)
			continue;
		ck_assert(e[-1].inode < e->inode ||
			  (e[-1].inode == e->inode && e[-1].cookie <= e->cookie));
		if (e->cookie)
			ck_assert(e[-1].inode != e->inode || e[-1].cookie != e->cookie);
		else if (e[-1].inode == e->inode && e[-1].cookie == 0)
			/* Same kind here: the ports decide. */
			ck_assert_uint_lt(e[-1].sport, e->sport);
		ck_assert_uint_eq(sock_table_find(&t, e->inode, e->cookie)->inode, e->inode);
	}
	sock_table_free(&t);

	/* Reversed, then one key for all (ordered by content): no bad case. */
	for (uint32_t i = 0; i < 3000; i++) {
		struct sock_entry *e = sock_table_add(&t);

		e->inode = 3000 - i;
		e->cookie = 1;
		e->sport = (uint16_t)i;
	}
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, 3000);
	for (uint32_t i = 0; i < 3000; i++)
		ck_assert_uint_eq(t.v[i].sport, 2999 - i);
	sock_table_free(&t);
	for (uint32_t i = 0; i < 3000; i++) {
		struct sock_entry *e = sock_table_add(&t);

		e->inode = 7;
		e->sport = (uint16_t)((i * 7919u) % 3000u);
	}
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, 3000);
	for (uint32_t i = 0; i < 3000; i++)
		ck_assert_uint_eq(t.v[i].sport, i);
	sock_table_free(&t);

	/* Already in order: nothing moves. */
	for (uint32_t i = 0; i < 100; i++) {
		struct sock_entry *e = sock_table_add(&t);

		e->inode = i + 1;
		e->cookie = i;
		e->sport = (uint16_t)i;
	}
	sock_table_finish(&t);
	ck_assert_uint_eq(t.n, 100);
	for (uint32_t i = 0; i < 100; i++)
		ck_assert_uint_eq(t.v[i].sport, i);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_names)
{
	struct sock_entry e = { 0 };
	static const char *const want[] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		e.state = (uint8_t)i;
		ck_assert_str_eq(sock_state_name(&e), want[i]);
	}
	e.state = 200;
	ck_assert_str_eq(sock_state_name(&e), "UNKNOWN");
	ck_assert_str_eq(sock_kind_name(SK_TCP), "tcp");
	ck_assert_str_eq(sock_kind_name(SK_UDPLITE), "udplite");
	ck_assert_str_eq(sock_kind_name(SK_NETLINK), "netlink");
	ck_assert_str_eq(sock_kind_name(SK_KIND_COUNT), "?");
}
END_TEST

START_TEST(test_live_dump)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	int sv[2];
	const struct sock_entry *e;
	struct stat st;
	char data[3000];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		ck_abort_msg("socketpair: %s", strerror(errno));
	memset(data, 'z', sizeof(data));
	ck_assert_int_eq(send(sv[0], data, sizeof(data), 0), (ssize_t)sizeof(data));
	ck_assert_int_eq(fstat(sv[1], &st), 0);
	/* sock_diag answers unprivileged users too: failing to dump is a bug
	 * here, not an environment to skip. */
	ck_assert_msg(sockdiag_dump_all(&t, true, &ns) == 0, "sock_diag dump failed: %s",
		      ns.n ? ns.v[0].msg : "no netlink socket");
	sock_table_finish(&t);
	ck_assert(t.kind_ok[SK_TCP]);
	ck_assert(t.kind_ok[SK_UNIX]);
	ck_assert_uint_eq(t.kind_source[SK_UNIX], SOCK_SRC_DIAG);
	e = NULL;
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].inode == (uint32_t)st.st_ino && t.v[i].kind == SK_UNIX)
			e = &t.v[i];
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rqueue, sizeof(data));
	ck_assert_uint_eq(e->skmem_n, 9);
	ck_assert_uint_eq(t.skipped_msgs, 0);
	/* The dump's own socket (the first netlink socket of this process, so
	 * its port id is our pid) is closed by now: not part of the sample. */
	ck_assert(t.kind_ok[SK_NETLINK]);
	for (size_t i = 0; i < t.n; i++)
		ck_assert(!(t.v[i].kind == SK_NETLINK && t.v[i].protocol == NETLINK_SOCK_DIAG &&
			    t.v[i].u.nl.portid == (uint32_t)getpid()));
	close(sv[0]);
	close(sv[1]);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

/* The loopback TCP socket with inode ino in a live dump, tcp_info asked
 * for or not; the table is left in t. */
static const struct sock_entry *dump_find_tcp(struct sock_table *t, bool tcp_info, uint32_t ino)
{
	struct notes ns = { 0 };

	memset(t, 0, sizeof(*t));
	ck_assert_msg(sockdiag_dump_all(t, tcp_info, &ns) == 0, "sock_diag dump failed: %s",
		      ns.n ? ns.v[0].msg : "no netlink socket");
	notes_free(&ns);
	sock_table_finish(t);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].inode == ino && t->v[i].kind == SK_TCP)
			return &t->v[i];
	return NULL;
}

/*
 * tcp_info is asked of the kernel only when wanted: with it, a connected
 * loopback socket carries tcp_info (snd_wnd among its fields); without,
 * it carries none but keeps its memory figures.
 */
START_TEST(test_live_tcpinfo_asked)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct sock_table t;
	const struct sock_entry *e;
	struct stat st;
	uint64_t v;
	int l, c;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sa, &len), 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(fstat(c, &st), 0);

	e = dump_find_tcp(&t, true, (uint32_t)st.st_ino);
	ck_assert_ptr_nonnull(e);
	ck_assert(e->has_tcpinfo);
	ck_assert_uint_gt(e->u.in.tcpinfo_len, 0);
	ck_assert(sock_tcpinfo_field(e, TI_RCV_SPACE, &v));
	ck_assert_uint_gt(v, 0);
	ck_assert_uint_eq(e->skmem_n, 9);
	sock_table_free(&t);

	e = dump_find_tcp(&t, false, (uint32_t)st.st_ino);
	ck_assert_ptr_nonnull(e);
	ck_assert(!e->has_tcpinfo);
	ck_assert(!sock_tcpinfo_field(e, TI_RCV_SPACE, &v));
	ck_assert_uint_eq(e->skmem_n, 9);
	sock_table_free(&t);
	close(c);
	close(l);
}
END_TEST

Suite *sockdiag_suite(void)
{
	Suite *s = suite_create("sockdiag");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_inet, 0, (int)ARRAY_SIZE(inet_cases));
	tcase_add_test(tc, test_truncated_fixed);
	tcase_add_test(tc, test_lying_attr);
	tcase_add_test(tc, test_short_known_attr);
	tcase_add_test(tc, test_v6_mapped_and_unbound);
	tcase_add_test(tc, test_unix_abstract);
	tcase_add_test(tc, test_unix_listener_icons);
	tcase_add_test(tc, test_unix_unbound_bad);
	tcase_add_test(tc, test_packet_ring);
	tcase_add_test(tc, test_netlink);
	tcase_add_loop_test(tc, test_run_buffer, 0, (int)ARRAY_SIZE(stream_cases));
	tcase_add_test(tc, test_run_buffer_error_and_garbage);
	tcase_add_test(tc, test_replay_tcp);
	tcase_add_test(tc, test_live_tcpinfo_asked);
	tcase_add_test(tc, test_replay_unix_packet_netlink);
	tcase_add_loop_test(tc, test_dump_end_noted, 0, (int)ARRAY_SIZE(end_cases));
	tcase_add_test(tc, test_table_finish_dedupe);
	tcase_add_test(tc, test_table_finish_permute);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_live_dump);
	suite_add_tcase(s, tc);
	return s;
}
