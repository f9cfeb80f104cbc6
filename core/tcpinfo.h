/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tcp_info fields leaktop keeps for a socket, as a table: each with its
 * name, where it sits in the kernel's struct tcp_info, and its unit. The
 * kernel sends as many bytes of tcp_info as it knows (104 on 3.x, 280 and
 * more today); a field past that length is missing, never 0.
 */
#ifndef LEAKTOP_TCPINFO_H
#define LEAKTOP_TCPINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sock.h"

enum tcpinfo_field {
	TI_RETRANSMITS,		/* tcpi_retransmits: unrecovered RTO timeouts */
	TI_BACKOFF,		/* tcpi_backoff */
	TI_UNACKED,		/* tcpi_unacked */
	TI_RETRANS,		/* tcpi_retrans: segments being retransmitted */
	TI_RCV_SSTHRESH,	/* tcpi_rcv_ssthresh */
	TI_RCV_SPACE,		/* tcpi_rcv_space */
	TI_TOTAL_RETRANS,	/* tcpi_total_retrans */
	TI_NOTSENT_BYTES,	/* tcpi_notsent_bytes (Linux 4.6) */
	TI_SND_WND,		/* tcpi_snd_wnd (Linux 5.4) */
	TI_COUNT,
};

struct tcpinfo_desc {
	const char *name;	/* "snd_wnd": the JSON key and the drill-down label */
	const char *unit;	/* "bytes", "segments" or "count" */
	size_t offset, size;	/* in the kernel's struct tcp_info */
	size_t kept_at, kept_size;	/* where struct sock_entry keeps it (1 or 4 bytes) */
};

/* Indexed by enum tcpinfo_field, in display order. */
extern const struct tcpinfo_desc tcpinfo_fields[TI_COUNT];

/* Field f of s into *out. False when it is missing: s carries no tcp_info
 * (not TCP, procnet, or the kernel sent none) or the kernel's tcp_info
 * ended before the field (offset + size > tcpinfo_len). */
bool sock_tcpinfo_field(const struct sock_entry *s, enum tcpinfo_field f, uint64_t *out);

#endif
