/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "expect.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sock.h"

void fixture_load(const char *rel, struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, b, 0) == 0, "cannot read %s", path);
}

void write_in(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	else
		snprintf(path, sizeof(path), "%s", rel);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_msg(fwrite(data, 1, len, f) == len, "cannot write %s", path);
	ck_assert_msg(fclose(f) == 0, "cannot write %s", path);
}

void write_text_in(const char *dir, const char *rel, const char *text)
{
	write_in(dir, rel, text, strlen(text));
}

void case_input(const char *file, const char *text, struct buf *b)
{
	if (file) {
		fixture_load(file, b);
		return;
	}
	b->len = 0;
	buf_append(b, text, strlen(text));
}

void expect_notes(const struct notes *ns, const char *source, const struct want_note *want,
		  size_t max)
{
	size_t n = 0;

	while (n < max && want[n].msg)
		n++;
	ck_assert_uint_eq(ns->n, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(ns->v[i].source, source);
		ck_assert_uint_eq(ns->v[i].line, want[i].line);
		ck_assert_str_eq(ns->v[i].msg, want[i].msg);
		ck_assert_int_eq(ns->v[i].kind, NOTE_WARN);
	}
}

void expect_u64(const char *what, uint64_t got, uint64_t want)
{
	if (want != ANY)
		ck_assert_msg(got == want, "%s: %llu, expected %llu", what,
			      (unsigned long long)got, (unsigned long long)want);
}

static uint64_t get_rqlen(const struct sock_entry *e) { return e->has_rqlen; }
static uint64_t get_tcpinfo(const struct sock_entry *e) { return e->has_tcpinfo; }
static uint64_t get_cgroup(const struct sock_entry *e) { return e->has_cgroup; }

static const struct {
	const char *name;
	uint64_t (*get)(const struct sock_entry *e);
} derived[] = {
	{ "has_rqlen", get_rqlen },
	{ "has_tcpinfo", get_tcpinfo },
	{ "has_cgroup", get_cgroup },
	{ "mem_bytes", sock_mem_bytes },
};

static uint64_t fig_value(const struct sock_entry *e, const struct want_fig *f)
{
	const char *p = (const char *)e + f->off;

	switch (f->size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)p;
	case 4:
		return *(const uint32_t *)p;
	case 8:
		return *(const uint64_t *)p;
	}
	for (size_t i = 0; i < ARRAY_SIZE(derived); i++)
		if (strcmp(f->name, derived[i].name) == 0)
			return derived[i].get(e);
	ck_abort_msg("no socket figure %s", f->name);
	return 0;
}

void expect_sock(const struct sock_table *t, const struct want_sock *w)
{
	const struct sock_entry *e;
	char s[64];

	ck_assert_uint_lt(w->at, t->n);
	e = &t->v[w->at];
	if (w->state)
		ck_assert_str_eq(sock_state_name(e), w->state);
	if (w->local) {
		sock_format_local(t, e, s, sizeof(s));
		ck_assert_str_eq(s, w->local);
	}
	if (w->peer) {
		sock_format_peer(t, e, s, sizeof(s));
		ck_assert_str_eq(s, w->peer);
	}
	for (size_t i = 0; i < ARRAY_SIZE(w->figs) && w->figs[i].name; i++) {
		uint64_t v = fig_value(e, &w->figs[i]);

		ck_assert_msg(v == w->figs[i].value, "socket %zu: %s: %llu, expected %llu", w->at,
			      w->figs[i].name, (unsigned long long)v,
			      (unsigned long long)w->figs[i].value);
	}
}

void expect_socks(const struct sock_table *t, const struct want_sock *want, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		const struct want_sock *w = &want[i];

		if (!w->state && !w->local && !w->peer && !w->figs[0].name)
			break;
		expect_sock(t, w);
	}
}

int task_nice(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int nice = 100;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid ? (int)tid : (int)gettid());
	f = fopen(path, "r");
	if (!f)
		return nice;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
		   &nice) != 1)
		nice = 100;
	fclose(f);
	return nice;
}

int threads_with_nice(int want)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int found = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid > 0 && tid != gettid() && task_nice(tid) == want)
			found++;
	}
	closedir(d);
	return found;
}
