/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroup_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "mountinfo.h"
#include "parse.h"

/* v2 memory.stat as Documentation/admin-guide/cgroup-v2.rst names it. */
const struct cgroup_key_map cgroup_stat_keys_v2[] = {
	{ "anon", CGV_ANON, 1 },
	{ "file", CGV_FILE, 1 },
	{ "shmem", CGV_SHMEM, 1 },
	{ "kernel", CGV_KERNEL, 1 },
	{ "slab_reclaimable", CGV_SLAB_R, 1 },
	{ "slab_unreclaimable", CGV_SLAB_U, 1 },
	{ "sock", CGV_SOCK, 1 },
	{ "kernel_stack", CGV_KSTACK, 1 },
	{ "pagetables", CGV_PAGETABLES, 1 },
	{ "percpu", CGV_PERCPU, 1 },
	{ "vmalloc", CGV_VMALLOC, 1 },
};
const size_t cgroup_stat_keys_v2_n = ARRAY_SIZE(cgroup_stat_keys_v2);

/* v1 memory.stat: the total_ keys count the subtree, as every v2 figure
 * does; the plain ones (this cgroup alone) only fill in when total_ is
 * absent. */
const struct cgroup_key_map cgroup_stat_keys_v1[] = {
	{ "total_rss", CGV_ANON, 2 },
	{ "rss", CGV_ANON, 1 },
	{ "total_cache", CGV_FILE, 2 },
	{ "cache", CGV_FILE, 1 },
	{ "total_shmem", CGV_SHMEM, 2 },
	{ "shmem", CGV_SHMEM, 1 },
};
const size_t cgroup_stat_keys_v1_n = ARRAY_SIZE(cgroup_stat_keys_v1);

const struct cgroup_key_map cgroup_event_keys[] = {
	{ "low", CGV_EV_LOW, 1 },
	{ "high", CGV_EV_HIGH, 1 },
	{ "max", CGV_EV_MAX, 1 },
	{ "oom", CGV_EV_OOM, 1 },
	{ "oom_kill", CGV_EV_OOM_KILL, 1 },
};
const size_t cgroup_event_keys_n = ARRAY_SIZE(cgroup_event_keys);

void cgroup_vals_set(struct cgroup_vals *vals, const struct cgroup_key_map *m, uint64_t v)
{
	uint32_t bit = 1u << m->val;

	if ((vals->present & bit) && vals->prio[m->val] > m->prio)
		return;
	vals->v[m->val] = v;
	vals->prio[m->val] = m->prio;
	vals->present |= bit;
}

int cgroup_key_find(const struct cgroup_key_map *map, size_t nmap, const char *key, size_t n)
{
	for (size_t i = 0; i < nmap; i++)
		if (n && map[i].key[0] == key[0] && strlen(map[i].key) == n &&
		    !memcmp(map[i].key, key, n))
			return (int)i;
	return -1;
}

/*
 * The kernel's own form of a line, "key value" with one space and at most
 * 19 digits (below 2^64, so no overflow check per digit), taken without
 * the general word split: memory.stat is some 50 such lines per cgroup,
 * every sample. false: the general path decides, notes included.
 */
static bool keyed_line_fast(const char *line, const char *end, struct parse_word *key,
			    uint64_t *v)
{
	const char *p = line;
	uint64_t x = 0;

	while (p < end && *p != ' ') {
		if (*p == '\t' || *p == '\r')
			return false;
		p++;
	}
	if (p == line || p == end || end - (p + 1) > 19 || p + 1 == end)
		return false;
	key->s = line;
	key->n = (size_t)(p - line);
	for (p++; p < end; p++) {
		unsigned int d = (unsigned int)(unsigned char)*p - '0';

		if (d > 9)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

size_t cgroup_parse_keyed(const char *buf, size_t len, const char *source,
			  const struct cgroup_key_map *map, size_t nmap, struct cgroup_vals *vals,
			  cgroup_kv_fn kv, void *arg, struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	size_t taken = 0;

	line_iter_init(&it, buf, buf ? len : 0);
	while (line_iter_next(&it, &line, &end)) {
		struct parse_word w[3];
		uint64_t v;
		int m;

		if (!keyed_line_fast(line, end, &w[0], &v)) {
			size_t nw = parse_split_words(line, end, w, ARRAY_SIZE(w));
			int ret;

			if (nw == 0)
				continue;
			ret = nw == 2 ? parse_word_u64(&w[1], &v) : -EINVAL;
			if (ret) {
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  ret == -ERANGE ? "value out of range, line skipped"
							 : "expected \"key value\", line skipped");
				continue;
			}
		}
		taken++;
		m = nmap ? cgroup_key_find(map, nmap, w[0].s, w[0].n) : -1;
		if (m >= 0)
			cgroup_vals_set(vals, &map[m], v);
		if (kv)
			kv(arg, w[0].s, w[0].n, v);
	}
	line_iter_note_truncated(&it, notes, source);
	return taken;
}

int cgroup_parse_value(const char *buf, size_t len, uint64_t *v, bool *is_max)
{
	struct parse_word w[2];
	size_t nw = buf ? parse_split_words(buf, buf + len, w, ARRAY_SIZE(w)) : 0;

	/* The file ends in a newline, which the splitter does not treat as a
	 * blank: take it off the one word. */
	if (nw == 1 && w[0].n && w[0].s[w[0].n - 1] == '\n')
		w[0].n--;
	*is_max = false;
	if (nw != 1)
		return -EINVAL;
	if (w[0].n == 3 && !memcmp(w[0].s, "max", 3)) {
		*is_max = true;
		*v = UINT64_MAX;
		return 0;
	}
	return parse_word_u64(&w[0], v);
}

bool cgroup_limit_is_unlimited(uint64_t v)
{
	return v >= (1ULL << 62);
}

static void set_mount(char **dst, char **dst_root, const struct mountinfo_line *ml)
{
	/* The last mount at a point is the one reachable; take the later line. */
	free(*dst);
	*dst = mountinfo_decode(&ml->mountpoint);
	if (dst_root) {
		free(*dst_root);
		*dst_root = mountinfo_decode(&ml->root);
	}
}

static bool word_is(const struct parse_word *w, const char *s)
{
	return w->n == strlen(s) && !memcmp(w->s, s, w->n);
}

int cgroup_parse_mounts(const char *buf, size_t len, const char *source,
			struct cgroup_mounts *out, struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	bool any = false;

	memset(out, 0, sizeof(*out));
	line_iter_init(&it, buf, buf ? len : 0);
	while (line_iter_next(&it, &line, &end)) {
		struct mountinfo_line ml;

		if (parse_skip_blank(line, end) == end)
			continue;
		if (mountinfo_parse_line(line, end, it.lineno, source, &ml, notes))
			continue;
		any = true;
		if (word_is(&ml.fstype, "cgroup2")) {
			set_mount(&out->v2, &out->v2_root, &ml);
		} else if (word_is(&ml.fstype, "cgroup")) {
			out->v1_count++;
			if (mountinfo_has_opt(&ml.super_opts, "memory"))
				set_mount(&out->v1_memory, &out->v1_memory_root, &ml);
			else if (mountinfo_has_opt(&ml.super_opts, "name=systemd"))
				set_mount(&out->v1_systemd, NULL, &ml);
		}
	}
	line_iter_note_truncated(&it, notes, source);
	if (!any) {
		notes_add(notes, NOTE_WARN, source, 0, "no mount line could be parsed");
		return -1;
	}
	return 0;
}

void cgroup_mounts_free(struct cgroup_mounts *m)
{
	free(m->v2);
	free(m->v2_root);
	free(m->v1_memory);
	free(m->v1_memory_root);
	free(m->v1_systemd);
	memset(m, 0, sizeof(*m));
}

/* The controller list "cpu,memory" names memory. */
static bool controllers_have_memory(const char *s, size_t n)
{
	struct parse_word w = { s, n };

	return mountinfo_has_opt(&w, "memory");
}

int cgroup_parse_proc(const char *buf, size_t len, struct cgroup_proc_paths *out)
{
	struct line_iter it;
	const char *line, *end;
	bool any = false;

	memset(out, 0, sizeof(*out));
	line_iter_init(&it, buf, buf ? len : 0);
	while (line_iter_next(&it, &line, &end)) {
		const char *c1 = memchr(line, ':', (size_t)(end - line)), *c2, *p = line;
		uint64_t id;

		if (!c1 || parse_u64(&p, c1, 10, &id) || p != c1)
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
		if (!c2 || c2 + 1 >= end || c2[1] != '/')
			continue;
		any = true;
		if (id == 0 && c2 == c1 + 1) {
			out->v2 = c2 + 1;
			out->v2_len = (size_t)(end - c2 - 1);
		} else if (controllers_have_memory(c1 + 1, (size_t)(c2 - c1 - 1))) {
			out->v1_memory = c2 + 1;
			out->v1_memory_len = (size_t)(end - c2 - 1);
		}
	}
	return any ? 0 : -EINVAL;
}
