/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TCP tab: memory charged to TCP against the tcp_mem thresholds, orphans
 * against tcp_max_orphans ("Out of socket memory" is printed for either),
 * sockets per state, the sysctls, and every netstat/snmp counter with its
 * change; the memory-trouble counters come first.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "format.h"
#include "missing.h"
#include "parse.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"

/* States 1..11: 12 and 13 carry ss's names of 3 and 7 and would repeat rows. */
const char *tabs_tcp_state_name(int state)
{
	return state >= 1 && state <= 11 ? sock_tcp_state_name((unsigned int)state) : NULL;
}

/* The counters that speak of memory trouble, shown first. */
static const char *const key_counters[] = {
	"TcpExt:TCPMemoryPressures",
	"TcpExt:TCPMemoryPressuresChrono",
	"TcpExt:TCPAbortOnMemory",
	"TcpExt:PruneCalled",
	"TcpExt:RcvPruned",
	"TcpExt:OfoPruned",
	"TcpExt:TCPRcvQDrop",
	"TcpExt:TCPBacklogDrop",
	"TcpExt:TCPOFODrop",
	"TcpExt:TCPAbortOnClose",
	"TcpExt:TCPAbortOnTimeout",
	"TcpExt:TCPAbortOnData",
	"TcpExt:ListenOverflows",
	"TcpExt:ListenDrops",
	"TcpExt:TW",
	"TcpExt:TCPTimeWaitOverflow",
};

static void pages_line(struct page *p, const char *what, uint64_t pages, long page_size)
{
	char b[32];

	format_bytes(sat_mul_u64(pages, (uint64_t)page_size), b, sizeof(b));
	page_add(p, EL_NORMAL, "  %-22s %10llu pages %8s", what, (unsigned long long)pages, b);
}

static void pressure(struct page *p, const struct snapshot *s, const struct diff *d)
{
	const struct tcpmem *t = &s->tcp;
	char b[32], dd[32];

	page_add(p, EL_HEADING, "TCP memory");
	if (!t->has_sockstat) {
		page_add(p, EL_MISSING, "-  sockstat: not read");
	} else {
		format_bytes(t->tcp_mem_bytes, b, sizeof(b));
		if (d && d->a && d->tcp_mem_bytes.present)
			format_delta_bytes(d->tcp_mem_bytes.d, dd, sizeof(dd));
		else
			snprintf(dd, sizeof(dd), "-");
		page_add(p, EL_VALUE, "  %-22s %10llu pages %8s  %s", "in use (sockstat mem)",
			 (unsigned long long)t->tcp_mem_pages, b, dd);
	}
	if (t->has_tcp_mem) {
		pages_line(p, "tcp_mem min", t->tcp_mem_min, s->page_size);
		pages_line(p, "tcp_mem pressure", t->tcp_mem_pressure, s->page_size);
		pages_line(p, "tcp_mem max", t->tcp_mem_max, s->page_size);
		if (t->has_sockstat && t->tcp_mem_max)
			page_add(p, t->tcp_mem_pages >= t->tcp_mem_pressure ? EL_WARN : EL_NORMAL,
				 "  %.1f%% of pressure, %.1f%% of max",
				 100.0 * (double)t->tcp_mem_pages /
					 (double)(t->tcp_mem_pressure ? t->tcp_mem_pressure : 1),
				 100.0 * (double)t->tcp_mem_pages / (double)t->tcp_mem_max);
	} else {
		page_add(p, EL_MISSING, "-  tcp_mem: not read");
	}
	if (t->has_pressure_flag)
		page_add(p, t->under_pressure ? EL_WARN : EL_NORMAL, "  under memory pressure: %s",
			 t->under_pressure ? "YES" : "no");
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Sockets (sockstat)");
	if (t->has_sockstat) {
		page_add(p, EL_NORMAL,
			 "  tcp inuse %llu  orphan %llu  tw %llu  alloc %llu  tcp6 inuse %llu",
			 (unsigned long long)t->tcp_inuse, (unsigned long long)t->tcp_orphan,
			 (unsigned long long)t->tcp_tw, (unsigned long long)t->tcp_alloc,
			 (unsigned long long)t->tcp6_inuse);
		if (t->has_max_orphans)
			page_add(p, t->tcp_orphan * 2 > t->tcp_max_orphans ? EL_WARN : EL_NORMAL,
				 "  orphans %llu of tcp_max_orphans %llu",
				 (unsigned long long)t->tcp_orphan,
				 (unsigned long long)t->tcp_max_orphans);
		format_bytes(sat_mul_u64(t->udp_mem_pages, (uint64_t)s->page_size), b, sizeof(b));
		page_add(p, EL_NORMAL,
			 "  udp inuse %llu mem %s  udp6 %llu  raw %llu  raw6 %llu  frag %llu",
			 (unsigned long long)t->udp_inuse, b, (unsigned long long)t->udp6_inuse,
			 (unsigned long long)t->raw_inuse, (unsigned long long)t->raw6_inuse,
			 (unsigned long long)t->frag_inuse);
	}
}

static void states(struct page *p, const struct snapshot *s, const struct diff *d)
{
	char dd[32];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "TCP sockets by state");
	if (!(s->sections & SNAP_SOCKETS)) {
		page_add(p, EL_MISSING, "-  sockets: not sampled on this tab (see sockstat above)");
		return;
	}
	for (int i = 1; i < 16; i++) {
		const char *n = tabs_tcp_state_name(i);

		if (!n)
			continue;
		if (d && d->a)
			format_delta_count(d->d_tcp_states[i], dd, sizeof(dd));
		else
			snprintf(dd, sizeof(dd), "-");
		page_add(p, EL_NORMAL, "  %-14s %8u %8s", n, s->tcp_states[i], dd);
	}
}

static void sysctls(struct page *p, const struct tcpmem *t)
{
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "sysctls");
	if (t->has_tcp_mem)
		page_add(p, EL_NORMAL, "  net.ipv4.tcp_mem         %llu %llu %llu (pages)",
			 (unsigned long long)t->tcp_mem_min,
			 (unsigned long long)t->tcp_mem_pressure,
			 (unsigned long long)t->tcp_mem_max);
	if (t->has_rmem)
		page_add(p, EL_NORMAL, "  net.ipv4.tcp_rmem        %llu %llu %llu",
			 (unsigned long long)t->tcp_rmem[0], (unsigned long long)t->tcp_rmem[1],
			 (unsigned long long)t->tcp_rmem[2]);
	if (t->has_wmem)
		page_add(p, EL_NORMAL, "  net.ipv4.tcp_wmem        %llu %llu %llu",
			 (unsigned long long)t->tcp_wmem[0], (unsigned long long)t->tcp_wmem[1],
			 (unsigned long long)t->tcp_wmem[2]);
	if (t->has_max_orphans)
		page_add(p, EL_NORMAL, "  net.ipv4.tcp_max_orphans %llu",
			 (unsigned long long)t->tcp_max_orphans);
}

static void counter_line(struct page *p, const struct snapshot *s, const struct diff *d,
			 const char *name)
{
	char dd[32], safe[96];
	uint64_t v;

	if (!tcpmem_counter(&s->tcp, name, &v))
		return;
	snprintf(dd, sizeof(dd), "-");
	if (d && d->a)
		for (size_t i = 0; i < d->ncounters; i++)
			if (!strcmp(d->counters[i].name, name)) {
				format_delta_count(d->counters[i].d, dd, sizeof(dd));
				break;
			}
	text_safe(name, safe, sizeof(safe));
	page_add(p, strcmp(dd, "-") && strcmp(dd, "0") && strcmp(dd, "+0") ? EL_WARN : EL_NORMAL,
		 "  %-36s %14llu %9s", safe, (unsigned long long)v, dd);
}

static void counters(struct page *p, const struct snapshot *s, const struct diff *d)
{
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Counters that speak of memory trouble (value, change)");
	if (!s->tcp.ncounters) {
		page_add(p, EL_MISSING, "-  netstat/snmp: not read");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(key_counters); i++)
		counter_line(p, s, d, key_counters[i]);
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "All counters of /proc/net/netstat and /proc/net/snmp");
	for (size_t i = 0; i < s->tcp.ncounters; i++)
		counter_line(p, s, d, s->tcp.counters[i].name);
}

static void tcp_page(struct app *a, struct page *p)
{
	const struct diff *d = a->diff;
	const struct snapshot *s = d ? d->b : a->view;
	const char *why = missing_reason(s, SRC_TCP, SNAP_TCP);

	if (why) {
		page_add(p, EL_MISSING, "-  tcp: %s", why);
		return;
	}
	pressure(p, s, d);
	states(p, s, d);
	sysctls(p, &s->tcp);
	counters(p, s, d);
}

const struct tab tab_tcp = {
	.name = "tcp",
	.title = "TCP",
	.needs = SNAP_TCP | SNAP_SOCKETS,
	.missing_src = SRC_TCP,
	.build_page = tcp_page,
};
