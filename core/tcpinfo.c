/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tcpinfo.h"

#include <linux/tcp.h>
#include <string.h>

#define TI(f) offsetof(struct tcp_info, f), sizeof(((struct tcp_info *)0)->f)
#define KEPT(m) offsetof(struct sock_entry, u.in.m), sizeof(((struct sock_entry *)0)->u.in.m)

const struct tcpinfo_desc tcpinfo_fields[TI_COUNT] = {
	[TI_RETRANSMITS] = { "retransmits", "count", TI(tcpi_retransmits), KEPT(tcpi_retransmits) },
	[TI_BACKOFF] = { "backoff", "count", TI(tcpi_backoff), KEPT(backoff) },
	[TI_UNACKED] = { "unacked", "segments", TI(tcpi_unacked), KEPT(unacked) },
	[TI_RETRANS] = { "retrans", "segments", TI(tcpi_retrans), KEPT(tcpi_retrans) },
	[TI_RCV_SSTHRESH] = { "rcv_ssthresh", "bytes", TI(tcpi_rcv_ssthresh), KEPT(rcv_ssthresh) },
	[TI_RCV_SPACE] = { "rcv_space", "bytes", TI(tcpi_rcv_space), KEPT(rcv_space) },
	[TI_TOTAL_RETRANS] = { "total_retrans", "segments", TI(tcpi_total_retrans),
			       KEPT(tcpi_total_retrans) },
	[TI_NOTSENT_BYTES] = { "notsent_bytes", "bytes", TI(tcpi_notsent_bytes),
			       KEPT(notsent_bytes) },
	[TI_SND_WND] = { "snd_wnd", "bytes", TI(tcpi_snd_wnd), KEPT(snd_wnd) },
};

bool sock_tcpinfo_field(const struct sock_entry *s, enum tcpinfo_field f, uint64_t *out)
{
	const struct tcpinfo_desc *d;
	const unsigned char *kept;

	if ((unsigned int)f >= TI_COUNT || !s->has_tcpinfo)
		return false;
	d = &tcpinfo_fields[f];
	if (d->offset + d->size > s->u.in.tcpinfo_len)
		return false;
	kept = (const unsigned char *)s + d->kept_at;
	if (d->kept_size == sizeof(uint8_t)) {
		*out = *kept;
	} else {
		uint32_t v;

		memcpy(&v, kept, sizeof(v));
		*out = v;
	}
	return true;
}
