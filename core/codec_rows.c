/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The row-table delta coder (format in codec_rows.h). The decoder reads
 * bytes from disk: every count is checked against what is left, every
 * string id against the dictionary, and a half-decoded row never holds a
 * pointer it does not own, so a failed decode frees cleanly.
 */
#include "codec_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum run_op { OP_KEEP, OP_GONE, OP_NEW, OP_CHANGE };

uint64_t codec_int_get(const void *row, const struct codec_field *f)
{
	const char *p = (const char *)row + f->off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64 = 0;

	switch (f->size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static void int_set(void *row, uint32_t off, uint16_t size, uint64_t v)
{
	char *p = (char *)row + off;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/* cur - prev in the field's width, sign-extended: -1 stays one byte. */
static int64_t int_delta(uint64_t cur, uint64_t prev, unsigned int size)
{
	uint64_t d = cur - prev;

	if (size < 8) {
		unsigned int bits = size * 8;
		uint64_t mask = (1ULL << bits) - 1;

		d &= mask;
		if (d >> (bits - 1))
			d |= ~mask;
	}
	return (int64_t)d;
}

uint64_t codec_run_gap(const void *rows, size_t i, size_t row_size, const struct codec_field *f)
{
	const char *r = (const char *)rows + i * row_size;
	uint32_t first, end = 0, prev_first, prev_n;

	memcpy(&first, r + f->off, 4);
	if (i) {
		memcpy(&prev_first, r - row_size + f->off, 4);
		memcpy(&prev_n, r - row_size + f->off2, 4);
		end = prev_first + prev_n;
	}
	return (uint32_t)(first - end);
}

bool codec_str_get(const struct snapshot *s, const void *row, const struct codec_field *f,
		   struct buf *scratch, const char **p, size_t *len)
{
	const char *r = (const char *)row + f->off;
	const char *str;

	switch (f->kind) {
	case CF_CHARS:
		*p = r;
		*len = strnlen(r, f->size);
		return true;
	case CF_FN:
		scratch->len = 0;
		f->get(s, row, scratch);
		*p = scratch->data ? scratch->data : "";
		*len = scratch->len;
		return true;
	default:
		memcpy(&str, r, sizeof(str));
		if (!str)
			return false;
		*p = str;
		*len = strlen(str);
		return true;
	}
}

bool codec_field_same(const struct snapshot *sa, const void *ra_rows, size_t ia,
		      const struct snapshot *sb, const void *rb_rows, size_t ib,
		      const struct codec_table *t, const struct codec_field *f,
		      struct buf *sa_scratch, struct buf *sb_scratch)
{
	const char *ra = (const char *)ra_rows + ia * t->row_size;
	const char *rb = (const char *)rb_rows + ib * t->row_size;
	const char *pa, *pb;
	size_t la, lb;
	bool ha, hb;

	if (f->kind == CF_INT)
		return codec_int_get(ra, f) == codec_int_get(rb, f);
	if (f->kind == CF_RUN)
		return codec_run_gap(ra_rows, ia, t->row_size, f) ==
		       codec_run_gap(rb_rows, ib, t->row_size, f);
	ha = codec_str_get(sa, ra, f, sa_scratch, &pa, &la);
	hb = codec_str_get(sb, rb, f, sb_scratch, &pb, &lb);
	if (ha != hb)
		return false;
	return !ha || (la == lb && !memcmp(pa, pb, la));
}

/* ---- encoder ---------------------------------------------------------------- */

/* The rows of one run go straight into out after a hole for the run's
 * header (count and op), which is filled once the run ends. */
struct run_state {
	int op;
	size_t n;
	size_t hole;	/* where in out the header goes */
};

static void run_flush(struct run_state *r, struct buf *out)
{
	if (r->n)
		wire_hole_close(out, r->hole, (uint64_t)r->n << 2 | (unsigned int)r->op);
	r->n = 0;
}

/* Count one row in the current run; its payload, if any, is in c->row. */
static void run_add(struct codec_enc_ctx *c, struct run_state *r, int op, struct buf *out)
{
	if (r->n && r->op != op)
		run_flush(r, out);
	if (!r->n)
		r->hole = wire_hole_open(out);
	r->op = op;
	r->n++;
	wire_put_bytes(out, c->row.data, c->row.len);
	c->row.len = 0;
}

static void put_str(struct codec_enc_ctx *c, const struct snapshot *s, const void *row,
		    const struct codec_field *f)
{
	const char *p;
	size_t len;

	if (codec_str_get(s, row, f, &c->scratch[0], &p, &len))
		wire_put_u64(&c->row, str_dict_intern(c->dict, p, len));
	else
		wire_put_u64(&c->row, 0);
}

static void encode_new(struct codec_enc_ctx *c, const struct codec_table *t,
		       const struct snapshot *s, const void *rows, size_t j)
{
	const char *row = (const char *)rows + j * t->row_size;

	for (size_t k = 0; k < t->nf; k++) {
		const struct codec_field *f = &t->f[k];

		if (f->kind == CF_INT)
			wire_put_s64(&c->row, int_delta(codec_int_get(row, f), 0, f->size));
		else if (f->kind == CF_RUN)
			wire_put_s64(&c->row, int_delta(codec_run_gap(rows, j, t->row_size, f), 0, 4));
		else
			put_str(c, s, row, f);
	}
}

/* The bytes of a table's integer fields, as runs of adjacent fields: the
 * padding between them (never written in some tables) is left out. */
struct int_spans {
	uint16_t off[CODEC_MAX_FIELDS], len[CODEC_MAX_FIELDS];
	size_t n;
};

static void int_spans_of(const struct codec_table *t, struct int_spans *sp)
{
	sp->n = 0;
	for (size_t k = 0; k < t->nf; k++) {
		const struct codec_field *f = &t->f[k];

		if (f->kind != CF_INT)
			continue;
		if (sp->n && sp->off[sp->n - 1] + sp->len[sp->n - 1] == f->off) {
			sp->len[sp->n - 1] += (uint16_t)f->size;
		} else {
			sp->off[sp->n] = (uint16_t)f->off;
			sp->len[sp->n] = (uint16_t)f->size;
			sp->n++;
		}
	}
}

static bool int_spans_same(const struct int_spans *sp, const char *a, const char *b)
{
	for (size_t k = 0; k < sp->n; k++)
		if (memcmp(a + sp->off[k], b + sp->off[k], sp->len[k]))
			return false;
	return true;
}

/* Writes the CHANGE payload to c->row; returns false (nothing written) when
 * no field differs. */
static bool encode_change(struct codec_enc_ctx *c, const struct codec_table *t,
			  const struct int_spans *ints, const struct snapshot *sp,
			  const void *prows, size_t i, const struct snapshot *sc, const void *crows,
			  size_t j)
{
	const char *pr = (const char *)prows + i * t->row_size;
	const char *cr = (const char *)crows + j * t->row_size;
	uint16_t changed[CODEC_MAX_FIELDS];
	size_t n = 0, last = 0;
	/* Most rows did not change at all: one compare of the integer fields'
	 * bytes settles them all, and only the other fields need a look. */
	bool same_ints = int_spans_same(ints, pr, cr);

	for (size_t k = 0; k < t->nf; k++) {
		if (same_ints && t->f[k].kind == CF_INT)
			continue;
		if (!codec_field_same(sp, prows, i, sc, crows, j, t, &t->f[k], &c->scratch[0],
				      &c->scratch[1]))
			changed[n++] = (uint16_t)k;
	}
	for (size_t m = 0; m < n; m++) {
		const struct codec_field *f = &t->f[changed[m]];
		size_t gap = changed[m] - (m ? last + 1 : 0);

		wire_put_u64(&c->row, (uint64_t)gap << 1 | (m + 1 < n));
		last = changed[m];
		if (f->kind == CF_INT)
			wire_put_s64(&c->row, int_delta(codec_int_get(cr, f), codec_int_get(pr, f),
							f->size));
		else if (f->kind == CF_RUN)
			wire_put_s64(&c->row,
				     int_delta(codec_run_gap(crows, j, t->row_size, f),
					       codec_run_gap(prows, i, t->row_size, f), 4));
		else
			put_str(c, sc, cr, f);
	}
	return n > 0;
}

void codec_table_encode(struct codec_enc_ctx *c, const struct codec_table *t,
			const struct snapshot *prev, const struct snapshot *cur, struct buf *out)
{
	size_t np = 0, nc = 0, i = 0, j = 0;
	const char *P = prev ? t->rows(prev, &np) : NULL;
	const char *C = t->rows(cur, &nc);
	struct run_state r = { 0 };
	struct int_spans ints;

	int_spans_of(t, &ints);
	c->row.len = 0;
	while (i < np || j < nc) {
		int k;

		if (i >= np)
			k = 1;
		else if (j >= nc)
			k = -1;
		else
			k = t->cmp_in ? t->cmp_in(prev, P + i * t->row_size, cur, C + j * t->row_size)
			    : t->cmp  ? t->cmp(P + i * t->row_size, C + j * t->row_size)
				      : 0;
		if (k < 0) {
			run_add(c, &r, OP_GONE, out);
			i++;
		} else if (k > 0) {
			encode_new(c, t, cur, C, j);
			run_add(c, &r, OP_NEW, out);
			j++;
		} else {
			if (encode_change(c, t, &ints, prev, P, i, cur, C, j))
				run_add(c, &r, OP_CHANGE, out);
			else
				run_add(c, &r, OP_KEEP, out);
			i++;
			j++;
		}
	}
	/* Trailing kept rows are implied (and carry no payload). */
	if (r.n && r.op == OP_KEEP)
		out->len = r.hole;
	else
		run_flush(&r, out);
}

/* ---- decoder ---------------------------------------------------------------- */

struct dec {
	const struct str_dict *dict;
	const struct codec_table *t;
	const struct snapshot *prev;
	struct snapshot *dst;
	const char *P;
	size_t np;
	char *out;		/* rows being built (dst itself for a singleton) */
	size_t n, cap;
	struct buf *scratch;
	char *err;
	size_t errsz;
	/* the fields a copied row needs work on (not CF_INT or CF_CHARS) */
	uint16_t special[CODEC_MAX_FIELDS];
	size_t nspecial;
};

static int fail(struct dec *d, const char *fmt, ...) ATTR_FORMAT(2, 3);
static int fail(struct dec *d, const char *fmt, ...)
{
	va_list ap;
	int len = snprintf(d->err, d->errsz, "%s: ", d->t->name);

	va_start(ap, fmt);
	if (len >= 0 && (size_t)len < d->errsz)
		vsnprintf(d->err + len, d->errsz - (size_t)len, fmt, ap);
	va_end(ap);
	return -1;
}

static char **slot(void *row, const struct codec_field *f)
{
	return (char **)(void *)((char *)row + f->off);
}

size_t codec_pool_add(struct snapshot *s, const struct codec_pool *pl, const char *p, size_t len)
{
	char **data = (char **)(void *)((char *)s + pl->data);
	size_t *plen = (size_t *)(void *)((char *)s + pl->len);
	size_t *pcap = (size_t *)(void *)((char *)s + pl->cap);
	size_t off = *plen;

	xgrow((void **)data, pcap, off + len + 1, 1);
	memcpy(*data + off, p, len);
	(*data)[off + len] = '\0';
	*plen = off + len + 1;
	return off;
}

/* Append to the table's pool; the row keeps offset + 1 until pool_fixup,
 * since the pool moves as it grows (hooks add to it too). */
static void pool_put(struct dec *d, void *row, const struct codec_field *f, const char *p,
		     size_t len)
{
	size_t off = codec_pool_add(d->dst, d->t->pool, p, len);

	*slot(row, f) = (char *)(uintptr_t)(off + 1);
}

static void pool_fixup(struct dec *d)
{
	const struct codec_pool *pl = d->t->pool;
	char *data;

	if (!pl)
		return;
	memcpy(&data, (char *)d->dst + pl->data, sizeof(data));
	for (size_t i = 0; i < d->n; i++)
		for (size_t k = 0; k < d->t->nf; k++) {
			const struct codec_field *f = &d->t->f[k];
			char **s;

			if (f->kind != CF_POOLSTR)
				continue;
			s = slot(d->out + i * d->t->row_size, f);
			*s = *s ? data + ((uintptr_t)*s - 1) : NULL;
		}
}

/* Store bytes p/len (has false: NULL) into field f of row. */
static int str_store(struct dec *d, void *row, const struct codec_field *f, bool has,
		     const char *p, size_t len)
{
	if (!has) {
		if (f->kind == CF_CHARS || f->kind == CF_FN)
			return fail(d, "field %s has no string", f->name);
		*slot(row, f) = NULL;
		return 0;
	}
	if (f->kind != CF_FN && memchr(p, '\0', len))
		return fail(d, "field %s: NUL inside a string", f->name);
	switch (f->kind) {
	case CF_CHARS:
		if (len > f->size)
			return fail(d, "field %s: %zu bytes for %u", f->name, len, f->size);
		memset((char *)row + f->off, 0, f->size);
		memcpy((char *)row + f->off, p, len);
		return 0;
	case CF_STR:
		*slot(row, f) = xstrndup(p, len);
		return 0;
	case CF_POOLSTR:
		pool_put(d, row, f, p, len);
		return 0;
	default:
		if (f->put(d->dst, row, p, len))
			return fail(d, "field %s: not a valid value", f->name);
		return 0;
	}
}

static int str_from_id(struct dec *d, void *row, const struct codec_field *f, uint64_t id)
{
	const char *p = NULL;
	size_t len = 0;

	if (id && !(p = str_dict_get(d->dict, id, &len)))
		return fail(d, "field %s: string %llu not in the dictionary", f->name,
			    (unsigned long long)id);
	return str_store(d, row, f, id != 0, p, len);
}

/* Where the run of the row before the one being finished (d->n - 1) ended. */
static uint32_t run_end(struct dec *d, const struct codec_field *f)
{
	const char *r;
	uint32_t first, n;

	if (d->n < 2)
		return 0;
	r = d->out + (d->n - 2) * d->t->row_size;
	memcpy(&first, r + f->off, 4);
	memcpy(&n, r + f->off2, 4);
	return first + n;
}

/* Make room for one more row; returns it zeroed or copied from prev row i. */
static char *row_next(struct dec *d, size_t i)
{
	const struct codec_table *t = d->t;
	char *row;

	if (!t->set_rows) {
		row = d->out;
		if (i != SIZE_MAX)
			for (size_t k = 0; k < t->nf; k++)
				int_set(row, t->f[k].off, t->f[k].size,
					codec_int_get(d->P, &t->f[k]));
		return row;
	}
	if (d->n == d->cap)
		xgrow((void **)&d->out, &d->cap, d->n + 1, t->row_size);
	row = d->out + d->n * t->row_size;
	if (i == SIZE_MAX) {
		memset(row, 0, t->row_size);
		return row;
	}
	memcpy(row, d->P + i * t->row_size, t->row_size);
	/* Pointers of prev are never ours: clear them before anything can fail. */
	for (size_t m = 0; m < d->nspecial; m++) {
		const struct codec_field *f = &t->f[d->special[m]];

		if (f->kind == CF_STR || f->kind == CF_POOLSTR)
			*slot(row, f) = NULL;
	}
	return row;
}

/* i: the prev row (SIZE_MAX for NEW); gap/ids/chg: what the record said. */
static int row_finish(struct dec *d, char *row, size_t i, const uint64_t *val, const uint8_t *chg,
		      bool keep)
{
	const struct codec_table *t = d->t;

	for (size_t m = 0; m < d->nspecial; m++) {
		size_t k = d->special[m];
		const struct codec_field *f = &t->f[k];
		uint32_t gap;

		if (f->kind != CF_RUN)
			continue;
		gap = i == SIZE_MAX ? 0 : (uint32_t)codec_run_gap(d->P, i, t->row_size, f);
		if (chg[k])
			gap += (uint32_t)val[k];
		int_set(row, f->off, 4, run_end(d, f) + gap);
	}
	/* A kept row needs only its special fields; a changed or new one may
	 * have any string changed. */
	for (size_t m = 0; m < (keep ? d->nspecial : t->nf); m++) {
		size_t k = keep ? d->special[m] : m;
		const struct codec_field *f = &t->f[k];
		const char *p;
		size_t len;
		bool has;

		/* A copied row's CF_INT and CF_CHARS fields came with it. */
		if (f->kind == CF_INT || f->kind == CF_RUN || (!chg[k] && f->kind == CF_CHARS))
			continue;
		if (chg[k]) {
			if (str_from_id(d, row, f, val[k]))
				return -1;
			continue;
		}
		if (f->copy) {
			f->copy(d->dst, row, d->prev, d->P + i * t->row_size);
			continue;
		}
		has = codec_str_get(d->prev, d->P + i * t->row_size, f, d->scratch, &p, &len);
		if (str_store(d, row, f, has, p, len))
			return -1;
	}
	return 0;
}

static int decode_rows(struct dec *d, struct wire_in *in, int op, size_t cnt, size_t *i)
{
	const struct codec_table *t = d->t;
	uint64_t val[CODEC_MAX_FIELDS];
	uint8_t chg[CODEC_MAX_FIELDS];

	for (size_t m = 0; m < cnt; m++) {
		size_t pi = op == OP_NEW ? SIZE_MAX : (*i)++;
		char *row;

		if (op == OP_GONE)
			continue;
		row = row_next(d, pi);
		memset(chg, 0, t->nf);
		if (op == OP_NEW) {
			for (size_t k = 0; k < t->nf; k++) {
				const struct codec_field *f = &t->f[k];

				if (f->kind == CF_INT)
					int_set(row, f->off, f->size, (uint64_t)wire_get_s64(in));
				else
					val[k] = f->kind == CF_RUN ? (uint64_t)wire_get_s64(in)
								   : wire_get_u64(in);
				chg[k] = f->kind != CF_INT;
			}
		} else if (op == OP_CHANGE) {
			size_t k = SIZE_MAX;
			uint64_t h;

			do {
				h = wire_get_u64(in);
				if (in->bad || (h >> 1) >= t->nf - (k + 1))
					break;
				k = k + 1 + (size_t)(h >> 1);
				if (t->f[k].kind == CF_INT)
					int_set(row, t->f[k].off, t->f[k].size,
						codec_int_get(row, &t->f[k]) + (uint64_t)wire_get_s64(in));
				else
					val[k] = t->f[k].kind == CF_RUN ? (uint64_t)wire_get_s64(in)
									: wire_get_u64(in);
				chg[k] = 1;
			} while (h & 1);
			if (!in->bad && (h & 1))
				return fail(d, "changed field past the last one");
		}
		if (t->set_rows)
			d->n++;
		else
			d->n = 1;
		if (in->bad)
			return fail(d, "record ends inside a row");
		if (row_finish(d, row, pi, val, chg, op == OP_KEEP))
			return -1;
	}
	return 0;
}

int codec_table_decode(const struct str_dict *dict, const struct codec_table *t,
		       const struct snapshot *prev, struct snapshot *dst, struct wire_in *in,
		       struct buf *scratch, char *err, size_t errsz)
{
	struct dec d = {
		.dict = dict, .t = t, .prev = prev, .dst = dst, .scratch = scratch,
		.err = err, .errsz = errsz,
	};
	size_t i = 0;
	int ret = 0;

	if (prev)
		d.P = t->rows(prev, &d.np);
	for (size_t k = 0; k < t->nf && k < CODEC_MAX_FIELDS; k++)
		if (t->f[k].kind != CF_INT && t->f[k].kind != CF_CHARS)
			d.special[d.nspecial++] = (uint16_t)k;
	if (!t->set_rows)
		d.out = (char *)dst;
	while (wire_left(in) && !ret) {
		uint64_t h = wire_get_u64(in);
		int op = (int)(h & 3);
		uint64_t cnt = h >> 2;

		if (in->bad || cnt == 0)
			ret = fail(&d, "bad run header");
		else if (op != OP_NEW && cnt > d.np - i)
			ret = fail(&d, "run of %llu rows past the previous table",
				   (unsigned long long)cnt);
		else if (op == OP_NEW && cnt > wire_left(in) / (t->nf ? t->nf : 1))
			ret = fail(&d, "%llu new rows in %zu bytes", (unsigned long long)cnt,
				   wire_left(in));
		else if (!t->set_rows && op != OP_GONE && d.n + cnt > 1)
			ret = fail(&d, "more than one row");
		else
			ret = decode_rows(&d, in, op, (size_t)cnt, &i);
	}
	if (!ret && i < d.np)
		ret = decode_rows(&d, in, OP_KEEP, d.np - i, &i);
	if (!ret && !t->set_rows && d.n != 1)
		ret = fail(&d, "no row");
	if (t->set_rows) {
		pool_fixup(&d);
		t->set_rows(dst, d.out, d.n);
	}
	return ret;
}
