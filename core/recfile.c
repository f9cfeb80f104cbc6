/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "recfile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "crc32c.h"
#include "sample_codec.h"
#include "strsafe.h"

/* Header fields: tag, 16-bit length, value. Unknown tags are skipped, so
 * a field can be added without a new format version. */
enum rec_tag {
	TAG_HOSTNAME = 1,
	TAG_KERNEL,
	TAG_BOOT_ID,
	TAG_VERSION,
	TAG_PAGE_SIZE,
	TAG_MEM_TOTAL,
	TAG_START_NS,
	TAG_SECTIONS,
	TAG_PID,
	TAG_KEYFRAME_EVERY,
	TAG_CODEC_VERSION,
};

/* Where each field lives in struct rec_header: a table, not a switch. */
struct rec_field {
	uint16_t tag;
	size_t off;
	size_t size;
	bool text;
};

#define TEXT_FIELD(t, m) { t, offsetof(struct rec_header, m), sizeof(((struct rec_header *)0)->m), true }
#define INT_FIELD(t, m) { t, offsetof(struct rec_header, m), sizeof(((struct rec_header *)0)->m), false }

static const struct rec_field rec_fields[] = {
	TEXT_FIELD(TAG_HOSTNAME, hostname),
	TEXT_FIELD(TAG_KERNEL, kernel),
	TEXT_FIELD(TAG_BOOT_ID, boot_id),
	TEXT_FIELD(TAG_VERSION, leaktop_version),
	INT_FIELD(TAG_PAGE_SIZE, page_size),
	INT_FIELD(TAG_MEM_TOTAL, mem_total),
	INT_FIELD(TAG_START_NS, start_ns),
	INT_FIELD(TAG_SECTIONS, sections),
	INT_FIELD(TAG_PID, pid),
	INT_FIELD(TAG_KEYFRAME_EVERY, keyframe_every),
	INT_FIELD(TAG_CODEC_VERSION, codec_version),
};

static void put_le(struct buf *b, uint64_t v, size_t n)
{
	uint8_t x[8];

	for (size_t i = 0; i < n; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	buf_append(b, x, n);
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Integer members of struct rec_header by their size. */
static uint64_t load_int(const void *v, size_t size)
{
	uint16_t a;
	uint32_t b;
	uint64_t c;

	switch (size) {
	case 2: memcpy(&a, v, 2); return a;
	case 4: memcpy(&b, v, 4); return b;
	default: memcpy(&c, v, 8); return c;
	}
}

static void store_int(void *v, size_t size, uint64_t x)
{
	uint16_t a = (uint16_t)x;
	uint32_t b = (uint32_t)x;

	switch (size) {
	case 2: memcpy(v, &a, 2); break;
	case 4: memcpy(v, &b, 4); break;
	default: memcpy(v, &x, 8); break;
	}
}

static void put_at(struct buf *b, size_t at, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b->data[at + i] = (char)(uint8_t)(v >> (8 * i));
}

/* One line of a proc file, sanitized, or "?" when it cannot be read. */
static void read_line(const struct root *r, const char *path, char *out, size_t sz)
{
	struct buf b = { 0 };

	if (r->proc_fd >= 0 && buf_readat(r->proc_fd, path, &b, 4096) == 0 && b.len) {
		size_t n = strcspn(b.data, "\n");

		strsafe_escape(b.data, n, out, sz);
	} else {
		snprintf(out, sz, "?");
	}
	buf_free(&b);
}

void rec_header_from_root(struct rec_header *h, const struct root *r)
{
	memset(h, 0, sizeof(*h));
	h->version = REC_FORMAT_VERSION;
	read_line(r, "sys/kernel/hostname", h->hostname, sizeof(h->hostname));
	read_line(r, "sys/kernel/osrelease", h->kernel, sizeof(h->kernel));
	read_line(r, "sys/kernel/random/boot_id", h->boot_id, sizeof(h->boot_id));
	snprintf(h->leaktop_version, sizeof(h->leaktop_version), "%s", PACKAGE_VERSION);
	h->pid = (uint32_t)getpid();
	h->codec_version = SAMPLE_CODEC_VERSION;
}

void rec_header_encode(const struct rec_header *h, struct buf *out)
{
	size_t start = out->len;

	buf_append(out, REC_MAGIC, REC_MAGIC_LEN);
	put_le(out, REC_FORMAT_VERSION, 2);
	put_le(out, 0, 2);			/* flags: none yet */
	put_le(out, 0, 4);			/* header length, set below */
	for (size_t i = 0; i < ARRAY_SIZE(rec_fields); i++) {
		const struct rec_field *f = &rec_fields[i];
		const char *v = (const char *)h + f->off;

		put_le(out, f->tag, 2);
		if (f->text) {
			size_t n = strnlen(v, f->size - 1);

			put_le(out, n, 2);
			buf_append(out, v, n);
		} else {
			put_le(out, f->size, 2);
			put_le(out, load_int(v, f->size), f->size);
		}
	}
	put_at(out, start + 12, out->len - start + 4, 4);
	put_le(out, crc32c(0, out->data + start, out->len - start), 4);
}

static enum rec_check fail(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return REC_BAD;
}

enum rec_check rec_header_parse(const void *p, size_t n, struct rec_header *h, size_t *hlen,
				char *err, size_t errsz)
{
	const uint8_t *b = p;
	size_t len, at;

	memset(h, 0, sizeof(*h));
	if (n < REC_MAGIC_LEN)
		return memcmp(b, REC_MAGIC, n) ? fail(err, errsz, "not a leaktop recording")
					       : REC_SHORT;
	if (memcmp(b, REC_MAGIC, REC_MAGIC_LEN))
		return fail(err, errsz, "not a leaktop recording");
	if (n < 16)
		return REC_SHORT;
	h->version = (uint16_t)get_le(b + 8, 2);
	if (h->version == 0 || h->version > REC_FORMAT_VERSION) {
		snprintf(err, errsz,
			 "recording format version %u; this leaktop reads version %d (a newer leaktop wrote it?)",
			 h->version, REC_FORMAT_VERSION);
		return REC_BAD;
	}
	len = get_le(b + 12, 4);
	if (len < 20 || len > REC_HEADER_MAX)
		return fail(err, errsz, "damaged file header (bad length)");
	if (n < len)
		return REC_SHORT;
	if (crc32c(0, b, len - 4) != get_le(b + len - 4, 4))
		return fail(err, errsz, "damaged file header (CRC mismatch)");
	for (at = 16; at + 4 <= len - 4;) {
		unsigned int tag = (unsigned int)get_le(b + at, 2);
		size_t flen = get_le(b + at + 2, 2);

		at += 4;
		if (at + flen > len - 4)
			return fail(err, errsz, "damaged file header (field past its end)");
		for (size_t i = 0; i < ARRAY_SIZE(rec_fields); i++) {
			const struct rec_field *f = &rec_fields[i];
			char *v = (char *)h + f->off;

			if (f->tag != tag)
				continue;
			if (f->text) {
				strsafe_escape((const char *)b + at, flen, v, f->size);
			} else if (flen == f->size) {
				store_int(v, f->size, get_le(b + at, flen));
			}
		}
		at += flen;
	}
	/* The samples themselves: a reader of another encoding would drop
	 * every record as damaged. */
	if (h->codec_version != SAMPLE_CODEC_VERSION) {
		snprintf(err, errsz,
			 "samples encoded in version %u; this leaktop reads version %d (%s leaktop wrote it)",
			 h->codec_version, SAMPLE_CODEC_VERSION,
			 h->codec_version < SAMPLE_CODEC_VERSION ? "an older" : "a newer");
		return REC_BAD;
	}
	*hlen = len;
	return REC_OK;
}

void rec_frame_encode(struct buf *out, uint64_t t_ns, uint32_t flags, const void *payload,
		      size_t len)
{
	size_t start = out->len;
	uint32_t crc;

	put_le(out, REC_SYNC, 4);
	put_le(out, len, 4);
	put_le(out, t_ns, 8);
	put_le(out, flags, 4);
	crc = crc32c(0, out->data + start + 4, 16);
	crc = crc32c(crc, payload, len);
	put_le(out, crc, 4);
	buf_append(out, payload, len);
}

enum rec_check rec_frame_check(const void *p, size_t avail, struct rec_frame *f)
{
	const uint8_t *b = p;
	uint32_t crc;

	if (avail < 4)
		return get_le(b, avail) == (REC_SYNC & ((1ull << (8 * avail)) - 1)) ? REC_SHORT
										   : REC_BAD;
	if (get_le(b, 4) != REC_SYNC)
		return REC_BAD;
	if (avail < REC_FRAME_HEAD)
		return REC_SHORT;
	f->len = (uint32_t)get_le(b + 4, 4);
	f->t_ns = get_le(b + 8, 8);
	f->flags = (uint32_t)get_le(b + 16, 4);
	if (f->len == 0 || f->len > REC_PAYLOAD_MAX)
		return REC_BAD;
	if (avail - REC_FRAME_HEAD < f->len)
		return REC_SHORT;
	crc = crc32c(0, b + 4, 16);
	crc = crc32c(crc, b + REC_FRAME_HEAD, f->len);
	return crc == get_le(b + 20, 4) ? REC_OK : REC_BAD;
}

void rec_name_format(char *out, size_t sz, time_t t, unsigned int n)
{
	struct tm tm;
	char stamp[24];

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (n > 1)
		snprintf(out, sz, "leaktop-%s-%u%s", stamp, n, REC_SUFFIX);
	else
		snprintf(out, sz, "leaktop-%s%s", stamp, REC_SUFFIX);
}

bool rec_name_parse(const char *name, time_t *t, unsigned int *n)
{
	struct tm tm;
	const char *p;
	char check[REC_NAME_MAX];
	unsigned long k = 0;

	if (strncmp(name, "leaktop-", 8) || strlen(name) < 8 + 16 + 4)
		return false;
	memset(&tm, 0, sizeof(tm));
	p = strptime(name + 8, "%Y%m%dT%H%M%SZ", &tm);
	if (!p || p != name + 8 + 16)
		return false;
	if (*p == '-') {
		char *end;

		if (!isdigit((unsigned char)p[1]))
			return false;
		k = strtoul(p + 1, &end, 10);
		if (k < 2 || k > 99999)
			return false;
		p = end;
	}
	if (strcmp(p, REC_SUFFIX))
		return false;
	*t = timegm(&tm);
	*n = (unsigned int)k;
	/* Only the exact spelling leaktop writes (no "+0" days, no leading zeros). */
	rec_name_format(check, sizeof(check), *t, *n);
	return strcmp(check, name) == 0;
}

bool rec_path_is_file(const char *path)
{
	size_t n = strlen(path), s = strlen(REC_SUFFIX);

	return n > s && strcmp(path + n - s, REC_SUFFIX) == 0;
}
