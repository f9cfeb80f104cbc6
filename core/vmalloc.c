/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmallocinfo parser: one line per area, aggregated by caller symbol
 * (offset stripped, " [module]" kept) and kind. Reads nothing itself: the
 * sampler hands it the text of <proc>/vmallocinfo. RAM comes only from
 * "pages=N"; "unpurged vm_area" lines are lazily freed ranges and are only
 * counted. A malformed line is skipped with a note naming its line.
 */
#include "vmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "parse.h"
#include "xalloc.h"

#define NO_CALLER "(none)"

/* Flag words in the order mm/vmalloc.c prints them; the first one seen is
 * the area's kind. */
static const char *const kind_words[] = {
	"ioremap", "sparse", "vmalloc", "vmap", "user", "dma-coherent",
};

static const char *const stack_callers[] = {
	"kernel_clone", "copy_process", "dup_task_struct", "alloc_thread_stack_node",
};

/* Copy src into dst of size dstsz; false (dst untouched) if it does not fit. */
static bool copy_str(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

struct agg {
	struct vmalloc_caller *v;
	size_t n, cap;
	size_t *slot;		/* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

static uint64_t hash_key(const char *caller, const char *kind)
{
	/* 0xff never occurs in either string: "ab"+"c" and "a"+"bc" differ. */
	uint64_t h = hash_bytes("\xff", 1, hash_str(caller, HASH_INIT));

	return hash_str(kind, h);
}

static void agg_rehash(struct agg *a)
{
	size_t nslot = a->nslot ? a->nslot * 2 : 64;

	free(a->slot);
	a->slot = xcalloc(nslot, sizeof(*a->slot));
	a->nslot = nslot;
	for (size_t i = 0; i < a->n; i++) {
		size_t h = hash_key(a->v[i].caller, a->v[i].kind) & (nslot - 1);

		while (a->slot[h])
			h = (h + 1) & (nslot - 1);
		a->slot[h] = i + 1;
	}
}

static struct vmalloc_caller *agg_get(struct agg *a, const char *caller, const char *kind)
{
	size_t h;

	if ((a->n + 1) * 2 > a->nslot)
		agg_rehash(a);
	h = hash_key(caller, kind) & (a->nslot - 1);
	while (a->slot[h]) {
		struct vmalloc_caller *c = &a->v[a->slot[h] - 1];

		if (strcmp(c->caller, caller) == 0 && strcmp(c->kind, kind) == 0)
			return c;
		h = (h + 1) & (a->nslot - 1);
	}
	xgrow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v));
	memset(&a->v[a->n], 0, sizeof(*a->v));
	copy_str(a->v[a->n].caller, sizeof(a->v->caller), caller);
	copy_str(a->v[a->n].kind, sizeof(a->v->kind), kind);
	a->slot[h] = a->n + 1;
	return &a->v[a->n++];
}

static bool is_kind_word(const char *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(kind_words); i++)
		if (strcmp(w, kind_words[i]) == 0)
			return true;
	return strcmp(w, "vpages") == 0;
}

static bool is_stack_caller(const char *caller)
{
	for (size_t i = 0; i < ARRAY_SIZE(stack_callers); i++)
		if (strcmp(caller, stack_callers[i]) == 0)
			return true;
	return false;
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return true;
	return false;
}

/* Fills caller/kind/pages/has_pages/size of one area; NULL or a message.
 * A word a newer kernel added (a flag after the caller) does not cost the
 * area its RAM: the first such word goes to unknown for a note. */
static const char *parse_area(const char *line, const char *end, char *caller, size_t callersz,
			      char *kind, size_t kindsz, uint64_t *size, uint64_t *pages,
			      bool *has_pages, bool *unpurged, char unknown[32])
{
	const char *p = line;
	char w[160];
	size_t n;

	*caller = *kind = *unknown = '\0';
	*pages = 0;
	*has_pages = *unpurged = false;
	n = parse_word(&p, end, w, sizeof(w));
	if (!n || n >= sizeof(w) || !strchr(w, '-'))
		return "expected 'start-end' range";
	if (parse_u64(&p, end, 10, size) || (p < end && *p != ' ' && *p != '\t'))
		return "expected the size after the range";
	while ((n = parse_word(&p, end, w, sizeof(w)))) {
		if (n >= sizeof(w))
			return "overlong word";
		if (has_control(w))
			return "control character in line";
		if (strcmp(w, "unpurged") == 0 && !*caller) {
			*unpurged = true;
			return NULL;
		}
		if (strcmp(w, "vm_map_ram") == 0 && !*caller && !*kind) {
			copy_str(kind, kindsz, "vm_map_ram");
			continue;
		}
		if (strncmp(w, "pages=", 6) == 0) {
			const char *q = w + 6;

			if (parse_u64(&q, w + n, 10, pages) || *q)
				return "bad pages= value";
			*has_pages = true;
			continue;
		}
		if (strchr(w, '='))
			continue;	/* phys=, N0=: not needed */
		if (is_kind_word(w)) {
			if (!*kind && strcmp(w, "vpages") != 0)
				copy_str(kind, kindsz, w);
			continue;
		}
		if (w[0] == '[' && w[n - 1] == ']' && *caller) {
			size_t cl = strlen(caller);

			if (cl + 1 + n < callersz) {
				caller[cl] = ' ';
				memcpy(caller + cl + 1, w, n + 1);
			}
			continue;
		}
		if (!*caller && !*kind) {
			char *plus = strchr(w, '+');

			if (plus)
				*plus = '\0';
			/* A long (Rust) symbol is cut rather than losing the area's RAM. */
			if (callersz <= sizeof(w))
				w[callersz - 1] = '\0';
			copy_str(caller, callersz, w);
			continue;
		}
		if (!*unknown)
			snprintf(unknown, 32, "%s", w);
	}
	if (!*caller)
		copy_str(caller, callersz, NO_CALLER);
	if (!*kind)
		copy_str(kind, kindsz, "other");
	return NULL;
}

static int caller_cmp(const void *a, const void *b)
{
	const struct vmalloc_caller *x = a, *y = b;
	int r = strcmp(x->caller, y->caller);

	return r ? r : strcmp(x->kind, y->kind);
}

int vmallocinfo_parse(const char *buf, size_t len, const char *source, long page_size,
		      struct vmalloc_table *out, struct notes *notes)
{
	struct agg a = { 0 };
	struct line_iter it;
	const char *line, *end;
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (page_size <= 0)
		page_size = 4096;
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &line, &end)) {
		char caller[sizeof(out->v->caller)], kind[sizeof(out->v->kind)], unknown[32];
		uint64_t size, pages;
		bool has_pages, unpurged;
		struct vmalloc_caller *c;
		const char *err;

		if (parse_skip_blank(line, end) == end)
			continue;
		err = parse_area(line, end, caller, sizeof(caller), kind, sizeof(kind), &size,
				 &pages, &has_pages, &unpurged, unknown);
		if (err) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "%s", err);
			continue;
		}
		if (*unknown)
			notes_add(notes, NOTE_WARN, source, it.lineno,
				  "unknown word '%s' ignored, area counted", unknown);
		any = true;
		if (unpurged) {
			out->unpurged_areas++;
			continue;
		}
		c = agg_get(&a, caller, kind);
		c->areas++;
		c->vsize_bytes = sat_add_u64(c->vsize_bytes, size);
		if (has_pages) {
			uint64_t b = sat_mul_u64(pages, (uint64_t)page_size);

			c->pages = sat_add_u64(c->pages, pages);
			c->bytes = sat_add_u64(c->bytes, b);
			out->total_bytes = sat_add_u64(out->total_bytes, b);
			/* 16 KiB stacks (8 KiB on some arm64, 32 KiB with KASAN). */
			if ((pages == 2 || pages == 4 || pages == 8) && is_stack_caller(caller))
				out->has_stack_areas = true;
		}
		if (strcmp(kind, "ioremap") == 0)
			out->ioremap_vsize_bytes = sat_add_u64(out->ioremap_vsize_bytes, size);
	}
	line_iter_note_truncated(&it, notes, source);
	free(a.slot);
	if (a.n)
		qsort(a.v, a.n, sizeof(*a.v), caller_cmp);
	out->v = a.v;
	out->n = a.n;
	if (!any) {
		notes_add(notes, NOTE_WARN, source, 0, "no area line could be parsed");
		return -1;
	}
	return 0;
}

const struct vmalloc_caller *vmalloc_table_find(const struct vmalloc_table *t, const char *caller,
						 const char *kind)
{
	struct vmalloc_caller key;

	if (!t->n)
		return NULL;
	if (!copy_str(key.caller, sizeof(key.caller), caller) ||
	    !copy_str(key.kind, sizeof(key.kind), kind))
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(*t->v), caller_cmp);
}

void vmalloc_table_copy(struct vmalloc_table *dst, const struct vmalloc_table *src)
{
	*dst = *src;
	dst->v = NULL;
	if (src->n) {
		dst->v = xreallocarray(NULL, src->n, sizeof(*src->v));
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	}
}

void vmalloc_table_free(struct vmalloc_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
