/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records of the sample encoding (format in sample_codec.h): the header,
 * the dictionary additions, one section per codec table, zstd around the
 * rest. zstd (Debian libzstd-dev) at level 3: the deltas are small and
 * repetitive, and one context is reused for every record.
 */
#include "sample_codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "codec_rows.h"
#include "codec_strings.h"
#include "codec_wire.h"
#include "compat.h"
#include "xalloc.h"

#define ZSTD_LEVEL 3

struct sample_encoder {
	ZSTD_CCtx *cctx;
	unsigned int flags;
	struct str_dict dict;
	struct snapshot *prev;
	uint64_t group;			/* keyframes so far */
	struct codec_enc_ctx ctx;
	struct buf strings, body;	/* the record before zstd: strings, then body */
	size_t raw_len;
};

struct sample_decoder {
	ZSTD_DCtx *dctx;
	struct str_dict dict;
	uint64_t group;
	bool have_group;
	struct buf raw, scratch;
	char err[256];
};

struct sample_encoder *sample_encoder_new(unsigned int flags)
{
	struct sample_encoder *e = xcalloc(1, sizeof(*e));

	/* NULL when out of memory: sample_encode then fails. */
	e->cctx = ZSTD_createCCtx();
	if (e->cctx)
		ZSTD_CCtx_setParameter(e->cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL);
	e->flags = flags;
	e->ctx.dict = &e->dict;
	return e;
}

void sample_encoder_free(struct sample_encoder *e)
{
	if (!e)
		return;
	ZSTD_freeCCtx(e->cctx);
	str_dict_free(&e->dict);
	snapshot_unref(e->prev);
	for (size_t i = 0; i < ARRAY_SIZE(e->ctx.scratch); i++)
		buf_free(&e->ctx.scratch[i]);
	buf_free(&e->ctx.row);
	buf_free(&e->strings);
	buf_free(&e->body);
	free(e);
}

size_t sample_encoder_raw_len(const struct sample_encoder *e)
{
	return e->raw_len;
}

int sample_encode(struct sample_encoder *e, struct snapshot *s, bool keyframe, struct buf *out)
{
	const struct snapshot *prev;
	size_t first, bound, z;
	uint8_t hdr[2] = { SAMPLE_CODEC_VERSION, 0 };

	if (!e->cctx)
		return -1;
	if (!e->prev)
		keyframe = true;
	if (keyframe) {
		str_dict_reset(&e->dict);
		e->group++;
	}
	prev = keyframe ? NULL : e->prev;
	first = e->dict.n;

	/* Each table straight into the body, after its number and a hole for
	 * its length. */
	e->body.len = 0;
	for (size_t k = 0; k < codec_ntables; k++) {
		const struct codec_table *t = codec_tables[k];
		size_t start = e->body.len, hole, at;

		if ((e->flags & SAMPLE_ENC_MEMORY_ONLY) && !t->memory)
			continue;
		wire_put_u64(&e->body, k + 1);
		hole = wire_hole_open(&e->body);
		at = e->body.len;
		codec_table_encode(&e->ctx, t, prev, s, &e->body);
		if (e->body.len == at && !keyframe) {
			e->body.len = start;	/* unchanged */
			continue;
		}
		wire_hole_close(&e->body, hole, e->body.len - at);
	}

	/* The strings this record is the first to use, then the sections:
	 * the strings go in front of the body, in the same buffer. */
	e->strings.len = 0;
	wire_put_u64(&e->strings, first);
	wire_put_u64(&e->strings, e->dict.n - first);
	for (size_t id = first + 1; id <= e->dict.n; id++) {
		size_t len;
		const char *p = str_dict_get(&e->dict, id, &len);

		wire_put_u64(&e->strings, len);
		wire_put_bytes(&e->strings, p, len);
	}
	buf_reserve(&e->body, e->body.len + e->strings.len);
	memmove(e->body.data + e->strings.len, e->body.data, e->body.len);
	memcpy(e->body.data, e->strings.data, e->strings.len);
	e->body.len += e->strings.len;
	e->raw_len = e->body.len;

	out->len = 0;
	hdr[1] = keyframe ? SAMPLE_FLAG_KEYFRAME : 0;
	buf_append(out, hdr, sizeof(hdr));
	wire_put_u64(out, s->seq);
	wire_put_u64(out, prev ? prev->seq : 0);
	wire_put_u64(out, e->group);
	wire_put_u64(out, e->body.len);
	bound = ZSTD_compressBound(e->body.len);
	buf_reserve(out, out->len + bound);
	z = ZSTD_compress2(e->cctx, out->data + out->len, bound, e->body.data, e->body.len);
	buf_release(&e->body, SAMPLE_BUF_KEEP);
	buf_release(&e->strings, SAMPLE_BUF_KEEP);
	if (ZSTD_isError(z)) {
		out->len = 0;
		/* The dictionary may hold strings no reader will see: restart. */
		snapshot_unref(e->prev);
		e->prev = NULL;
		return -1;
	}
	out->len += z;

	snapshot_ref(s);
	snapshot_unref(e->prev);
	e->prev = s;
	return 0;
}

/* ---- decoder ------------------------------------------------------------------ */

struct sample_decoder *sample_decoder_new(void)
{
	struct sample_decoder *d = xcalloc(1, sizeof(*d));

	d->dctx = ZSTD_createDCtx();	/* NULL: every decode fails */
	return d;
}

void sample_decoder_free(struct sample_decoder *d)
{
	if (!d)
		return;
	ZSTD_freeDCtx(d->dctx);
	str_dict_free(&d->dict);
	buf_free(&d->raw);
	buf_free(&d->scratch);
	free(d);
}

static int header(struct wire_in *in, struct sample_record_info *info, uint64_t *raw_len)
{
	const uint8_t *h = wire_get_bytes(in, 2);

	if (!h || h[0] != SAMPLE_CODEC_VERSION || (h[1] & ~SAMPLE_FLAG_KEYFRAME))
		return -1;
	info->keyframe = h[1] & SAMPLE_FLAG_KEYFRAME;
	info->seq = wire_get_u64(in);
	info->prev_seq = wire_get_u64(in);
	info->group = wire_get_u64(in);
	*raw_len = wire_get_u64(in);
	return in->bad ? -1 : 0;
}

int sample_record_peek(const void *rec, size_t len, struct sample_record_info *info)
{
	struct wire_in in = { rec, (const uint8_t *)rec + len, false };
	uint64_t raw_len;

	return header(&in, info, &raw_len);
}

static const char *dec_fail(struct sample_decoder *d, const char *fmt, ...) ATTR_FORMAT(2, 3);
static const char *dec_fail(struct sample_decoder *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return d->err;
}

/* Dictionary additions; entries the decoder already has (a record decoded
 * again, stepping back in a history) are skipped. */
static const char *read_dict(struct sample_decoder *d, struct wire_in *in, bool keyframe)
{
	uint64_t first = wire_get_u64(in), count = wire_get_u64(in);

	if (in->bad || count > wire_left(in))
		return dec_fail(d, "bad dictionary header");
	if (keyframe) {
		if (first)
			return dec_fail(d, "keyframe dictionary starts at %llu",
					(unsigned long long)first);
		str_dict_reset(&d->dict);
	} else if (first > d->dict.n) {
		return dec_fail(d, "dictionary entries %zu to %llu are missing", d->dict.n,
				(unsigned long long)first);
	}
	for (uint64_t k = 0; k < count; k++) {
		uint64_t len = wire_get_u64(in);
		const void *p = in->bad ? NULL : wire_get_bytes(in, len);

		if (!p || len > UINT32_MAX)
			return dec_fail(d, "dictionary entry %llu runs past the record",
					(unsigned long long)(first + k + 1));
		if (first + k >= d->dict.n)
			str_dict_append(&d->dict, p, len);
	}
	return NULL;
}

static const char *read_sections(struct sample_decoder *d, struct wire_in *in, bool keyframe,
				 const struct snapshot *prev, struct snapshot *s)
{
	size_t next = 0;	/* the first table not decoded yet */
	struct wire_in empty = { NULL, NULL, false };

	for (;;) {
		uint64_t id = 0, len = 0;
		struct wire_in body;

		if (wire_left(in)) {
			id = wire_get_u64(in);
			len = wire_get_u64(in);
			if (in->bad || id == 0 || id <= next || len > wire_left(in))
				return dec_fail(d, "bad section header");
		} else {
			id = UINT64_MAX;	/* the tables left are unchanged */
		}
		/* Tables between the last one and this section: not in the record. */
		for (; next < codec_ntables && next + 1 < id; next++)
			if (!keyframe && codec_table_decode(&d->dict, codec_tables[next], prev, s,
							    &empty, &d->scratch, d->err,
							    sizeof(d->err)))
				return d->err;
		if (id == UINT64_MAX)
			return NULL;
		body = (struct wire_in){ in->p, in->p + len, false };
		in->p += len;
		if (id - 1 < codec_ntables) {
			if (codec_table_decode(&d->dict, codec_tables[id - 1], keyframe ? NULL : prev,
					       s, &body, &d->scratch, d->err, sizeof(d->err)))
				return d->err;
			next = id;
		}
		/* else a section of a later version: skipped */
	}
}

/* The record's z bytes after zstd, in d->raw. */
static struct snapshot *decode_raw(struct sample_decoder *d, const struct sample_record_info *info,
				   size_t z, const struct snapshot *prev, const char **err)
{
	struct wire_in in = { (const uint8_t *)d->raw.data, (const uint8_t *)d->raw.data + z, false };
	struct snapshot *s;

	if (info->keyframe) {
		/* A new dictionary: whatever fails below, the old one is gone. */
		d->have_group = false;
	}
	if ((*err = read_dict(d, &in, info->keyframe)))
		return NULL;
	if (info->keyframe) {
		d->group = info->group;
		d->have_group = true;
	}
	s = snapshot_new();
	if ((*err = read_sections(d, &in, info->keyframe, prev, s))) {
		snapshot_unref(s);
		return NULL;
	}
	return s;
}

struct snapshot *sample_decode(struct sample_decoder *d, const void *rec, size_t len,
			       const struct snapshot *prev, const char **err)
{
	struct wire_in in = { rec, (const uint8_t *)rec + len, false };
	struct sample_record_info info;
	struct snapshot *s = NULL;
	unsigned long long fsize;
	uint64_t raw_len;
	size_t z;

	*err = NULL;
	if (!d->dctx)
		*err = dec_fail(d, "no zstd context (out of memory)");
	else if (!rec || header(&in, &info, &raw_len))
		*err = dec_fail(d, "not a sample record (version %d)", SAMPLE_CODEC_VERSION);
	else if (raw_len > SAMPLE_RAW_MAX)
		*err = dec_fail(d, "record inflates to %llu bytes", (unsigned long long)raw_len);
	else if (!info.keyframe && !prev)
		*err = dec_fail(d, "delta record without the sample before it");
	else if (!info.keyframe && prev->seq != info.prev_seq)
		*err = dec_fail(d, "record follows sample %llu, given %llu",
				(unsigned long long)info.prev_seq, (unsigned long long)prev->seq);
	else if (!info.keyframe && (!d->have_group || d->group != info.group))
		*err = dec_fail(d, "record needs the keyframe of group %llu",
				(unsigned long long)info.group);
	if (*err)
		return NULL;

	fsize = ZSTD_getFrameContentSize(in.p, wire_left(&in));
	if (fsize != raw_len)
		return (void)(*err = dec_fail(d, "zstd frame of %llu bytes, header says %llu",
					      fsize, (unsigned long long)raw_len)), NULL;
	buf_reserve(&d->raw, raw_len + 1);
	z = ZSTD_decompressDCtx(d->dctx, d->raw.data, raw_len + 1, in.p, wire_left(&in));
	if (ZSTD_isError(z) || z != raw_len)
		*err = dec_fail(d, "zstd: %s", ZSTD_isError(z) ? ZSTD_getErrorName(z) : "short frame");
	else
		s = decode_raw(d, &info, z, prev, err);
	buf_release(&d->raw, SAMPLE_BUF_KEEP);
	buf_release(&d->scratch, SAMPLE_BUF_KEEP);
	return s;
}
