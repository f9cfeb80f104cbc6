/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The adapters behind fuzz_parsers.h. Text parsers get the fuzzer's bytes as
 * they are, without the NUL that buf_readat adds: the parsers promise to stay
 * within len. Targets that cover several /proc/net files or dump kinds with
 * one parser take the first byte as the selector (the ASCII digits of the
 * seed list, see select_inet), so one corpus reaches every variant.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zstd.h>

#include "cgroup_parse.h"
#include "codec_wire.h"
#include "compat.h"
#include "crc32c.h"
#include "fuzz_parsers.h"
#include "fuzz_records.h"
#include "kstack.h"
#include "meminfo.h"
#include "mountinfo.h"
#include "notes.h"
#include "proc.h"
#include "proc_parse.h"
#include "procnet.h"
#include "slabinfo.h"
#include "sock.h"
#include "sockdiag.h"
#include "recread.h"
#include "sample_codec.h"
#include "tcpmem.h"
#include "tmpfs.h"
#include "vmalloc.h"
#include "vmstat.h"

#define SOURCE "fuzz"
#define PAGE_SIZE_FUZZ 4096

/* An invariant broke: abort so the fuzzer saves the input. */
#define EXPECT(cond) do { if (!(cond)) abort(); } while (0)

static const char *text(const uint8_t *data)
{
	return (const char *)data;
}

static bool terminated(const char *s, size_t sz)
{
	return memchr(s, '\0', sz) != NULL;
}

static void notes_check_free_const(const struct notes *ns)
{
	EXPECT(ns->n <= NOTES_MAX);
	for (size_t i = 0; i < ns->n; i++)
		EXPECT(terminated(ns->v[i].source, sizeof(ns->v[i].source)) &&
		       terminated(ns->v[i].msg, sizeof(ns->v[i].msg)));
}

static void notes_check_free(struct notes *ns)
{
	notes_check_free_const(ns);
	notes_free(ns);
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Names of a keyed table (stride bytes apart, the first at names) are
 * terminated and unique, the parser keeping the first of duplicates. By
 * sorting a copy, not by a lookup per name: the tables' lookups are linear,
 * and n of them would make a long input quadratic in the harness alone.
 */
static void check_unique_names(const char *names, size_t n, size_t stride, size_t namesz)
{
	const char **v;

	if (n < 2)
		return;
	v = malloc(n * sizeof(*v));
	EXPECT(v != NULL);
	for (size_t i = 0; i < n; i++) {
		v[i] = names + i * stride;
		EXPECT(terminated(v[i], namesz));
	}
	qsort(v, n, sizeof(*v), cmp_str_ptr);
	for (size_t i = 1; i < n; i++)
		EXPECT(strcmp(v[i - 1], v[i]) != 0);
	free(v);
}

static void run_meminfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct meminfo mi = { 0 };
	struct notes ns = { 0 };
	uint64_t v;

	if (meminfo_parse(text(data), len, SOURCE, &mi, &ns) == 0 && mi.n) {
		check_unique_names(mi.v[0].name, mi.n, sizeof(mi.v[0]), sizeof(mi.v[0].name));
		/* the lookup finds the first, the last (a full scan) and one between */
		EXPECT(meminfo_get(&mi, mi.v[0].name, &v) && v == mi.v[0].value);
		EXPECT(meminfo_get(&mi, mi.v[mi.n / 2].name, &v) && v == mi.v[mi.n / 2].value);
		EXPECT(meminfo_get(&mi, mi.v[mi.n - 1].name, &v) && v == mi.v[mi.n - 1].value);
	}
	meminfo_free(&mi);
	notes_check_free(&ns);
}

static void run_slabinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct slab_table t = { 0 };
	struct notes ns = { 0 };

	if (slabinfo_parse(text(data), len, SOURCE, PAGE_SIZE_FUZZ, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			EXPECT(terminated(t.v[i].name, sizeof(t.v[i].name)));
			EXPECT(i == 0 || strcmp(t.v[i - 1].name, t.v[i].name) <= 0);
			EXPECT(slab_table_find(&t, t.v[i].name) != NULL);
		}
	slab_table_free(&t);
	notes_check_free(&ns);
}

static void run_vmallocinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct vmalloc_table t = { 0 };
	struct notes ns = { 0 };

	if (vmallocinfo_parse(text(data), len, SOURCE, PAGE_SIZE_FUZZ, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			const struct vmalloc_caller *c = &t.v[i];

			EXPECT(terminated(c->caller, sizeof(c->caller)) &&
			       terminated(c->kind, sizeof(c->kind)));
			EXPECT(vmalloc_table_find(&t, c->caller, c->kind) != NULL);
		}
	vmalloc_table_free(&t);
	notes_check_free(&ns);
}

static void run_mountinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct tmpfs_table t = { 0 };
	struct notes ns = { 0 };

	if (tmpfs_parse_mountinfo(text(data), len, SOURCE, &t, &ns) == 0)
		for (size_t i = 0; i < t.n; i++) {
			EXPECT(t.v[i].mountpoint && terminated(t.v[i].fstype, sizeof(t.v[i].fstype)));
			EXPECT(i == 0 || strcmp(t.v[i - 1].mountpoint, t.v[i].mountpoint) <= 0);
		}
	tmpfs_table_free(&t);
	notes_check_free(&ns);
}

static void run_sysv_shm(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sysv_shm shm = { 0 };
	struct notes ns = { 0 };

	if (sysv_shm_parse(text(data), len, SOURCE, &shm, &ns) == 0)
		EXPECT(shm.orphan_segments <= shm.segments);
	notes_check_free(&ns);
}

/*
 * The tcpmem parsers share one result: check the counters and free. They
 * are strictly sorted, so the binary search is checked where it turns (the
 * first, the middle, the last, a name that cannot be): a lookup of each of
 * thousands would cost as much as the parse.
 */
static void tcpmem_check_free(struct tcpmem *t, struct notes *ns)
{
	const size_t at[] = { 0, t->ncounters / 2, t->ncounters - 1 };
	uint64_t v;

	EXPECT(t->ncounters <= t->counters_cap);
	for (size_t i = 0; i < t->ncounters; i++) {
		EXPECT(terminated(t->counters[i].name, sizeof(t->counters[i].name)));
		EXPECT(i == 0 || strcmp(t->counters[i - 1].name, t->counters[i].name) < 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(at) && t->ncounters; i++)
		EXPECT(tcpmem_counter(t, t->counters[at[i]].name, &v) &&
		       v == t->counters[at[i]].value);
	EXPECT(!tcpmem_counter(t, "\n", &v));	/* lines end there: never a name */
	tcpmem_free(t);
	notes_check_free(ns);
}

static void run_tcpmem(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct tcpmem t = { 0 };
	struct notes ns = { 0 };

	p->fn.tcpmem(text(data), len, SOURCE, &t, &ns);
	tcpmem_check_free(&t, &ns);
}

/* What the views do with a socket table: sort it, name and format every
 * entry, find each one again. */
static void sock_check_free(struct sock_table *t, struct notes *ns)
{
	char a[256], b[256];

	EXPECT(t->n <= t->cap);
	sock_table_finish(t);
	for (size_t i = 0; i < t->n; i++) {
		const struct sock_entry *s = &t->v[i];

		EXPECT(s->kind < SK_KIND_COUNT);
		sock_format_local(t, s, a, sizeof(a));
		sock_format_peer(t, s, b, sizeof(b));
		EXPECT(terminated(a, sizeof(a)) && terminated(b, sizeof(b)));
		EXPECT(sock_state_name(s) != NULL && sock_kind_name(s->kind) != NULL);
		(void)sock_mem_bytes(s);
		EXPECT(sock_table_find(t, s->inode, s->cookie) != NULL);
	}
	sock_table_free(t);
	if (ns)
		notes_check_free(ns);
}

/* Selector byte, low three bits: kind in bits 0-1, IPv6 in bit 2, so the
 * seeds' '0'..'7' are tcp, udp, udplite, raw, tcp6, udp6, udplite6, raw6. */
static const enum sock_kind inet_kinds[] = { SK_TCP, SK_UDP, SK_UDPLITE, SK_RAW };

static void run_procnet_inet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	if (len < 1)
		return;
	procnet_parse_inet(text(data + 1), len - 1, SOURCE, inet_kinds[data[0] & 3],
			   data[0] & 4 ? AF_INET6 : AF_INET, &t, &ns);
	sock_check_free(&t, &ns);
}

static void run_procnet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct sock_table t = { 0 };
	struct notes ns = { 0 };

	p->fn.procnet(text(data), len, SOURCE, &t, &ns);
	sock_check_free(&t, &ns);
}

static void run_proc(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct proc_entry e = { 0 };

	p->fn.proc(text(data), len, &e);
	EXPECT(terminated(e.comm, sizeof(e.comm)));
}

static void run_kstack(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	static struct kstack_thread t;
	size_t n = kstack_parse(text(data), len, &t);

	EXPECT(n == t.nframes && n <= KSTACK_MAX_FRAMES);
	for (size_t i = 0; i < n; i++)
		EXPECT(t.frames[i][0] != '\0' && terminated(t.frames[i], sizeof(t.frames[i])));
}

/*
 * A dump buffer as recv() fills it: netlink-aligned, and writable (the
 * runner clears NLM_F_DUMP_INTR in place), so the bytes are copied.
 */
static void sockdiag_run(const uint8_t *data, size_t len, enum sock_kind kind)
{
	struct sock_table t = { 0 };
	void *buf = malloc(len ? len : 1);
	int done_err = 0;
	bool intr = false;

	EXPECT(buf != NULL);
	memcpy(buf, data, len);
	sockdiag_run_buffer(buf, len, 0, 0, kind, &t, &done_err, &intr);
	free(buf);
	sock_check_free(&t, NULL);
}

/* Selector byte, low two bits: tcp, udp, udplite, raw (one parser). */
static void run_sockdiag_inet(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	if (len >= 1)
		sockdiag_run(data + 1, len - 1, inet_kinds[data[0] & 3]);
}

static void run_sockdiag(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	sockdiag_run(data, len, (enum sock_kind)p->fn.sock_kind);
}

static void run_vmstat(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct vmstat vs = { 0 };
	struct notes ns = { 0 };
	uint64_t v;

	if (vmstat_parse(text(data), len, SOURCE, &vs, &ns) == 0) {
		EXPECT(vs.n > 0);
		check_unique_names(vs.v[0].name, vs.n, sizeof(vs.v[0]), sizeof(vs.v[0].name));
		EXPECT(vmstat_get(&vs, vs.v[0].name, &v) && v == vs.v[0].value);
		EXPECT(vmstat_get(&vs, vs.v[vs.n - 1].name, &v) && v == vs.v[vs.n - 1].value);
	} else {
		EXPECT(vs.n == 0);
	}
	EXPECT(!vs.has_pcp);
	vmstat_free(&vs);
	notes_check_free(&ns);
}

static void run_zoneinfo(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct vmstat vs = { 0 };
	struct notes ns = { 0 };
	int ret = vmstat_parse_zoneinfo_pcp(text(data), len, SOURCE, &vs, &ns);

	/* no usable count line: no sum shown */
	EXPECT(ret == 0 || (ret == -1 && !vs.has_pcp));
	EXPECT(vs.n == 0);
	vmstat_free(&vs);
	notes_check_free(&ns);
}

/* Each line cgroup_parse_keyed hands on: a key inside the input, no blanks. */
struct keyed_seen {
	const char *buf;
	size_t len, lines;
};

static void keyed_line(void *arg, const char *key, size_t keylen, uint64_t value)
{
	struct keyed_seen *k = arg;

	EXPECT(keylen > 0 && key >= k->buf && key + keylen <= k->buf + k->len);
	EXPECT(memchr(key, ' ', keylen) == NULL && memchr(key, '\n', keylen) == NULL);
	k->lines++;
}

/* Selector byte, low two bits: v2 memory.stat, v1 memory.stat,
 * memory.events (3: memory.events too). */
static void run_cgroup_keyed(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	static const struct {
		const struct cgroup_key_map *map;
		const size_t *n;
	} maps[] = {
		{ cgroup_stat_keys_v2, &cgroup_stat_keys_v2_n },
		{ cgroup_stat_keys_v1, &cgroup_stat_keys_v1_n },
		{ cgroup_event_keys, &cgroup_event_keys_n },
		{ cgroup_event_keys, &cgroup_event_keys_n },
	};
	struct cgroup_vals vals = { 0 };
	struct notes ns = { 0 };
	struct keyed_seen seen;
	size_t taken;

	if (len < 1)
		return;
	seen = (struct keyed_seen){ text(data + 1), len - 1, 0 };
	taken = cgroup_parse_keyed(seen.buf, seen.len, SOURCE, maps[data[0] & 3].map,
				   *maps[data[0] & 3].n, &vals, keyed_line, &seen, &ns);
	EXPECT(taken == seen.lines && taken <= seen.len);
	/* only values that were filled are present */
	EXPECT((vals.present >> CGV_COUNT) == 0);
	for (unsigned int i = 0; i < CGV_COUNT; i++)
		EXPECT((vals.present & (1u << i)) || vals.v[i] == 0);
	notes_check_free(&ns);
}

static void run_cgroup_value(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	uint64_t v = 0;
	bool is_max = false;
	int ret = cgroup_parse_value(text(data), len, &v, &is_max);

	EXPECT(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	EXPECT(!is_max || (ret == 0 && v == UINT64_MAX));
	(void)cgroup_limit_is_unlimited(v);
}

static void check_heap_str(const char *s)
{
	if (s)
		(void)strlen(s);	/* ASan: a terminated heap string */
}

static void run_cgroup_mounts(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct cgroup_mounts m = { 0 };
	struct notes ns = { 0 };

	if (cgroup_parse_mounts(text(data), len, SOURCE, &m, &ns) == 0) {
		check_heap_str(m.v2);
		check_heap_str(m.v2_root);
		check_heap_str(m.v1_memory);
		check_heap_str(m.v1_memory_root);
		check_heap_str(m.v1_systemd);
		EXPECT(m.v1_count > 0 || (!m.v1_memory && !m.v1_systemd));
	}
	cgroup_mounts_free(&m);
	notes_check_free(&ns);
}

static bool slice_within(const char *s, size_t n, const char *buf, size_t len)
{
	return !s || (s >= buf && n <= len && s + n <= buf + len);
}

static void run_cgroup_proc(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct cgroup_proc_paths cp = { 0 };
	const char *buf = text(data);

	if (cgroup_parse_proc(buf, len, &cp) == 0) {
		EXPECT(slice_within(cp.v2, cp.v2_len, buf, len));
		EXPECT(slice_within(cp.v1_memory, cp.v1_memory_len, buf, len));
	}
}

/* Every line through the splitter, each field decoded and each option
 * list searched, as the tmpfs sampler and the cgroup mount finder do. */
static void run_mountinfo_line(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	const char *buf = text(data), *line, *end;
	struct notes ns = { 0 };
	struct line_iter it;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &line, &end)) {
		struct mountinfo_line ml;
		const struct parse_word *w[] = { &ml.root, &ml.mountpoint, &ml.fstype, &ml.source,
						 &ml.super_opts };

		if (line == end || mountinfo_parse_line(line, end, it.lineno, SOURCE, &ml, &ns))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
			char *d;

			EXPECT(w[i]->n == 0 || (w[i]->s >= line && w[i]->s + w[i]->n <= end));
			d = mountinfo_decode(w[i]);
			EXPECT(d != NULL && strlen(d) <= w[i]->n);
			free(d);
		}
		(void)mountinfo_has_opt(&ml.super_opts, "memory");
		(void)mountinfo_has_opt(&ml.super_opts, "name=systemd");
	}
	notes_check_free(&ns);
}

/*
 * The sample decoder. Selector byte, low bit: 0, the bytes are a whole
 * record (header, zstd frame and all); 1, they are a record's body before
 * compression, which the adapter puts in a record of its own (a keyframe,
 * or a delta that follows the previous snapshot) so the fuzzer works on
 * the sections and not on zstd's checks.
 */
static void decode_check(struct sample_decoder *d, const uint8_t *rec, size_t len,
			 const struct snapshot *prev)
{
	const char *err = NULL;
	struct snapshot *s = sample_decode(d, rec, len, prev, &err);

	EXPECT((s == NULL) == (err != NULL));
	if (s) {
		EXPECT(s->refs == 1);
		EXPECT(s->socks.n <= s->socks.cap && s->procs.n <= s->procs.cap);
		snapshot_unref(s);
	} else {
		EXPECT(strlen(err) > 0);
	}
}

/* One decoder for every input: a keyframe resets what the decoder kept
 * (dictionary, group) before it uses any of it, so each input meets the
 * same state, without a zstd context made per input. */
static struct sample_decoder *keyframe_dec;

static void run_sample_keyframe(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct buf rec = { 0 };

	if (len < 1)
		return;
	if (!keyframe_dec)
		keyframe_dec = sample_decoder_new();
	if (data[0] & 1) {
		fuzz_record_wrap(&rec, true, 1, 0, 1, data + 1, len - 1);
		decode_check(keyframe_dec, (const uint8_t *)rec.data, rec.len, NULL);
	} else {
		decode_check(keyframe_dec, data + 1, len - 1, NULL);
	}
	buf_free(&rec);
}

/* The previous snapshot of the delta target: a fixture tree's first
 * sample, encoded as a keyframe and decoded back, built once. */
static struct {
	struct buf key;			/* the keyframe record */
	struct buf reset;		/* its dictionary alone, as a keyframe */
	struct snapshot *prev;		/* decoded from key */
	struct sample_record_info info;
	struct sample_decoder *dec;
	bool dirty;			/* dec may no longer hold just the keyframe */
} delta_base;

/*
 * What a decoder keeps from a keyframe is its dictionary and group, not
 * its rows (those are in prev). A keyframe of the same group holding the
 * same dictionary and no section leaves the decoder just as the base
 * keyframe does, for a small part of the cost of decoding every row again.
 */
static void delta_reset_record(void)
{
	const struct sample_record_info *ki = &delta_base.info;
	struct wire_in in = { (const uint8_t *)delta_base.key.data,
			      (const uint8_t *)delta_base.key.data + delta_base.key.len, false };
	struct wire_in body;
	uint64_t raw_len, count;
	void *raw;

	EXPECT(wire_get_bytes(&in, 2) != NULL);	/* version, flags */
	for (int i = 0; i < 3; i++)		/* seq, prev_seq, group */
		(void)wire_get_u64(&in);
	raw_len = wire_get_u64(&in);
	EXPECT(!in.bad && raw_len <= SAMPLE_RAW_MAX);
	raw = malloc(raw_len ? raw_len : 1);
	EXPECT(raw != NULL);
	EXPECT(ZSTD_decompress(raw, raw_len, in.p, wire_left(&in)) == raw_len);
	body = (struct wire_in){ raw, (const uint8_t *)raw + raw_len, false };
	(void)wire_get_u64(&body);		/* dict_first */
	count = wire_get_u64(&body);
	for (uint64_t k = 0; k < count && !body.bad; k++)
		(void)wire_get_bytes(&body, wire_get_u64(&body));
	EXPECT(!body.bad);
	fuzz_record_wrap(&delta_base.reset, true, ki->seq, 0, ki->group, raw,
			 (size_t)(body.p - (const uint8_t *)raw));
	free(raw);
}

/* Built once, with a proof that the reset record does what the base
 * keyframe does: the fixture's second sample, as a delta, decodes after it
 * to what was encoded. */
static void delta_base_init(void)
{
	struct sample_encoder *e = sample_encoder_new(0);
	struct sample_decoder *d = sample_decoder_new();
	struct snapshot *s[2], *k;
	struct buf delta = { 0 };
	const char *err;
	char why[256];

	EXPECT(fuzz_fixture_samples(FIXTURES_DIR, FUZZ_SAMPLE_TREE, s, 2) == 0);
	EXPECT(sample_encode(e, s[0], true, &delta_base.key) == 0);
	EXPECT(sample_encode(e, s[1], false, &delta) == 0);
	EXPECT(sample_record_peek(delta_base.key.data, delta_base.key.len, &delta_base.info) == 0);
	delta_base.prev = sample_decode(d, delta_base.key.data, delta_base.key.len, NULL, &err);
	EXPECT(delta_base.prev != NULL);
	delta_base.dec = d;
	delta_reset_record();
	k = sample_decode(d, delta_base.reset.data, delta_base.reset.len, NULL, &err);
	EXPECT(k != NULL && k->refs == 1);
	snapshot_unref(k);
	k = sample_decode(d, delta.data, delta.len, delta_base.prev, &err);
	EXPECT(k != NULL && snapshot_equal(k, s[1], why, sizeof(why)));
	snapshot_unref(k);
	delta_base.dirty = true;
	buf_free(&delta);
	snapshot_unref(s[0]);
	snapshot_unref(s[1]);
	sample_encoder_free(e);
}

/*
 * Whether decoding an input may change what the decoder holds (dictionary,
 * group): only a record that passes the header checks gets that far, and
 * of a delta body only a dictionary part that adds entries. The reset is
 * cheap, but a typical input is cheaper still.
 */
static bool delta_may_touch(const uint8_t *data, size_t len)
{
	const struct sample_record_info *ki = &delta_base.info;
	struct sample_record_info info;
	struct wire_in body = { data + 1, data + len, false };
	uint64_t count;

	if (data[0] & 1) {
		(void)wire_get_u64(&body);	/* dict_first */
		count = wire_get_u64(&body);
		return !body.bad && count > 0;
	}
	if (sample_record_peek(data + 1, len - 1, &info))
		return false;
	return info.keyframe || (info.prev_seq == delta_base.prev->seq && info.group == ki->group);
}

static void run_sample_delta(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	const struct sample_record_info *ki = &delta_base.info;
	struct sample_decoder *d;
	struct buf rec = { 0 };
	struct snapshot *k;
	const char *err;

	if (!delta_base.prev)
		delta_base_init();
	if (len < 1)
		return;
	d = delta_base.dec;
	/* every input meets the decoder as the base keyframe left it */
	if (delta_base.dirty) {
		k = sample_decode(d, delta_base.reset.data, delta_base.reset.len, NULL, &err);
		EXPECT(k != NULL);
		snapshot_unref(k);
	}
	delta_base.dirty = delta_may_touch(data, len);
	if (data[0] & 1) {
		fuzz_record_wrap(&rec, false, ki->seq + 1, ki->seq, ki->group, data + 1, len - 1);
		decode_check(d, (const uint8_t *)rec.data, rec.len, delta_base.prev);
	} else {
		decode_check(d, data + 1, len - 1, delta_base.prev);
	}
	buf_free(&rec);
}

/*
 * The recording reader on a file holding the input: open (header), scan
 * (frames, CRCs, resync after damage), then decode the samples as a replay
 * steps through them. The file is a memfd, named by a symlink ending in
 * .ltr in a directory made once: no disk write per input. Selector byte,
 * low bit: 0, the bytes as they are; 1, with the CRCs of the header and of
 * every frame found by its sync word set right first (recording_fix_crcs),
 * so that a change to a header field or a frame reaches the code behind
 * the CRC check.
 */
#define REC_FUZZ_SAMPLES 16	/* decoded per input; a scan indexes them all */

static char rec_dir[PATH_MAX - 32], rec_path[PATH_MAX];	/* rec_path: rec_dir/fuzz.ltr */
static int rec_fd = -1;

static void rec_cleanup(void)
{
	unlink(rec_path);
	rmdir(rec_dir);
}

static void rec_init(void)
{
	const char *tmp = getenv("TMPDIR");
	char target[64];

	snprintf(rec_dir, sizeof(rec_dir), "%s/leaktop-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	EXPECT(mkdtemp(rec_dir) != NULL);
	snprintf(rec_path, sizeof(rec_path), "%s/fuzz%s", rec_dir, REC_SUFFIX);
	rec_fd = memfd_create("leaktop-fuzz-recording", MFD_CLOEXEC);
	EXPECT(rec_fd >= 0);
	snprintf(target, sizeof(target), "/proc/self/fd/%d", rec_fd);
	EXPECT(symlink(target, rec_path) == 0);
	atexit(rec_cleanup);
}

static uint32_t le_get(const uint8_t *b, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static void le_put32(uint8_t *b, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* The layout of recfile.c: the header's length at 12, its CRC in its last
 * four bytes; a frame's CRC at 20, over bytes 4..19 and the payload. */
static void recording_fix_crcs(uint8_t *b, size_t n)
{
	size_t pos = 0;

	if (n >= 16) {
		size_t hlen = le_get(b + 12, 4);

		if (hlen >= 20 && hlen <= n && hlen <= REC_HEADER_MAX) {
			le_put32(b + hlen - 4, crc32c(0, b, hlen - 4));
			pos = hlen;
		}
	}
	while (pos + REC_FRAME_HEAD <= n) {
		uint32_t flen = le_get(b + pos + 4, 4);

		if (le_get(b + pos, 4) != REC_SYNC || flen == 0 || flen > n - pos - REC_FRAME_HEAD) {
			pos++;
			continue;
		}
		le_put32(b + pos + 20, crc32c(crc32c(0, b + pos + 4, 16), b + pos + REC_FRAME_HEAD, flen));
		pos += REC_FRAME_HEAD + flen;
	}
}

static void run_recording(const struct fuzz_parser *p, const uint8_t *data, size_t len)
{
	struct rec_reader *r;
	uint8_t *fixed = NULL;
	char err[512];

	if (len < 1)
		return;
	if (rec_fd < 0)
		rec_init();
	if (data[0] & 1) {
		fixed = malloc(len);
		EXPECT(fixed != NULL);
		memcpy(fixed, data, len);
		recording_fix_crcs(fixed + 1, len - 1);
	}
	len--;
	EXPECT(ftruncate(rec_fd, 0) == 0 &&
	       pwrite(rec_fd, fixed ? fixed + 1 : data + 1, len, 0) == (ssize_t)len);
	free(fixed);
	r = rec_reader_open(rec_path, err, sizeof(err));
	if (!r) {
		EXPECT(terminated(err, sizeof(err)) && err[0] != '\0');
		return;
	}
	EXPECT(rec_reader_nfiles(r) == 1 && rec_reader_tail(r) <= len);
	for (size_t i = 0; i < rec_reader_count(r); i++) {
		const struct rec_entry *e = rec_reader_entry(r, i);

		EXPECT(e->file == 0 && e->off + REC_FRAME_HEAD + e->len <= len);
		EXPECT(i == 0 || e->off > rec_reader_entry(r, i - 1)->off);
	}
	EXPECT(rec_reader_scan(r) == 0);	/* nothing appended since */
	for (size_t i = 0; i < rec_reader_count(r) && i < REC_FUZZ_SAMPLES; i++) {
		const char *serr = NULL;
		struct snapshot *s = rec_reader_sample(r, i, &serr);

		EXPECT((s == NULL) == (serr != NULL));
		if (s)
			snapshot_unref(s);
	}
	notes_check_free_const(rec_reader_notes(r));
	rec_reader_free(r);
}

const struct fuzz_parser fuzz_parsers[] = {
	{ "meminfo", run_meminfo },
	{ "slabinfo", run_slabinfo },
	{ "vmallocinfo", run_vmallocinfo },
	{ "mountinfo", run_mountinfo },
	{ "sysv_shm", run_sysv_shm },
	{ "sockstat", run_tcpmem, { .tcpmem = tcpmem_parse_sockstat } },
	{ "netstat_snmp", run_tcpmem, { .tcpmem = tcpmem_parse_counters } },
	{ "protocols", run_tcpmem, { .tcpmem = tcpmem_parse_protocols } },
	{ "procnet_inet", run_procnet_inet },
	{ "procnet_unix", run_procnet, { .procnet = procnet_parse_unix } },
	{ "procnet_packet", run_procnet, { .procnet = procnet_parse_packet } },
	{ "procnet_netlink", run_procnet, { .procnet = procnet_parse_netlink } },
	{ "proc_stat", run_proc, { .proc = proc_parse_stat } },
	{ "proc_status", run_proc, { .proc = proc_parse_status } },
	{ "proc_smaps_rollup", run_proc, { .proc = proc_parse_smaps_rollup } },
	{ "kstack", run_kstack },
	{ "sockdiag_inet", run_sockdiag_inet },
	{ "sockdiag_unix", run_sockdiag, { .sock_kind = SK_UNIX } },
	{ "sockdiag_packet", run_sockdiag, { .sock_kind = SK_PACKET } },
	{ "sockdiag_netlink", run_sockdiag, { .sock_kind = SK_NETLINK } },
	{ "vmstat", run_vmstat },
	{ "zoneinfo", run_zoneinfo },
	{ "cgroup_keyed", run_cgroup_keyed },
	{ "cgroup_value", run_cgroup_value },
	{ "cgroup_mounts", run_cgroup_mounts },
	{ "cgroup_proc", run_cgroup_proc },
	{ "mountinfo_line", run_mountinfo_line },
	{ "sample_keyframe", run_sample_keyframe },
	{ "sample_delta", run_sample_delta },
	{ "recording", run_recording },
};
const size_t fuzz_parsers_n = ARRAY_SIZE(fuzz_parsers);

const struct fuzz_parser *fuzz_parser_find(const char *name)
{
	for (size_t i = 0; i < fuzz_parsers_n; i++)
		if (strcmp(fuzz_parsers[i].name, name) == 0)
			return &fuzz_parsers[i];
	return NULL;
}
