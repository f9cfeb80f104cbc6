/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc/PID file parsers (see proc_parse.h): bytes in, fields out. */
#include <config.h>

#include "proc_parse.h"

#include <errno.h>
#include <string.h>

#include "parse.h"

#define PF_KTHREAD_FLAG 0x00200000u	/* include/linux/sched.h PF_KTHREAD */

/* Skip to the next blank-separated token; returns its start or NULL. */
static const char *next_token(const char **pp, const char *end)
{
	const char *p = *pp, *t;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (p >= end)
		return NULL;
	t = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*pp = p;
	return t;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_entry *p)
{
	const char *end = buf + len, *lp, *rp, *s, *tok;
	uint64_t v, flags = 0;
	int64_t sv;
	size_t clen;
	int field;

	lp = memchr(buf, '(', len);
	rp = memrchr(buf, ')', len);
	if (!lp || !rp || rp < lp)
		return -EINVAL;
	s = buf;
	if (parse_u64(&s, lp, 10, &v) || v > INT32_MAX)
		return -EINVAL;
	p->pid = (int32_t)v;
	clen = (size_t)(rp - lp - 1);
	if (clen >= sizeof(p->comm))
		clen = sizeof(p->comm) - 1;
	memcpy(p->comm, lp + 1, clen);
	p->comm[clen] = '\0';

	/* Fields are numbered from 1; the state after ')' is field 3. */
	s = rp + 1;
	for (field = 3; field <= 22; field++) {
		const char *q;

		tok = next_token(&s, end);
		if (!tok)
			return -EINVAL;
		q = tok;
		switch (field) {
		case 3:
			p->state = *tok;
			break;
		case 4:
			if (parse_s64(&q, s, &sv) || sv < 0 || sv > INT32_MAX)
				return -EINVAL;
			p->ppid = (int32_t)sv;
			break;
		case 9:
			if (parse_u64(&q, s, 10, &flags))
				return -EINVAL;
			break;
		case 20:
			if (parse_s64(&q, s, &sv) || sv < 0 || sv > UINT32_MAX)
				return -EINVAL;
			p->threads = (uint32_t)sv;
			break;
		case 22:
			if (parse_u64(&q, s, 10, &v))
				return -EINVAL;
			p->starttime = v;
			break;
		default:
			break;
		}
	}
	p->kthread = (flags & PF_KTHREAD_FLAG) != 0;
	return 0;
}

int proc_parse_status(const char *buf, size_t len, struct proc_entry *p)
{
	struct line_iter it;
	const char *l, *le;
	bool any = false;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		char key[32];
		uint64_t v;
		bool kb;

		if (le - l > 4 && memcmp(l, "Uid:", 4) == 0) {
			const char *q = l + 4;
			uint64_t ruid, euid;

			if (parse_u64(&q, le, 10, &ruid) == 0 &&
			    parse_u64(&q, le, 10, &euid) == 0 && euid <= UINT32_MAX) {
				p->uid = (uint32_t)euid;
				any = true;
			}
			continue;
		}
		if (parse_key_value(l, le, key, sizeof(key), &v, &kb))
			continue;
		if (strcmp(key, "VmRSS") == 0) {
			p->rss_bytes = kb ? sat_mul_u64(v, 1024) : v;
		} else if (strcmp(key, "VmSwap") == 0) {
			p->swap_bytes = kb ? sat_mul_u64(v, 1024) : v;
		} else if (strcmp(key, "Threads") == 0) {
			if (v <= UINT32_MAX)
				p->threads = (uint32_t)v;
		} else if (strcmp(key, "Kthread") == 0) {
			p->kthread = v != 0;
		} else if (strcmp(key, "PPid") == 0) {
			if (v <= INT32_MAX)
				p->ppid = (int32_t)v;
		} else {
			continue;
		}
		any = true;
	}
	return any ? 0 : -EINVAL;
}

int proc_parse_smaps_rollup(const char *buf, size_t len, struct proc_entry *p)
{
	struct line_iter it;
	const char *l, *le;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		char key[32];
		uint64_t v;
		bool kb;

		if (parse_key_value(l, le, key, sizeof(key), &v, &kb) == 0 &&
		    strcmp(key, "Pss") == 0) {
			p->pss_bytes = kb ? sat_mul_u64(v, 1024) : v;
			p->has_pss = true;
			return 0;
		}
	}
	return -EINVAL;
}

size_t proc_parse_cmdline(char *buf, size_t len)
{
	while (len && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return len;
}
