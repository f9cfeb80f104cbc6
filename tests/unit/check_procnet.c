/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/net text fallbacks: real lines from a 6.18 kernel, then garbage,
 * truncated lines, wrong headers and overflowing numbers, and procnet_fill
 * over a captured tree.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compat.h"
#include "expect.h"
#include "notes.h"
#include "procnet.h"
#include "root.h"
#include "sock.h"
#include "suites.h"

#define INET_HDR "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

static int parse_tcp(const char *text, int family, struct sock_table *t, struct notes *ns)
{
	return procnet_parse_inet(text, strlen(text), family == AF_INET ? "net/tcp" : "net/tcp6",
				  SK_TCP, family, t, ns);
}

#define SKIPPED "malformed line skipped"
#define BAD_HEADER "unexpected header, file not read"

/* One parser call of a case: the notes it leaves are checked, then dropped. */
enum parser { P_INET, P_UNIX, P_PACKET, P_NETLINK };

struct step {
	enum parser parser;
	const char *source;	/* the list of steps ends at the first without */
	enum sock_kind kind;	/* P_INET: which socket file it parses as */
	int family;		/* P_INET */
	const char *text;	/* NULL: no bytes */
	int ret;
	struct want_note notes[8];
};

static int run_step(const struct step *s, struct sock_table *t, struct notes *ns)
{
	size_t len = s->text ? strlen(s->text) : 0;

	switch (s->parser) {
	case P_INET:
		return procnet_parse_inet(s->text, len, s->source, s->kind, s->family, t, ns);
	case P_UNIX:
		return procnet_parse_unix(s->text, len, s->source, t, ns);
	case P_PACKET:
		return procnet_parse_packet(s->text, len, s->source, t, ns);
	case P_NETLINK:
		return procnet_parse_netlink(s->text, len, s->source, t, ns);
	}
	ck_abort_msg("parser %d", s->parser);
	return 0;
}

#define TCP(text, ret) P_INET, "net/tcp", SK_TCP, AF_INET, text, ret
#define UNIX(text, ret) P_UNIX, "net/unix", 0, 0, text, ret

static const char unix_text[] =
	"Num       RefCount Protocol Flags    Type St Inode Path\n"
	"000000002bdf32b6: 00000002 00000000 00010000 0001 01 1133780 /tmp/lkgen/listen.sock\n"
	"000000006dd7b781: 00000003 00000000 00000000 0001 02     0 /tmp/lkgen/listen.sock\n"
	"00000000123987aa: 00000002 00000000 00000000 0002 01 1133783 @leaktop-abstract\n"
	"000000005707a80e: 00000003 00000000 00000000 0001 03   586\n"
	"00000000f4c6a01b: 00000003 00000000 00000000 0001 03 123x\n"
	"00000000f4c6a01c: 00000003\n"
	"00000000f4c6a01a: 00000003 00000000 00000000 0005 04 1133790 /tmp/with space\x1b\n";

/* The same RAW line read as net/raw and, wrongly, as net/unix. */
#define RAW_TEXT \
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" \
	"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7001 2 0000000000000000 0\n"

/* Real lines from a 6.18 kernel, then garbage, overflow and wrong headers:
 * each case runs its steps over one table, then checks what the table holds. */
static const struct procnet_case {
	const char *name;
	struct step steps[5];
	size_t n;			/* entries after all steps */
	uint32_t count[SK_KIND_COUNT];
	struct want_sock socks[5];
} cases[] = {
	{ "tcp real",
	  { { TCP(INET_HDR
		  "   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 1133757 1 00000000c667dde7 20 4 0 10 -1\n"
		  "  10: 0100007F:1F90 0100007F:A2B4 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
		  "   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 590 1 00000000b09d0739 100 0 0 10 0\n",
		  3) } },
	  3, { [SK_TCP] = 3 },
	  { { 0, "CLOSE-WAIT", "127.0.0.1:46745", "127.0.0.1:55936",
	      { SOCK_FIG(state, 8), SOCK_FIG(sport, 0xB699), SOCK_FIG(dport, 0xDA80),
		SOCK_FIG(rqueue, 1), SOCK_FIG(wqueue, 0), SOCK_FIG(inode, 1133757),
		SOCK_FIG(source, SOCK_SRC_PROCNET), SOCK_FIG(skmem_n, 0), SOCK_FIG(cookie, 0),
		SOCK_FIG(type, SOCK_STREAM), SOCK_DERIVED("mem_bytes", 0) } },
	    { 1, NULL, NULL, NULL,
	      { SOCK_FIG(state, 6), SOCK_FIG(timer, 3), SOCK_FIG(expires_ms, 60000),
		SOCK_FIG(inode, 0) } },
	    { 2, "LISTEN", "0.0.0.0:2024", "0.0.0.0:*", { SOCK_FIG(uid, 1000) } } } },
	{ "tcp6 v4-mapped",
	  { { P_INET, "net/tcp6", SK_TCP, AF_INET6,
	      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	      "   0: 0000000000000000FFFF00000100007F:E6D5 0000000000000000FFFF00000100007F:1F90 01 00000010:00000000 01:00000014 00000002  1000        0 5555 1 0000000000000000 20 4 30 10 -1\n"
	      "   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5556 1 0000000000000000 100 0 0 10 0\n",
	      2 } },
	  2, { [SK_TCP] = 2 },
	  { { 0, NULL, "[::ffff:127.0.0.1]:59093", "[::ffff:127.0.0.1]:8080",
	      { SOCK_FIG(wqueue, 16), SOCK_FIG(timer, 1), SOCK_FIG(expires_ms, 200),
		SOCK_FIG(retrans, 2), SOCK_FIG(family, AF_INET6) } },
	    { 1, NULL, "[::1]:22", NULL, { { 0 } } } } },
	{ "udp, raw, and raw read as unix",
	  { { P_INET, "net/udp", SK_UDP, AF_INET,
	      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	      " 8234: 0100007F:B62A 00000000:0000 07 00000000:0000FC80 00:00000000 00000000     0        0 1133775 2 00000000102a2c8f 0\n",
	      1 },
	    { P_INET, "net/raw", SK_RAW, AF_INET, RAW_TEXT, 1 },
	    { P_INET, "net/unix", SK_UNIX, AF_INET, RAW_TEXT, -1,
	      { { 0, "not an inet socket file" } } } },
	  2, { [SK_UDP] = 1, [SK_RAW] = 1 },
	  { { 0, "UNCONN", NULL, NULL,
	      { SOCK_FIG(rqueue, 64640), SOCK_FIG(type, SOCK_DGRAM),
		SOCK_FIG(protocol, IPPROTO_UDP) } },
	    { 1, NULL, NULL, NULL,
	      { SOCK_FIG(protocol, IPPROTO_ICMP), SOCK_FIG(type, SOCK_RAW) } } } },
	{ "inet garbage",
	  { { TCP(INET_HDR
		  "zzzz\n"
		  "   3: 0100007F:B699 0100007F:DA\n"
		  "   4: 0100007F:B699 0100007F:DA80 08 1FFFFFFFF:00000001 00:00000000 00000000     0        0 11 1\n"
		  "   5: 0100007F:1B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 12 1\n"
		  "   6: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 99999999999999999999999 1\n"
		  "   7: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 4294967296 1\n"
		  "   8: 0100007G:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 13 1\n"
		  "\n"
		  "   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:FFFFFFFFFFFF 00000000     0        0 14 1\n"
		  "  10: 0100007F:B699 0100007F:DA80 01 00000000:00000001 00:00000000 00000000     0        0 4294967295\n",
		  2),
	      { { 2, SKIPPED }, { 3, SKIPPED }, { 4, SKIPPED }, { 5, SKIPPED }, { 6, SKIPPED },
		{ 7, SKIPPED }, { 8, SKIPPED } } } },
	  2, { [SK_TCP] = 2 },
	  { { 0, NULL, NULL, NULL, { SOCK_FIG(inode, 14), SOCK_FIG(expires_ms, UINT32_MAX) } },
	    { 1, NULL, NULL, NULL, { SOCK_FIG(inode, UINT32_MAX) } } } },
	{ "wrong header, empty files",
	  { { TCP("Num       RefCount Protocol Flags    Type St Inode Path\n"
		  "   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 1 1\n",
		  -1), { { 1, BAD_HEADER } } },
	    { TCP("", -1), { { 0, "empty file" } } },
	    { UNIX("sl\n", -1), { { 1, BAD_HEADER } } },
	    { P_PACKET, "net/packet", 0, 0, NULL, -1, { { 0, "empty file" } } },
	    { P_NETLINK, "net/netlink", 0, 0, "sk RefCnt\n", -1, { { 1, BAD_HEADER } } } },
	  0, { 0 }, { { 0 } } },
	{ "unix real",
	  { { UNIX(unix_text, 5), { { 6, SKIPPED }, { 7, SKIPPED } } } },
	  5, { [SK_UNIX] = 5 },
	  { { 0, "LISTEN", "/tmp/lkgen/listen.sock", NULL,
	      { SOCK_FIG(inode, 1133780), SOCK_FIG(type, SOCK_STREAM),
		SOCK_FIG(u.un.path_len, 23) } },
	    { 1, "SYN-SENT", NULL, NULL, { SOCK_FIG(inode, 0) } },
	    { 2, "UNCONN", "@leaktop-abstract", NULL,
	      { SOCK_FIG(type, SOCK_DGRAM), SOCK_FIG(u.un.path_len, 17) } },
	    { 3, "ESTAB", "*", NULL, { SOCK_FIG(u.un.path_off, UINT32_MAX) } },
	    { 4, "CLOSING", "/tmp/with space\\x1b", NULL,
	      { SOCK_FIG(type, SOCK_SEQPACKET), SOCK_DERIVED("has_rqlen", 0) } } } },
	/* A bound path with a newline ends its line early; what follows is the
	 * rest of the path, not sockets. Both the cut socket and the
	 * continuation are left out with a note; the next well-formed line
	 * counts again. */
	{ "unix path with a newline",
	  { { UNIX("Num       RefCount Protocol Flags    Type St Inode Path\n"
		   "0000000000000000: 00000002 00000000 00010000 0001 01 100 /tmp/ok.sock\n"
		   "0000000000000000: 00000002 00000000 00010000 0001 01 101 /tmp/evil\n"
		   "tail of the path\n"
		   "more of it\n"
		   "0000000000000000: 00000002 00000000 00000000 0001 03 102\n",
		   2),
	      { { 3, "path with a newline: this socket and the lines after it are suspect, not counted" } } } },
	  2, { [SK_UNIX] = 2 },
	  { { 0, NULL, NULL, NULL, { SOCK_FIG(inode, 100) } },
	    { 1, NULL, NULL, NULL, { SOCK_FIG(inode, 102) } } } },
	{ "packet and netlink real",
	  { { P_PACKET, "net/packet", 0, 0,
	      "sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n"
	      "000000000c4982e3 3 3 0003 1 1 214232 0 1133785\n"
	      "000000000c4982e4 3 2 0800 0 2 0 0 1133786\n",
	      1, { { 3, SKIPPED } } },
	    { P_NETLINK, "net/netlink", 0, 0,
	      "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
	      "00000000f21aae9a 0   0          00000000 0        0        0     2        0        4       \n"
	      "00000000b6b57da8 4   22219      00000000 4352     0        0     2        0        500     \n"
	      "00000000b6b57da9 4   22219      00000000 -1       0        0     2        0        501     \n",
	      2, { { 4, SKIPPED } } } },
	  3, { [SK_PACKET] = 1, [SK_NETLINK] = 2 },
	  { { 0, NULL, "*:ifindex 1", NULL,
	      { SOCK_FIG(kind, SK_PACKET), SOCK_FIG(type, 3), SOCK_FIG(u.pk.pkt_proto, 3),
		SOCK_FIG(u.pk.ifindex, 1), SOCK_FIG(skmem_n, 1),
		SOCK_FIG(skmem[SKMEM_RMEM_ALLOC], 214232), SOCK_DERIVED("mem_bytes", 214232),
		SOCK_FIG(inode, 1133785) } },
	    { 1, NULL, "rtnl:kernel", NULL, { SOCK_FIG(kind, SK_NETLINK), SOCK_FIG(inode, 4) } },
	    { 2, NULL, "tcpdiag:22219", NULL,
	      { SOCK_FIG(protocol, 4), SOCK_FIG(u.nl.portid, 22219),
		SOCK_FIG(skmem[SKMEM_RMEM_ALLOC], 4352) } } } },
};

START_TEST(test_parse)
{
	const struct procnet_case *c = &cases[_i];
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(c->steps) && c->steps[i].source; i++) {
		const struct step *s = &c->steps[i];

		ck_assert_msg(run_step(s, &t, &ns) == s->ret, "%s: step %zu", c->name, i);
		expect_notes(&ns, s->source, s->notes, ARRAY_SIZE(s->notes));
		notes_free(&ns);
	}
	ck_assert_msg(t.n == c->n, "%s: %zu entries", c->name, t.n);
	for (int k = 0; k < SK_KIND_COUNT; k++)
		ck_assert_msg(t.count[k] == c->count[k], "%s: %u %s", c->name, t.count[k],
			      sock_kind_name(k));
	expect_socks(&t, c->socks, ARRAY_SIZE(c->socks));
	/* An abstract name is kept raw, its leading NUL in the pool. */
	for (size_t i = 0; i < ARRAY_SIZE(c->socks); i++)
		if (c->socks[i].local && c->socks[i].local[0] == '@')
			ck_assert_int_eq(t.strings[t.v[c->socks[i].at].u.un.path_off], '\0');
	sock_table_free(&t);
}
END_TEST

START_TEST(test_many_bad_lines)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	size_t n = 20000, len = 0;
	char *text = malloc(strlen(INET_HDR) + n * 6 + 1);

	len = (size_t)sprintf(text, "%s", INET_HDR);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%s", "junk!\n");
	ck_assert_int_eq(parse_tcp(text, AF_INET, &t, &ns), 0);
	/* A handful of located notes and one total, not 20000 notes. */
	ck_assert_uint_eq(ns.n, 9);
	ck_assert_str_eq(ns.v[8].msg, "20000 malformed lines skipped");
	free(text);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_fill_fixture)
{
	struct root r;
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	const struct sock_entry *e;

	ck_assert_int_eq(root_open(&r, FIXTURES_DIR "/procnet"), 0);
	ck_assert(!r.live);
	t.kind_ok[SK_NETLINK] = true;
	procnet_fill(&r, &t, &ns);
	sock_table_finish(&t);
	ck_assert(t.kind_ok[SK_TCP]);
	ck_assert(t.kind_ok[SK_UDP]);
	ck_assert(t.kind_ok[SK_RAW]);
	ck_assert(t.kind_ok[SK_UNIX]);
	ck_assert(t.kind_ok[SK_PACKET]);
	ck_assert(!t.kind_ok[SK_UDPLITE]);
	ck_assert_uint_eq(t.kind_source[SK_TCP], SOCK_SRC_PROCNET);
	ck_assert_uint_eq(t.count[SK_TCP], 8);
	ck_assert_uint_eq(t.count[SK_UDP], 0);
	ck_assert_uint_eq(t.count[SK_UNIX], 8);
	ck_assert_uint_eq(t.count[SK_PACKET], 1);
	ck_assert_uint_eq(t.count[SK_NETLINK], 0);
	/* udp6, udplite, udplite6 and raw6 are absent from the tree. */
	ck_assert(notes_is_missing(&ns, "net/udp6"));
	ck_assert(notes_is_missing(&ns, "net/udplite"));
	ck_assert(notes_is_missing(&ns, "net/raw6"));
	ck_assert(!notes_is_missing(&ns, "net/netlink"));
	ck_assert_uint_eq(ns.n, 4);
	/* The listener holding one connection in its accept queue. */
	e = sock_table_find(&t, 14038, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(sock_state_name(e), "LISTEN");
	ck_assert_uint_eq(e->rqueue, 1);
	ck_assert_uint_eq(e->sport, 0x82D5);
	e = sock_table_find(&t, 14042, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rqueue, 50000);
	e = sock_table_find(&t, 14046, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->kind, SK_UNIX);
	ck_assert_str_eq(sock_state_name(e), "LISTEN");
	root_close(&r);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

Suite *procnet_suite(void)
{
	Suite *s = suite_create("procnet");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, (int)ARRAY_SIZE(cases));
	tcase_add_test(tc, test_many_bad_lines);
	tcase_add_test(tc, test_fill_fixture);
	suite_add_tcase(s, tc);
	return s;
}
