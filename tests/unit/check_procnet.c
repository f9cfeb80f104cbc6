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

START_TEST(test_tcp_real)
{
	static const char text[] = INET_HDR
		"   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 1133757 1 00000000c667dde7 20 4 0 10 -1\n"
		"  10: 0100007F:1F90 0100007F:A2B4 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
		"   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 590 1 00000000b09d0739 100 0 0 10 0\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	char s[64];

	ck_assert_int_eq(parse_tcp(text, AF_INET, &t, &ns), 3);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(t.count[SK_TCP], 3);
	ck_assert_uint_eq(t.v[0].state, 8);
	ck_assert_str_eq(sock_state_name(&t.v[0]), "CLOSE-WAIT");
	ck_assert_uint_eq(t.v[0].sport, 0xB699);
	ck_assert_uint_eq(t.v[0].dport, 0xDA80);
	ck_assert_uint_eq(t.v[0].rqueue, 1);
	ck_assert_uint_eq(t.v[0].wqueue, 0);
	ck_assert_uint_eq(t.v[0].inode, 1133757);
	ck_assert_uint_eq(t.v[0].source, SOCK_SRC_PROCNET);
	ck_assert_uint_eq(t.v[0].skmem_n, 0);
	ck_assert_uint_eq(t.v[0].cookie, 0);
	ck_assert_uint_eq(t.v[0].type, SOCK_STREAM);
	ck_assert_uint_eq(sock_mem_bytes(&t.v[0]), 0);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "127.0.0.1:46745");
	sock_format_peer(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "127.0.0.1:55936");
	ck_assert_uint_eq(t.v[1].state, 6);
	ck_assert_uint_eq(t.v[1].timer, 3);
	ck_assert_uint_eq(t.v[1].expires_ms, 60000);
	ck_assert_uint_eq(t.v[1].inode, 0);
	ck_assert_str_eq(sock_state_name(&t.v[2]), "LISTEN");
	ck_assert_uint_eq(t.v[2].uid, 1000);
	sock_format_local(&t, &t.v[2], s, sizeof(s));
	ck_assert_str_eq(s, "0.0.0.0:2024");
	sock_format_peer(&t, &t.v[2], s, sizeof(s));
	ck_assert_str_eq(s, "0.0.0.0:*");
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_tcp6_mapped)
{
	static const char text[] =
		"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0000000000000000FFFF00000100007F:E6D5 0000000000000000FFFF00000100007F:1F90 01 00000010:00000000 01:00000014 00000002  1000        0 5555 1 0000000000000000 20 4 30 10 -1\n"
		"   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5556 1 0000000000000000 100 0 0 10 0\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	char s[64];

	ck_assert_int_eq(parse_tcp(text, AF_INET6, &t, &ns), 2);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "[::ffff:127.0.0.1]:59093");
	sock_format_peer(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "[::ffff:127.0.0.1]:8080");
	ck_assert_uint_eq(t.v[0].wqueue, 16);
	ck_assert_uint_eq(t.v[0].timer, 1);
	ck_assert_uint_eq(t.v[0].expires_ms, 200);
	ck_assert_uint_eq(t.v[0].retrans, 2);
	ck_assert_uint_eq(t.v[0].family, AF_INET6);
	sock_format_local(&t, &t.v[1], s, sizeof(s));
	ck_assert_str_eq(s, "[::1]:22");
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_udp_raw)
{
	static const char udp[] =
		"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		" 8234: 0100007F:B62A 00000000:0000 07 00000000:0000FC80 00:00000000 00000000     0        0 1133775 2 00000000102a2c8f 0\n";
	static const char raw[] =
		"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7001 2 0000000000000000 0\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_eq(procnet_parse_inet(udp, strlen(udp), "net/udp", SK_UDP, AF_INET, &t, &ns), 1);
	ck_assert_uint_eq(t.v[0].rqueue, 64640);
	ck_assert_uint_eq(t.v[0].type, SOCK_DGRAM);
	ck_assert_uint_eq(t.v[0].protocol, IPPROTO_UDP);
	ck_assert_str_eq(sock_state_name(&t.v[0]), "UNCONN");
	ck_assert_int_eq(procnet_parse_inet(raw, strlen(raw), "net/raw", SK_RAW, AF_INET, &t, &ns), 1);
	ck_assert_uint_eq(t.v[1].protocol, IPPROTO_ICMP);
	ck_assert_uint_eq(t.v[1].type, SOCK_RAW);
	ck_assert_uint_eq(t.count[SK_RAW], 1);
	ck_assert_int_eq(procnet_parse_inet(raw, strlen(raw), "net/unix", SK_UNIX, AF_INET, &t, &ns),
			 -1);
	ck_assert_uint_eq(ns.n, 1);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_inet_garbage)
{
	static const char text[] = INET_HDR
		"zzzz\n"
		"   3: 0100007F:B699 0100007F:DA\n"
		"   4: 0100007F:B699 0100007F:DA80 08 1FFFFFFFF:00000001 00:00000000 00000000     0        0 11 1\n"
		"   5: 0100007F:1B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 12 1\n"
		"   6: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 99999999999999999999999 1\n"
		"   7: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 4294967296 1\n"
		"   8: 0100007G:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 13 1\n"
		"\n"
		"   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:FFFFFFFFFFFF 00000000     0        0 14 1\n"
		"  10: 0100007F:B699 0100007F:DA80 01 00000000:00000001 00:00000000 00000000     0        0 4294967295\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_eq(parse_tcp(text, AF_INET, &t, &ns), 2);
	ck_assert_uint_eq(t.v[0].inode, 14);
	ck_assert_uint_eq(t.v[0].expires_ms, UINT32_MAX);
	ck_assert_uint_eq(t.v[1].inode, UINT32_MAX);
	ck_assert_uint_eq(ns.n, 7);
	ck_assert_str_eq(ns.v[0].source, "net/tcp");
	ck_assert_uint_eq(ns.v[0].line, 2);
	ck_assert_uint_eq(ns.v[6].line, 8);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_bad_header_empty)
{
	static const char text[] = "Num       RefCount Protocol Flags    Type St Inode Path\n"
		"   9: 0100007F:B699 0100007F:DA80 08 00000000:00000001 00:00000000 00000000     0        0 1 1\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_eq(parse_tcp(text, AF_INET, &t, &ns), -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 1);
	ck_assert_int_eq(parse_tcp("", AF_INET, &t, &ns), -1);
	ck_assert_int_eq(procnet_parse_unix("sl\n", 3, "net/unix", &t, &ns), -1);
	ck_assert_int_eq(procnet_parse_packet(NULL, 0, "net/packet", &t, &ns), -1);
	ck_assert_int_eq(procnet_parse_netlink("sk RefCnt\n", 10, "net/netlink", &t, &ns), -1);
	ck_assert_uint_eq(ns.n, 5);
	ck_assert_uint_eq(t.n, 0);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_unix_real)
{
	static const char text[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"000000002bdf32b6: 00000002 00000000 00010000 0001 01 1133780 /tmp/lkgen/listen.sock\n"
		"000000006dd7b781: 00000003 00000000 00000000 0001 02     0 /tmp/lkgen/listen.sock\n"
		"00000000123987aa: 00000002 00000000 00000000 0002 01 1133783 @leaktop-abstract\n"
		"000000005707a80e: 00000003 00000000 00000000 0001 03   586\n"
		"00000000f4c6a01b: 00000003 00000000 00000000 0001 03 123x\n"
		"00000000f4c6a01c: 00000003\n"
		"00000000f4c6a01a: 00000003 00000000 00000000 0005 04 1133790 /tmp/with space\x1b\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	char s[64];

	ck_assert_int_eq(procnet_parse_unix(text, strlen(text), "net/unix", &t, &ns), 5);
	ck_assert_uint_eq(ns.n, 2);
	ck_assert_uint_eq(ns.v[0].line, 6);
	ck_assert_uint_eq(ns.v[1].line, 7);
	ck_assert_str_eq(sock_state_name(&t.v[0]), "LISTEN");
	ck_assert_uint_eq(t.v[0].inode, 1133780);
	ck_assert_uint_eq(t.v[0].type, SOCK_STREAM);
	ck_assert_uint_eq(t.v[0].u.un.path_len, 23);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "/tmp/lkgen/listen.sock");
	ck_assert_str_eq(sock_state_name(&t.v[1]), "SYN-SENT");
	ck_assert_uint_eq(t.v[1].inode, 0);
	ck_assert_str_eq(sock_state_name(&t.v[2]), "UNCONN");
	ck_assert_uint_eq(t.v[2].type, SOCK_DGRAM);
	ck_assert_uint_eq(t.v[2].u.un.path_len, 17);
	ck_assert_int_eq(t.strings[t.v[2].u.un.path_off], '\0');
	sock_format_local(&t, &t.v[2], s, sizeof(s));
	ck_assert_str_eq(s, "@leaktop-abstract");
	ck_assert_str_eq(sock_state_name(&t.v[3]), "ESTAB");
	ck_assert_uint_eq(t.v[3].u.un.path_off, UINT32_MAX);
	sock_format_local(&t, &t.v[3], s, sizeof(s));
	ck_assert_str_eq(s, "*");
	ck_assert_str_eq(sock_state_name(&t.v[4]), "CLOSING");
	ck_assert_uint_eq(t.v[4].type, SOCK_SEQPACKET);
	sock_format_local(&t, &t.v[4], s, sizeof(s));
	ck_assert_str_eq(s, "/tmp/with space\\x1b");
	ck_assert_uint_eq(t.v[4].has_rqlen, 0);
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

/* A bound path with a newline ends its line early; what follows is the rest
 * of the path, not sockets. Both the cut socket and the continuation are
 * left out with a note; the next well-formed line counts again. */
START_TEST(test_unix_path_newline)
{
	static const char text[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 100 /tmp/ok.sock\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 101 /tmp/evil\n"
		"tail of the path\n"
		"more of it\n"
		"0000000000000000: 00000002 00000000 00000000 0001 03 102\n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_eq(procnet_parse_unix(text, strlen(text), "net/unix", &t, &ns), 2);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.count[SK_UNIX], 2);
	ck_assert_uint_eq(t.v[0].inode, 100);
	ck_assert_uint_eq(t.v[1].inode, 102);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 3);
	ck_assert_str_eq(ns.v[0].msg,
			 "path with a newline: this socket and the lines after it are suspect, not counted");
	notes_free(&ns);
	sock_table_free(&t);
}
END_TEST

START_TEST(test_packet_netlink_real)
{
	static const char pk[] = "sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n"
		"000000000c4982e3 3 3 0003 1 1 214232 0 1133785\n"
		"000000000c4982e4 3 2 0800 0 2 0 0 1133786\n";
	static const char nl[] =
		"sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
		"00000000f21aae9a 0   0          00000000 0        0        0     2        0        4       \n"
		"00000000b6b57da8 4   22219      00000000 4352     0        0     2        0        500     \n"
		"00000000b6b57da9 4   22219      00000000 -1       0        0     2        0        501     \n";
	struct sock_table t = { 0 };
	struct notes ns = { 0 };
	char s[64];

	ck_assert_int_eq(procnet_parse_packet(pk, strlen(pk), "net/packet", &t, &ns), 1);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 3);
	ck_assert_uint_eq(t.v[0].kind, SK_PACKET);
	ck_assert_uint_eq(t.v[0].type, 3);
	ck_assert_uint_eq(t.v[0].u.pk.pkt_proto, 3);
	ck_assert_uint_eq(t.v[0].u.pk.ifindex, 1);
	ck_assert_uint_eq(t.v[0].skmem_n, 1);
	ck_assert_uint_eq(t.v[0].skmem[SKMEM_RMEM_ALLOC], 214232);
	ck_assert_uint_eq(sock_mem_bytes(&t.v[0]), 214232);
	ck_assert_uint_eq(t.v[0].inode, 1133785);
	sock_format_local(&t, &t.v[0], s, sizeof(s));
	ck_assert_str_eq(s, "*:ifindex 1");

	ck_assert_int_eq(procnet_parse_netlink(nl, strlen(nl), "net/netlink", &t, &ns), 2);
	ck_assert_uint_eq(ns.n, 2);
	ck_assert_uint_eq(ns.v[1].line, 4);
	ck_assert_uint_eq(t.v[1].kind, SK_NETLINK);
	ck_assert_uint_eq(t.v[1].inode, 4);
	sock_format_local(&t, &t.v[1], s, sizeof(s));
	ck_assert_str_eq(s, "rtnl:kernel");
	ck_assert_uint_eq(t.v[2].protocol, 4);
	ck_assert_uint_eq(t.v[2].u.nl.portid, 22219);
	ck_assert_uint_eq(t.v[2].skmem[SKMEM_RMEM_ALLOC], 4352);
	sock_format_local(&t, &t.v[2], s, sizeof(s));
	ck_assert_str_eq(s, "tcpdiag:22219");
	ck_assert_uint_eq(t.count[SK_NETLINK], 2);
	notes_free(&ns);
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

	tcase_add_test(tc, test_tcp_real);
	tcase_add_test(tc, test_tcp6_mapped);
	tcase_add_test(tc, test_udp_raw);
	tcase_add_test(tc, test_inet_garbage);
	tcase_add_test(tc, test_bad_header_empty);
	tcase_add_test(tc, test_unix_real);
	tcase_add_test(tc, test_unix_path_newline);
	tcase_add_test(tc, test_packet_netlink_real);
	tcase_add_test(tc, test_many_bad_lines);
	tcase_add_test(tc, test_fill_fixture);
	suite_add_tcase(s, tc);
	return s;
}
