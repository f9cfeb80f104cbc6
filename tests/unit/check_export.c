/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch output from hand-built snapshots: every system string is escaped
 * once per format (JSON: decodes to the sanitized form the schema gives;
 * text: the sanitized form), values that are missing print as null or "-"
 * and never as 0, and deltas appear only when there is a previous sample.
 */
#include <linux/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diff.h"
#include "export.h"
#include "format.h"
#include "suites.h"
#include "xalloc.h"

/* ---- building snapshots ------------------------------------------------------ */

static struct snapshot *snap(unsigned int sections, uint64_t t_s)
{
	struct snapshot *s = snapshot_new();

	s->sections = sections;
	s->t_mono_ns = t_s * 1000000000ULL;
	s->page_size = 4096;
	s->seq = t_s;
	return s;
}

static struct sock_entry *add_sock(struct snapshot *s, uint32_t inode, uint8_t kind,
				   uint8_t family, uint8_t state)
{
	struct sock_entry *e = sock_table_add(&s->socks);

	e->inode = inode;
	e->kind = kind;
	e->family = family;
	e->type = SOCK_STREAM;
	e->state = state;
	return e;
}

/* A unix socket bound to len raw bytes of path. */
static void add_unix(struct snapshot *s, uint32_t inode, const char *path, size_t len)
{
	struct sock_entry *e = add_sock(s, inode, SK_UNIX, AF_UNIX, 7);

	e->u.un.path_off = sock_table_add_string(&s->socks, path, len);
	e->u.un.path_len = (uint32_t)len;
}

/* A TCP socket whose kernel sent tcpinfo_len bytes of tcp_info. */
static void add_tcp(struct snapshot *s, uint32_t inode, uint16_t tcpinfo_len)
{
	struct sock_entry *e = add_sock(s, inode, SK_TCP, AF_INET, 1);

	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = 1000;
	e->has_tcpinfo = 1;
	e->u.in.tcpinfo_len = tcpinfo_len;
	e->u.in.rcv_space = 14600;
	e->u.in.snd_wnd = 65535;
}

/* Processes must be added in pid order (the table is sorted). */
static struct proc_entry *add_proc(struct snapshot *s, int32_t pid, const char *comm,
				   uint64_t rss, uint8_t fd_status)
{
	struct proc_entry *p;

	s->procs.v = xreallocarray(s->procs.v, s->procs.n + 1, sizeof(*s->procs.v));
	s->procs.cap = s->procs.n + 1;
	p = &s->procs.v[s->procs.n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->starttime = 100;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	p->rss_bytes = rss;
	p->threads = 1;
	p->fd_status = fd_status;
	if (fd_status == PROC_FD_OK) {
		p->fd_count = 4;
		p->sock_count = 1;
		p->sock_mem_bytes = 2048;
	}
	return p;
}

static void add_slab(struct snapshot *s, const char *name, uint64_t bytes)
{
	struct slab_cache *c;

	s->slab.v = xreallocarray(s->slab.v, s->slab.n + 1, sizeof(*s->slab.v));
	c = &s->slab.v[s->slab.n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->active_objs = c->num_objs = bytes / 64;
	c->objsize = 64;
	c->bytes = bytes;
	s->slab.total_bytes += bytes;
}

static void add_vmalloc(struct snapshot *s, const char *caller, const char *kind, uint64_t bytes)
{
	struct vmalloc_caller *c;

	s->vmalloc.v = xreallocarray(s->vmalloc.v, s->vmalloc.n + 1, sizeof(*s->vmalloc.v));
	c = &s->vmalloc.v[s->vmalloc.n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->caller, sizeof(c->caller), "%s", caller);
	snprintf(c->kind, sizeof(c->kind), "%s", kind);
	c->areas = 1;
	c->pages = bytes / 4096;
	c->bytes = bytes;
	s->vmalloc.total_bytes += bytes;
}

static void add_mount(struct snapshot *s, const char *mountpoint, const char *fstype)
{
	struct tmpfs_mount *m;

	s->tmpfs.v = xreallocarray(s->tmpfs.v, s->tmpfs.n + 1, sizeof(*s->tmpfs.v));
	m = &s->tmpfs.v[s->tmpfs.n++];
	memset(m, 0, sizeof(*m));
	m->mountpoint = xstrdup(mountpoint);
	snprintf(m->fstype, sizeof(m->fstype), "%s", fstype);
	m->has_usage = true;
	m->size_bytes = 1 << 20;
	m->used_bytes = 4096;
}

static void add_counter(struct snapshot *s, const char *name, uint64_t v)
{
	struct net_counter *c;

	s->tcp.counters = xreallocarray(s->tcp.counters, s->tcp.ncounters + 1,
					sizeof(*s->tcp.counters));
	s->tcp.counters_cap = s->tcp.ncounters + 1;
	c = &s->tcp.counters[s->tcp.ncounters++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = v;
}

/* ---- running the exporters ---------------------------------------------------- */

static char *run(void (*fn)(FILE *, const struct diff *, const struct export_opts *),
		 const struct diff *d, const struct export_opts *o)
{
	static const struct export_opts none;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fn(f, d, o ? o : &none);
	fclose(f);
	return buf;
}

/* Both outputs of the diff of b against a (a may be NULL). */
struct out {
	struct diff *d;
	char *json;
	char *text;
};

static void export_both(struct snapshot *a, struct snapshot *b, const struct export_opts *o,
			struct out *out)
{
	out->d = diff_compute(a, b);
	ck_assert_ptr_nonnull(out->d);
	if (a)
		snapshot_unref(a);	/* the diff holds its own reference */
	out->json = run(export_json, out->d, o);
	out->text = run(export_text, out->d, o);
}

static void out_free(struct out *out, struct snapshot *b)
{
	diff_free(out->d);
	free(out->json);
	free(out->text);
	snapshot_unref(b);
}

/*
 * The value of the first "key": at or after from, decoded: a JSON string
 * without its quotes and escapes, anything else as written ("null", "12").
 * NULL when the key is not there.
 */
static char *json_value(const char *from, const char *key)
{
	char pat[96], *out, *o;
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(from, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	out = o = xmalloc(strlen(p) + 1);
	if (*p != '"') {
		while (*p && !strchr(",}]", *p))
			*o++ = *p++;
		*o = '\0';
		return out;
	}
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		p++;
		if (*p == 'u') {
			unsigned int cp;

			ck_assert_int_eq(sscanf(p + 1, "%4x", &cp), 1);
			ck_assert_msg(cp < 0x80, "\\u%04x: wider escapes are not expected", cp);
			*o++ = (char)cp;
			p += 4;
		} else {
			ck_assert_msg(strchr("\"\\/", *p), "bad escape \\%c", *p);
			*o++ = *p;
		}
	}
	ck_assert_msg(*p == '"', "unterminated string for %s", key);
	*o = '\0';
	return out;
}

static void assert_json_value(const char *from, const char *key, const char *want)
{
	char *got;

	ck_assert_ptr_nonnull(from);
	got = json_value(from, key);
	ck_assert_msg(got, "no \"%s\" in %s", key, from);
	ck_assert_msg(!strcmp(got, want), "\"%s\": got [%s], want [%s]", key, got, want);
	free(got);
}

/* safe as it appears inside a JSON string: backslashes and quotes escaped. */
static char *json_encoded(const char *safe)
{
	char *out = xmalloc(strlen(safe) * 2 + 1), *o = out;

	for (; *safe; safe++) {
		if (*safe == '\\' || *safe == '"')
			*o++ = '\\';
		*o++ = *safe;
	}
	*o = '\0';
	return out;
}

/* JSON and text may carry printable ASCII and two-byte UTF-8 that is not a
 * C1 control (column titles say "ΔRSS"); the inputs below hold nothing
 * else that is printable, so anything more is an escape that leaked. */
static void assert_clean(const char *out)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		if (*p >= 0xc2 && *p <= 0xdf && (p[1] & 0xc0) == 0x80 &&
		    !(*p == 0xc2 && p[1] <= 0x9f)) {
			p++;
			continue;
		}
		ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f), "byte 0x%02x at offset %td",
			      *p, (const char *)p - out);
	}
}

/* ---- escaping ------------------------------------------------------------------ */

/* One raw string and its sanitized form, which is both what text prints and
 * what the JSON string decodes to (doc/json-schema.md). */
static const struct {
	const char *raw;
	const char *safe;
} esc_cases[] = {
	{ "a\"b", "a\"b" },
	{ "a\\b", "a\\\\b" },
	{ "\x1b[31mred", "\\x1b[31mred" },
	{ "nl\nx", "nl\\x0ax" },
	{ "tab\tx", "tab\\x09x" },
	{ "bad\xff\xfeutf", "bad\\xff\\xfeutf" },
	{ "c1\xc2\x9bx", "c1\\xc2\\x9bx" },
	{ "del\x7f", "del\\x7f" },
};

START_TEST(test_unix_path_escaped_once)
{
	struct snapshot *b = snap(SNAP_SOCKETS, 1);
	const char *raw = esc_cases[_i].raw;
	char path[64], *want;
	struct out out;

	snprintf(path, sizeof(path), "/tmp/%s", raw);
	add_unix(b, 7, path, strlen(path) + 1);	/* pathnames carry their NUL */
	sock_table_finish(&b->socks);
	export_both(NULL, b, NULL, &out);
	want = xmalloc(strlen(esc_cases[_i].safe) + 8);
	sprintf(want, "/tmp/%s", esc_cases[_i].safe);
	assert_json_value(strstr(out.json, "\"sockets\":["), "local", want);
	assert_clean(out.json);
	assert_clean(out.text);
	ck_assert_msg(strstr(out.text, want), "text lacks [%s]:\n%s", want, out.text);
	free(want);
	out_free(&out, b);
}
END_TEST

START_TEST(test_comm_escaped_once)
{
	struct snapshot *b = snap(SNAP_PROCS, 1);
	struct out out;

	add_proc(b, 10, esc_cases[_i].raw, 4096, PROC_FD_OK);
	export_both(NULL, b, NULL, &out);
	assert_json_value(strstr(out.json, "\"processes\":["), "comm", esc_cases[_i].safe);
	assert_clean(out.json);
	assert_clean(out.text);
	ck_assert_msg(strstr(out.text, esc_cases[_i].safe), "text lacks [%s]:\n%s",
		      esc_cases[_i].safe, out.text);
	out_free(&out, b);
}
END_TEST

/* Every other kind of string from the system, with ESC and a newline. */
START_TEST(test_system_strings_escaped)
{
	struct snapshot *a = snap(SNAP_SLAB | SNAP_VMALLOC | SNAP_TMPFS | SNAP_TCP, 1);
	struct snapshot *b = snap(SNAP_SLAB | SNAP_VMALLOC | SNAP_TMPFS | SNAP_TCP, 3);
	static const char *const want[] = {
		"sl\\x1b[2Jab",	 "vm\\x1b]0;t\\x07", "k\\x0aind", "/mnt/\\x1bm",
		"tm\\x1bpfs",	 "Tcp\\x1b:Moved",
	};
	struct kstack_thread th = { .tid = 5, .comm = "th\x1b", .state = 'S',
				    .wchan = "wait\x1b[K", .nframes = 1,
				    .frames = { "frame\x1b[H+0x1/0x2" } };
	struct kstack_proc kp = { .pid = 5, .threads_total = 1, .threads = &th, .n = 1 };
	struct export_opts o = { .stacks = &kp, .nstacks = 1 };
	struct out out;

	for (int i = 0; i < 2; i++) {
		struct snapshot *s = i ? b : a;

		add_slab(s, "sl\x1b[2Jab", 8192);
		add_vmalloc(s, "vm\x1b]0;t\a", "k\nind", 8192);
		add_mount(s, "/mnt/\x1bm", "tm\x1bpfs");
		s->tcp.has_sockstat = true;
		add_counter(s, "Tcp\x1b:Moved", i ? 5 : 1);
	}
	export_both(a, b, &o, &out);
	assert_clean(out.json);
	assert_clean(out.text);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *enc = json_encoded(want[i]);

		ck_assert_msg(strstr(out.text, want[i]), "text lacks [%s]:\n%s", want[i], out.text);
		ck_assert_msg(strstr(out.json, enc), "json lacks [%s]", enc);
		free(enc);
	}
	ck_assert_msg(strstr(out.text, "wait\\x1b[K"), "wchan raw in text:\n%s", out.text);
	ck_assert_msg(strstr(out.text, "frame\\x1b[H"), "frame raw in text:\n%s", out.text);
	assert_json_value(strstr(out.json, "\"slab\":["), "name", "sl\\x1b[2Jab");
	assert_json_value(strstr(out.json, "\"mounts\":["), "fstype", "tm\\x1bpfs");
	assert_json_value(strstr(out.json, "\"callers\":["), "kind", "k\\x0aind");
	assert_json_value(strstr(out.json, "\"stacks\":["), "wchan", "wait\\x1b[K");
	out_free(&out, b);
}
END_TEST

/* ---- missing is not zero ---------------------------------------------------------- */

/* tcp_info as long as the kernel sent it: a field past the end is null. */
static const struct {
	uint16_t len;
	const char *snd_wnd;
} tcpinfo_cases[] = {
	/* A kernel whose tcp_info ends just before tcpi_snd_wnd. */
	{ offsetof(struct tcp_info, tcpi_snd_wnd), "null" },
	{ sizeof(struct tcp_info), "65535" },
};

START_TEST(test_tcpinfo_length)
{
	struct snapshot *b = snap(SNAP_SOCKETS, 1);
	struct out out;
	const char *ti;
	char len[16];

	add_tcp(b, 9, tcpinfo_cases[_i].len);
	sock_table_finish(&b->socks);
	export_both(NULL, b, NULL, &out);
	ti = strstr(out.json, "\"tcp_info\":{");
	ck_assert_msg(ti, "no tcp_info in %s", out.json);
	assert_json_value(ti, "snd_wnd", tcpinfo_cases[_i].snd_wnd);
	assert_json_value(ti, "rcv_space", "14600");
	snprintf(len, sizeof(len), "%u", tcpinfo_cases[_i].len);
	assert_json_value(ti, "length", len);
	out_free(&out, b);
}
END_TEST

START_TEST(test_section_missing)
{
	struct snapshot *b = snap(SNAP_SLAB | SNAP_VMALLOC, 1);
	struct out out;

	notes_add(&b->notes, NOTE_MISSING, SRC_SLABINFO, 0, "permission denied (needs root)");
	notes_add(&b->notes, NOTE_MISSING, SRC_VMALLOC, 0, "permission denied (needs root)");
	export_both(NULL, b, NULL, &out);
	ck_assert_ptr_null(strstr(out.json, "\"slab\""));
	ck_assert_ptr_null(strstr(out.json, "slab_total_bytes"));
	ck_assert_ptr_null(strstr(out.json, "\"vmalloc\":{"));
	assert_json_value(strstr(out.json, "\"missing\":{"), SRC_SLABINFO,
			  "permission denied (needs root)");
	ck_assert_msg(strstr(out.text, "SLAB\n  -  slabinfo: permission denied (needs root)\n"),
		      "%s", out.text);
	ck_assert_msg(strstr(out.text, "VMALLOC\n  -  vmallocinfo: permission"), "%s", out.text);
	ck_assert_msg(!strstr(out.text, " 0B"), "zeros printed:\n%s", out.text);
	out_free(&out, b);
}
END_TEST

START_TEST(test_fds_unknown_null)
{
	struct snapshot *b = snap(SNAP_PROCS, 1);
	struct out out;
	const char *p;

	add_proc(b, 10, "denied", 4096, PROC_FD_DENIED);
	export_both(NULL, b, NULL, &out);
	p = strstr(out.json, "\"processes\":[");
	assert_json_value(p, "fds", "null");
	assert_json_value(p, "socks", "null");
	assert_json_value(p, "sockmem", "null");
	assert_json_value(p, "fd_status", "denied");
	assert_json_value(p, "rss", "4096");
	out_free(&out, b);
}
END_TEST

/* ---- deltas ------------------------------------------------------------------------- */

START_TEST(test_deltas_first_sample)
{
	struct snapshot *b = snap(SNAP_PROCS | SNAP_SLAB, 1);
	struct out out;
	const char *p;

	add_proc(b, 10, "grow", 3 << 20, PROC_FD_OK);
	add_slab(b, "dentry", 16384);
	export_both(NULL, b, NULL, &out);
	assert_json_value(out.json, "interval_s", "null");
	p = strstr(out.json, "\"processes\":[");
	assert_json_value(p, "drss", "null");
	assert_json_value(p, "status", "first");
	p = strstr(out.json, "\"slab\":[");
	assert_json_value(p, "dbytes", "null");
	assert_json_value(p, "rate", "null");
	assert_json_value(p, "bytes", "16384");
	ck_assert_msg(!strstr(out.text, "+0"), "delta printed as zero:\n%s", out.text);
	out_free(&out, b);
}
END_TEST

START_TEST(test_deltas_second_sample)
{
	struct snapshot *a = snap(SNAP_PROCS | SNAP_SLAB, 1);
	struct snapshot *b = snap(SNAP_PROCS | SNAP_SLAB, 3);
	struct out out;
	const char *p;

	add_proc(a, 10, "grow", 1 << 20, PROC_FD_OK);
	add_proc(b, 10, "grow", 3 << 20, PROC_FD_OK);
	add_slab(a, "dentry", 8192);
	add_slab(b, "dentry", 16384);
	export_both(a, b, NULL, &out);
	p = strstr(out.json, "\"processes\":[");
	assert_json_value(p, "drss", "2097152");
	assert_json_value(p, "status", "changed");
	p = strstr(out.json, "\"slab\":[");
	assert_json_value(p, "dbytes", "8192");
	assert_json_value(p, "rate", "4096");
	/* Text: the same deltas, formatted. */
	ck_assert_msg(strstr(out.text, "+2.00M"), "%s", out.text);
	ck_assert_msg(strstr(out.text, "+8.00K"), "%s", out.text);
	out_free(&out, b);
}
END_TEST

/* Text columns are cut and padded by characters, never inside one. */
START_TEST(test_format_cell)
{
	static const struct {
		const char *s;
		int width;
		bool left;
		const char *want;
	} cases[] = {
		{ "ab", 4, true, "ab  " },
		{ "ab", 4, false, "  ab" },
		{ "abcdef", 4, true, "abcd" },
		{ "\xce\x94RSS", 5, false, " \xce\x94RSS" },
		{ "\xce\x94\xce\x94\xce\x94", 2, true, "\xce\x94\xce\x94" },
		{ "", 3, false, "   " },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_cell(cases[i].s, cases[i].width, cases[i].left, out, sizeof(out));
		ck_assert_msg(!strcmp(out, cases[i].want), "case %zu: [%s]", i, out);
	}
}
END_TEST

Suite *export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("core");
	int nesc = (int)(sizeof(esc_cases) / sizeof(esc_cases[0]));

	tcase_add_loop_test(tc, test_unix_path_escaped_once, 0, nesc);
	tcase_add_loop_test(tc, test_comm_escaped_once, 0, nesc);
	tcase_add_test(tc, test_system_strings_escaped);
	tcase_add_loop_test(tc, test_tcpinfo_length, 0,
			    (int)(sizeof(tcpinfo_cases) / sizeof(tcpinfo_cases[0])));
	tcase_add_test(tc, test_section_missing);
	tcase_add_test(tc, test_fds_unknown_null);
	tcase_add_test(tc, test_deltas_first_sample);
	tcase_add_test(tc, test_deltas_second_sample);
	tcase_add_test(tc, test_format_cell);
	suite_add_tcase(s, tc);
	return s;
}
