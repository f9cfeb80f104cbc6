/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock_diag over NETLINK_SOCK_DIAG with libmnl: one dump per family and
 * protocol per sample (TCP, UDP, UDP-Lite, RAW over v4 and v6; UNIX; PACKET;
 * NETLINK). sockdiag_parse_* are pure and take one message, so tests feed
 * them buffers built in memory; sockdiag_dump_* do the I/O. A malformed or
 * truncated message is skipped and counted. Where a dump is refused or has
 * no handler (RAW here), procnet.h fills the kind from /proc/net.
 * See include/uapi/linux/{sock_diag,inet_diag,unix_diag,packet_diag,netlink_diag}.h.
 */
#ifndef LEAKTOP_SOCKDIAG_H
#define LEAKTOP_SOCKDIAG_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>

#include "notes.h"
#include "sock.h"

/* Parse one reply message into a new entry of t. Returns 0, or -1 if the
 * message is malformed (too short, lying lengths): nothing is added. */
int sockdiag_parse_inet(const struct nlmsghdr *nlh, enum sock_kind kind, struct sock_table *t);
int sockdiag_parse_unix(const struct nlmsghdr *nlh, struct sock_table *t);
int sockdiag_parse_packet(const struct nlmsghdr *nlh, struct sock_table *t);
int sockdiag_parse_netlink(const struct nlmsghdr *nlh, struct sock_table *t);

enum dump_result {
	DUMP_OK,
	DUMP_PARTIAL,	/* data kept, but the dump ended early */
	DUMP_FAILED,	/* no usable data */
	DUMP_NOHANDLER,	/* the kernel has no diag handler for it */
};

/*
 * How a dump that sockdiag_run_buffer saw end (ret 0 or -errno, done_err,
 * intr) went, with skipped the malformed or truncated messages it counted
 * for this dump. Every early end is a NOTE_WARN under source ("sock_diag
 * unix"): interrupted, refused, an error in DONE, lost messages.
 */
enum dump_result sockdiag_dump_end(int ret, int done_err, bool intr, uint32_t skipped,
				   struct notes *notes, const char *source);

/*
 * Feed one received buffer of a dump of kind to the parsers through
 * mnl_cb_run2 (seq/portid 0: not checked). NLM_F_DUMP_INTR is cleared in buf
 * and reported in *intr. Returns 0 when the dump ended (NLMSG_DONE, its int
 * in *done_err), 1 when more is to come, -errno on NLMSG_ERROR or a
 * seq/portid mismatch.
 */
int sockdiag_run_buffer(void *buf, size_t len, unsigned int seq, unsigned int portid,
			enum sock_kind kind, struct sock_table *t, int *done_err, bool *intr);

/*
 * Run every dump into t (live only), TCP sockets with their tcp_info when
 * tcp_info is set (the kernel fills it under each socket's lock: a third
 * of a sample's CPU at 100k sockets). For each kind, t->kind_ok and
 * t->kind_source say what happened; a kind the kernel cannot dump is left
 * for procnet_fill. Returns 0, or -errno if no netlink socket could be made.
 * The caller runs procnet_fill, then sock_table_finish.
 */
int sockdiag_dump_all(struct sock_table *t, bool tcp_info, struct notes *notes);

#endif
