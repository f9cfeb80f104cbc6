/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One socket as leaktop keeps it, whatever the source (sock_diag netlink or
 * the /proc/net text fallback), and the table of all sockets of a sample,
 * sorted by identity (sock_identity_cmp) so two samples are matched by a
 * merge-join.
 * Kept compact: a sample may hold 100k of these.
 */
#ifndef LEAKTOP_SOCK_H
#define LEAKTOP_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SK_MEMINFO_* indexes (include/uapi/linux/sock_diag.h). */
enum skmem_idx {
	SKMEM_RMEM_ALLOC,
	SKMEM_RCVBUF,
	SKMEM_WMEM_ALLOC,
	SKMEM_SNDBUF,
	SKMEM_FWD_ALLOC,
	SKMEM_WMEM_QUEUED,
	SKMEM_OPTMEM,
	SKMEM_BACKLOG,
	SKMEM_DROPS,		/* packets, not bytes */
	SKMEM_COUNT,
};

/* Which protocol dump a socket came from; also the "proto" column. */
enum sock_kind {
	SK_TCP,
	SK_UDP,
	SK_UDPLITE,
	SK_RAW,
	SK_UNIX,
	SK_PACKET,
	SK_NETLINK,
	SK_KIND_COUNT,
};

enum sock_source {
	SOCK_SRC_DIAG,		/* sock_diag netlink: full figures */
	SOCK_SRC_PROCNET,	/* /proc/net text: no skmem (except packet/netlink rmem) */
};

struct sock_entry {
	uint64_t cookie;	/* 0 when the source gives none */
	uint32_t inode;		/* 0: no fd (TIME_WAIT, orphan, accept queue, kernel) */
	uint32_t uid;
	uint8_t kind;		/* enum sock_kind */
	uint8_t family;		/* AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK */
	uint8_t type;		/* SOCK_STREAM, SOCK_DGRAM, ... */
	uint8_t protocol;	/* IP protocol, netlink protocol; packet: see pkt_proto */
	uint8_t state;		/* TCP_* (1..11) for inet; unix: 1 conn, 7 unconn, 10 listen */
	uint8_t source;		/* enum sock_source */
	uint8_t timer;		/* inet: idiag_timer */
	uint8_t retrans;	/* inet: idiag_retrans */
	uint8_t skmem_n;	/* how many skmem entries the kernel gave (0 = none) */
	uint8_t shutdown;	/* bit0 RCV, bit1 SEND */
	uint8_t has_tcpinfo : 1;
	uint8_t has_cgroup : 1;
	uint8_t has_rqlen : 1;	/* rqueue/wqueue are meaningful */
	uint16_t sport, dport;	/* host order */
	uint32_t rqueue;	/* Recv-Q as ss shows it */
	uint32_t wqueue;	/* Send-Q */
	uint32_t expires_ms;
	uint32_t skmem[SKMEM_COUNT];
	uint64_t cgroup_id;
	union {
		struct {
			/* Through sock_inet_addrs. IPv4 addresses are kept
			 * here; IPv6 ones (32 bytes for the pair) in the
			 * table's string pool, with a hash that stands for
			 * them in the identity of a socket without inode and
			 * cookie: 24 bytes less a row, and most sockets of a
			 * big box are IPv4. */
			union {
				struct {
					uint8_t saddr[4], daddr[4];	/* network order */
				} v4;
				struct {
					uint32_t off;	/* into sock_table.strings; UINT32_MAX = none */
					uint32_t hash;
				} v6;
			} addr;
			uint32_t rcv_space, rcv_ssthresh, notsent_bytes, snd_wnd;
			uint32_t tcpi_retrans, tcpi_total_retrans, unacked;
			uint8_t tcpi_retransmits, backoff;
			uint16_t tcpinfo_len;	/* bytes of tcp_info the kernel sent */
		} in;
		struct {
			uint32_t path_off;	/* into sock_table.strings; UINT32_MAX = unbound */
			uint32_t path_len;	/* raw bytes; abstract names start with NUL */
			uint32_t peer_inode;
			uint32_t pending;	/* listener: connections waiting (ICONS / RQLEN) */
			uint32_t vfs_ino;
		} un;
		struct {
			uint32_t ifindex;
			uint16_t pkt_proto;	/* ETH_P_*, host order */
			uint8_t version;	/* TPACKET_V1..V3 */
			uint64_t rx_ring_bytes, tx_ring_bytes;	/* block_size * block_nr */
		} pk;
		struct {
			uint32_t portid, dst_portid, dst_group;
		} nl;
	} u;
	uint32_t owner_first;	/* into sock_owners; valid when owner_n > 0 */
	uint32_t owner_n;
};

/* One (process, fd) that holds a socket. */
struct sock_owner {
	int32_t pid;
	int32_t fd;
	uint64_t starttime;	/* /proc/PID/stat field 22: pid reuse guard */
};

struct sock_table {
	struct sock_entry *v;	/* sorted by (inode, cookie); inode 0 sockets grouped first */
	size_t n, cap;
	char *strings;		/* unix paths, raw bytes */
	size_t strings_len, strings_cap;
	struct sock_owner *owners;
	size_t owners_n, owners_cap;
	/* Per kind: how the dump went. */
	uint32_t count[SK_KIND_COUNT];
	uint32_t skipped_msgs;	/* malformed or truncated netlink messages skipped */
	uint8_t kind_source[SK_KIND_COUNT];	/* enum sock_source used */
	bool kind_ok[SK_KIND_COUNT];		/* dump or fallback gave data */
	bool owners_scanned;			/* the /proc/<pid>/fd walk ran */
	/* How the owners were found (proc_scan): an incremental scan reads
	 * the fd links only of processes whose fds may have changed. */
	bool owners_full;			/* every process's fds were walked */
	uint32_t owners_walked;			/* processes whose fd links were read */
	uint32_t owners_procs;			/* processes with a file table */
};

/* Bytes of kernel memory a socket holds: rmem_alloc + wmem_queued +
 * fwd_alloc for TCP (that is what the tcp_mem pool is charged), rmem_alloc +
 * wmem_alloc for the others. 0 when skmem is unknown. */
uint64_t sock_mem_bytes(const struct sock_entry *s);
const char *sock_kind_name(enum sock_kind k);	/* "tcp", "udp", "unix", "packet", ... */
const char *sock_state_name(const struct sock_entry *s);	/* "ESTAB", "CLOSE-WAIT", "LISTEN", "UNCONN" */
/* The one table of state names, as ss prints them (TCP_CLOSE is "UNCONN");
 * NULL for a state without a name. */
const char *sock_tcp_state_name(unsigned int state);
/* Local / peer address as text, as ss shows it where the data allows:
 * "127.0.0.1:8080", "[::1]:22", "[::ffff:127.0.0.1]:443", port 0 as "*";
 * unix path sanitized, "@abstract" (embedded NULs as \x00), unbound "*",
 * peer "* <peer inode>"; packet "<proto or *>:ifindex N" (no ioctl for the
 * interface name); netlink "rtnl:<portid>" or "rtnl:kernel". out is always
 * NUL-terminated. */
void sock_format_local(const struct sock_table *t, const struct sock_entry *s, char *out, size_t sz);
void sock_format_peer(const struct sock_table *t, const struct sock_entry *s, char *out, size_t sz);
const struct sock_owner *sock_owners_of(const struct sock_table *t, const struct sock_entry *s);
/* How the owners of this sample were found, for a status line: "not
 * scanned", "full walk" or "incremental, K of M processes walked". */
void sock_owners_scan_describe(const struct sock_table *t, char *out, size_t sz);
/* An inet socket's addresses, 16 bytes each in network order (IPv4 in the
 * first 4, the rest 0): zeros when an IPv6 pair is not in t's pool. */
void sock_inet_addrs(const struct sock_table *t, const struct sock_entry *s, uint8_t saddr[16],
		     uint8_t daddr[16]);
/* Keep them for s (its family set): IPv6 goes into t's pool. False when the
 * pool is full (4 GiB). */
bool sock_set_inet_addrs(struct sock_table *t, struct sock_entry *s, const uint8_t saddr[16],
			 const uint8_t daddr[16]);
/* Append a socket; returns a pointer valid until the next append. */
struct sock_entry *sock_table_add(struct sock_table *t);
/* Copy len raw bytes into the pool (a NUL is kept after them); returns the
 * offset, or UINT32_MAX when the pool would pass 4 GiB. */
uint32_t sock_table_add_string(struct sock_table *t, const void *data, size_t len);
/* Sort by (inode, cookie) and drop duplicates a resumed dump reported twice
 * (same inode and non-zero cookie); count[] is recomputed. Run it after
 * sockdiag_dump_all and procnet_fill, before owners are attached. */
void sock_table_finish(struct sock_table *t);
/* The socket with this inode and cookie, or with this identity (k[0], k[1]
 * of sock_identity). */
const struct sock_entry *sock_table_find(const struct sock_table *t, uint32_t inode, uint64_t cookie);

/*
 * A socket's identity across samples, the one every part of leaktop uses
 * (diff pairing, a view's selection): inode and cookie where either is
 * non-zero; for a socket with neither (procnet rows, TIME_WAIT, orphans,
 * kernel sockets), its kind, family, protocol, state and address 4-tuple
 * (packet: interface and protocol; netlink: port id).
 * sock_identity_cmp orders by it (sock_table_finish sorts so);
 * sock_identity gives it as two words: k[0] the inode, k[1] the cookie, or
 * for a socket with neither a hash of the tuple with SOCK_ID_TUPLE set
 * (cookies count up from 1 and never reach it).
 */
#define SOCK_ID_TUPLE (1ULL << 63)
int sock_identity_cmp(const struct sock_entry *a, const struct sock_entry *b);
void sock_identity(const struct sock_entry *s, uint64_t k[2]);
void sock_table_free(struct sock_table *t);

#endif
