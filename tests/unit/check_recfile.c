/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recordings: what is written reads back equal, across keyframes and
 * rotated files; every kind of bad file (empty, header only, foreign, a
 * newer format, a torn tail, a flipped byte, a file still being written)
 * gives a message and keeps what was written before; retention deletes
 * only leaktop's own old files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "recfile.h"
#include "recread.h"
#include "sample_codec.h"
#include "recwrite.h"
#include "suites.h"
#include "synth.h"
#include "xalloc.h"

#define T0 1790000000	/* 2026-09-21 */

static char tmpdir[64];

static void mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_recfile.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char cmd[128];

	/* The tests' own temporary tree; nothing else is touched. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void host(struct rec_header *h, const char *boot)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->hostname, sizeof(h->hostname), "box1");
	snprintf(h->kernel, sizeof(h->kernel), "6.1.0-test");
	snprintf(h->boot_id, sizeof(h->boot_id), "%s", boot);
	snprintf(h->leaktop_version, sizeof(h->leaktop_version), "0-test");
	h->pid = 4242;
	h->codec_version = SAMPLE_CODEC_VERSION;
}

/* Sample i: a few processes and 40 sockets, one more every sample. */
static struct snapshot *sample(unsigned int i)
{
	struct snapshot *s = synth_snap(i);

	s->t_real.tv_sec = T0 + (time_t)i * 60;
	s->page_size = 4096;
	synth_mem(s, MEM_ANON, 1e9 + i * 4096.0);
	synth_proc(s, 100, 5, "server", 1000000 + i, 10 + i);
	for (unsigned int k = 0; k < 40 + i; k++)
		synth_sock(s, 100, 5, SK_TCP, 1, 5000 + k, 8080, (uint16_t)(30000 + k));
	synth_slab(s, "kmalloc-64", 64, 1000 + i);
	synth_finish(s);
	return s;
}

static time_t fake_now = T0;

static time_t fake_clock(void)
{
	return fake_now;
}

/* Record samples from..to-1 into path. */
static void record(const char *path, unsigned int from, unsigned int to, uint64_t max_size,
		   unsigned int kf)
{
	struct rec_header h;
	struct rec_writer_opts o = { .path = path, .max_size = max_size, .keyframe_every = kf,
				     .host = &h, .now = fake_clock };
	char err[256];
	struct rec_writer *w;

	host(&h, "boot-a");
	w = rec_writer_open(&o, err, sizeof(err));
	ck_assert_msg(w, "%s", err);
	for (unsigned int i = from; i < to; i++) {
		struct snapshot *s = sample(i);

		ck_assert_msg(rec_writer_append(w, s) == 0, "%s", rec_writer_error(w));
		snapshot_unref(s);
	}
	ck_assert_int_eq(rec_writer_close(w), 0);
}

static void expect_sample(struct rec_reader *r, size_t i, unsigned int orig)
{
	const char *err;
	char why[256];
	struct snapshot *got = rec_reader_sample(r, i, &err);
	struct snapshot *want = sample(orig);

	ck_assert_msg(got, "sample %zu: %s", i, err);
	ck_assert_msg(snapshot_equal(got, want, why, sizeof(why)), "sample %zu: %s", i, why);
	snapshot_unref(got);
	snapshot_unref(want);
}

static char *path_in(const char *name)
{
	static char p[128];

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	return p;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

static void write_bytes(const char *path, const void *p, size_t n, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	close(fd);
}

START_TEST(test_crc32c)
{
	ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xE3069283u);
	/* in pieces, across the 8-byte stride */
	ck_assert_uint_eq(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
}
END_TEST

START_TEST(test_roundtrip_dir)
{
	struct rec_reader *r;
	char err[256];
	const struct rec_file *f;

	mk_tmp();
	record(path_in("rec"), 0, 10, 0, 4);
	r = rec_reader_open(path_in("rec"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 10);
	ck_assert_uint_eq(rec_reader_nfiles(r), 1);
	f = rec_reader_file(r, 0);
	ck_assert_str_eq(f->hdr.hostname, "box1");
	ck_assert_str_eq(f->hdr.boot_id, "boot-a");
	ck_assert_uint_eq(f->hdr.pid, 4242);
	ck_assert_uint_eq(f->hdr.page_size, 4096);
	ck_assert_uint_eq(f->hdr.start_ns, (uint64_t)T0 * 1000000000u);
	ck_assert_msg(strstr(f->path, "leaktop-20260921T") != NULL, "%s", f->path);
	for (size_t i = 0; i < 10; i++) {
		ck_assert(rec_reader_entry(r, i)->keyframe == (i % 4 == 0));
		ck_assert_uint_eq(rec_reader_entry(r, i)->t_ns, ((uint64_t)T0 + i * 60) * 1000000000u);
	}
	/* forward, then back (from a keyframe again), then a jump */
	for (size_t i = 0; i < 10; i++)
		expect_sample(r, i, (unsigned int)i);
	expect_sample(r, 2, 2);
	expect_sample(r, 7, 7);
	ck_assert_uint_eq(r ? rec_reader_notes(r)->n : 1, 0);
	ck_assert_uint_eq(rec_reader_tail(r), 0);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

START_TEST(test_empty_and_header_only)
{
	struct rec_reader *r;
	char err[256];
	struct rec_header h;
	struct buf b = { 0 };

	mk_tmp();
	write_bytes(path_in("empty.ltr"), "", 0, 0);
	r = rec_reader_open(path_in("empty.ltr"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 0);
	ck_assert(!rec_reader_file(r, 0)->have_hdr);
	rec_reader_free(r);

	host(&h, "boot-a");
	rec_header_encode(&h, &b);
	write_bytes(path_in("hdr.ltr"), b.data, b.len, 0);
	r = rec_reader_open(path_in("hdr.ltr"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 0);
	ck_assert(rec_reader_file(r, 0)->have_hdr);
	ck_assert_uint_eq(rec_reader_tail(r), 0);
	rec_reader_free(r);

	/* half a header: not damage, the header is being written */
	write_bytes(path_in("half.ltr"), b.data, b.len / 2, 0);
	r = rec_reader_open(path_in("half.ltr"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 0);
	rec_reader_free(r);
	buf_free(&b);

	/* a directory without recordings */
	ck_assert_int_eq(mkdir(path_in("none"), 0700), 0);
	ck_assert_ptr_null(rec_reader_open(path_in("none"), err, sizeof(err)));
	ck_assert_msg(strstr(err, "no recording in") != NULL, "%s", err);
	ck_assert_ptr_null(rec_reader_open(path_in("missing"), err, sizeof(err)));
	ck_assert_msg(strstr(err, "No such file") != NULL, "%s", err);
	rm_tmp();
}
END_TEST

START_TEST(test_foreign_and_future)
{
	struct rec_reader *r;
	char err[256];
	struct rec_header h;
	struct buf b = { 0 };
	uint32_t crc;

	mk_tmp();
	write_bytes(path_in("text.ltr"), "hello, world\n", 13, 0);
	r = rec_reader_open(path_in("text.ltr"), err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, "not a leaktop recording") != NULL, "%s", err);

	host(&h, "boot-a");
	rec_header_encode(&h, &b);
	b.data[8] = 7;	/* format version 7, CRC made right again */
	crc = crc32c(0, b.data, b.len - 4);
	memcpy(b.data + b.len - 4, &crc, 4);
	write_bytes(path_in("future.ltr"), b.data, b.len, 0);
	r = rec_reader_open(path_in("future.ltr"), err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, "format version 7") != NULL, "%s", err);

	/* samples of another encoding: every record would fail, so the file
	 * is refused whole, saying why */
	buf_free(&b);
	host(&h, "boot-a");
	h.codec_version = SAMPLE_CODEC_VERSION - 1;
	rec_header_encode(&h, &b);
	write_bytes(path_in("oldcodec.ltr"), b.data, b.len, 0);
	r = rec_reader_open(path_in("oldcodec.ltr"), err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, "samples encoded in version") != NULL && strstr(err, "an older"),
		      "%s", err);
	h.codec_version = SAMPLE_CODEC_VERSION;
	buf_free(&b);
	rec_header_encode(&h, &b);

	/* damaged header */
	b.data[8] = 1;
	b.data[20] ^= 0x40;
	write_bytes(path_in("bad.ltr"), b.data, b.len, 0);
	r = rec_reader_open(path_in("bad.ltr"), err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, "damaged file header") != NULL, "%s", err);
	buf_free(&b);

	/* in a directory, a foreign file is a note and the rest reads */
	record(path_in("dir"), 0, 3, 0, 0);
	write_bytes(path_in("dir/leaktop-20200101T000000Z.ltr"), "junk", 4, 0);
	r = rec_reader_open(path_in("dir"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 3);
	ck_assert_uint_eq(rec_reader_notes(r)->n, 1);
	ck_assert_msg(strstr(rec_reader_notes(r)->v[0].msg, "not a leaktop recording"), "%s",
		      rec_reader_notes(r)->v[0].msg);
	expect_sample(r, 2, 2);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

START_TEST(test_truncated_tail)
{
	struct rec_reader *r;
	char err[256];
	const char *p;

	mk_tmp();
	p = path_in("t.ltr");
	record(p, 0, 5, 0, 0);
	ck_assert_int_eq(truncate(p, file_size(p) - 10), 0);
	r = rec_reader_open(p, err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 4);
	ck_assert_uint_gt(rec_reader_tail(r), 0);
	ck_assert_uint_eq(rec_reader_notes(r)->n, 0);
	for (size_t i = 0; i < 4; i++)
		expect_sample(r, i, (unsigned int)i);
	rec_reader_free(r);

	/* a run appended after a torn tail: the reader skips the torn bytes */
	record(p, 5, 7, 0, 0);
	r = rec_reader_open(p, err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 6);
	ck_assert_uint_eq(rec_reader_notes(r)->n, 1);
	expect_sample(r, 3, 3);
	expect_sample(r, 5, 6);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

START_TEST(test_flipped_byte)
{
	struct rec_reader *r, *clean;
	char err[256];
	const char *p;
	const struct rec_entry *e;
	const char *why;
	struct snapshot *s;
	int fd;
	char c;

	mk_tmp();
	p = path_in("f.ltr");
	record(p, 0, 10, 0, 4);
	clean = rec_reader_open(p, err, sizeof(err));
	ck_assert_msg(clean, "%s", err);
	e = rec_reader_entry(clean, 5);
	fd = open(p, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &c, 1, (off_t)(e->off + REC_FRAME_HEAD + e->len / 2)), 1);
	c ^= 0x10;
	ck_assert_int_eq(pwrite(fd, &c, 1, (off_t)(e->off + REC_FRAME_HEAD + e->len / 2)), 1);
	close(fd);
	rec_reader_free(clean);

	r = rec_reader_open(p, err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 9);
	ck_assert_uint_eq(rec_reader_notes(r)->n, 1);
	ck_assert_msg(strstr(rec_reader_notes(r)->v[0].msg, "damaged"), "%s",
		      rec_reader_notes(r)->v[0].msg);
	for (size_t i = 0; i < 5; i++)
		expect_sample(r, i, (unsigned int)i);
	/* 6 and 7 are deltas over the lost 5; 8 is a keyframe */
	ck_assert_uint_eq(rec_reader_entry(r, 5)->seq, 7);
	s = rec_reader_sample(r, 5, &why);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(why, "cannot be decoded"), "%s", why);
	expect_sample(r, 7, 8);
	expect_sample(r, 8, 9);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

START_TEST(test_concurrent_append)
{
	struct rec_reader *r;
	char err[256];
	const char *p;
	struct rec_header h;
	struct rec_writer_opts o = { .host = &h, .keyframe_every = 3 };
	struct rec_writer *w;
	struct snapshot *s;
	struct buf rest = { 0 };
	off_t before;
	int fd;

	mk_tmp();
	p = path_in("live.ltr");
	host(&h, "boot-a");
	o.path = p;
	w = rec_writer_open(&o, err, sizeof(err));
	ck_assert_msg(w, "%s", err);
	for (unsigned int i = 0; i < 3; i++) {
		s = sample(i);
		ck_assert_int_eq(rec_writer_append(w, s), 0);
		snapshot_unref(s);
	}
	r = rec_reader_open(p, err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 3);
	expect_sample(r, 2, 2);
	for (unsigned int i = 3; i < 5; i++) {
		s = sample(i);
		ck_assert_int_eq(rec_writer_append(w, s), 0);
		snapshot_unref(s);
	}
	ck_assert_uint_eq(rec_reader_scan(r), 2);
	expect_sample(r, 4, 4);	/* forward from the cached sample 3 */

	/* a frame caught half written: not damage, and it completes later */
	before = file_size(p);
	s = sample(5);
	ck_assert_int_eq(rec_writer_append(w, s), 0);
	snapshot_unref(s);
	fd = open(p, O_RDWR);
	buf_reserve(&rest, (size_t)(file_size(p) - before));
	rest.len = (size_t)(file_size(p) - before);
	ck_assert_int_eq(pread(fd, rest.data, rest.len, before), (ssize_t)rest.len);
	ck_assert_int_eq(ftruncate(fd, before + (off_t)rest.len / 2), 0);
	ck_assert_uint_eq(rec_reader_scan(r), 0);
	ck_assert_uint_gt(rec_reader_tail(r), 0);
	ck_assert_int_eq(pwrite(fd, rest.data + rest.len / 2, rest.len - rest.len / 2,
				before + (off_t)rest.len / 2), (ssize_t)(rest.len - rest.len / 2));
	close(fd);
	ck_assert_uint_eq(rec_reader_scan(r), 1);
	ck_assert_uint_eq(rec_reader_tail(r), 0);
	ck_assert_uint_eq(rec_reader_notes(r)->n, 0);
	expect_sample(r, 5, 5);
	buf_free(&rest);
	rec_writer_close(w);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

START_TEST(test_rotation)
{
	struct rec_reader *r;
	char err[256];
	size_t nf;

	mk_tmp();
	/* a few frames per file */
	record(path_in("rot"), 0, 12, 700, 100);
	r = rec_reader_open(path_in("rot"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	nf = rec_reader_nfiles(r);
	ck_assert_uint_ge(nf, 3);
	ck_assert_uint_eq(rec_reader_count(r), 12);
	for (size_t i = 0; i < 12; i++) {
		const struct rec_entry *e = rec_reader_entry(r, i);

		ck_assert_uint_eq(e->seq, i + 1);
		/* every file starts with a keyframe and stays under the size */
		if (i == 0 || rec_reader_entry(r, i - 1)->file != e->file)
			ck_assert(e->keyframe);
	}
	/* past the size only when one record alone is bigger */
	for (size_t k = 0; k < nf; k++) {
		size_t in_file = 0;

		for (size_t i = 0; i < 12; i++)
			in_file += rec_reader_entry(r, i)->file == k;
		ck_assert(file_size(rec_reader_file(r, k)->path) <= 700 || in_file == 1);
		ck_assert_uint_ge(in_file, 1);
	}
	for (size_t i = 0; i < 12; i++)
		expect_sample(r, i, (unsigned int)i);
	rec_reader_free(r);

	/* a second run into the same directory: its own files, after the first */
	record(path_in("rot"), 20, 22, 700, 100);
	r = rec_reader_open(path_in("rot"), err, sizeof(err));
	ck_assert_msg(r, "%s", err);
	ck_assert_uint_eq(rec_reader_count(r), 14);
	expect_sample(r, 13, 21);
	rec_reader_free(r);
	rm_tmp();
}
END_TEST

static void touch_old(const char *path, time_t mtime)
{
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };

	write_bytes(path, "x", 1, 0);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

START_TEST(test_retention)
{
	char err[256];
	struct rec_header h;
	struct rec_writer_opts o = { .host = &h, .retain_s = 7 * 86400, .now = fake_clock };
	struct rec_writer *w;
	struct snapshot *s;
	struct stat st;

	mk_tmp();
	ck_assert_int_eq(mkdir(path_in("d"), 0700), 0);
	fake_now = T0;
	touch_old(path_in("d/leaktop-20260901T000000Z.ltr"), T0 - 8 * 86400);
	touch_old(path_in("d/leaktop-20260901T000000Z-2.ltr"), T0 - 8 * 86400);
	touch_old(path_in("d/leaktop-20260915T000000Z.ltr"), T0 - 6 * 86400);
	/* not leaktop's names: never deleted, however old */
	touch_old(path_in("d/notes.txt"), T0 - 100 * 86400);
	touch_old(path_in("d/leaktop-latest.ltr"), T0 - 100 * 86400);
	touch_old(path_in("d/leaktop-20260901T000000Z.ltr.bak"), T0 - 100 * 86400);

	host(&h, "boot-a");
	o.path = path_in("d");
	w = rec_writer_open(&o, err, sizeof(err));
	ck_assert_msg(w, "%s", err);
	ck_assert_uint_eq(rec_writer_stats(w)->deleted, 2);
	ck_assert_int_ne(stat(path_in("d/leaktop-20260901T000000Z.ltr"), &st), 0);
	ck_assert_int_ne(stat(path_in("d/leaktop-20260901T000000Z-2.ltr"), &st), 0);
	ck_assert_int_eq(stat(path_in("d/leaktop-20260915T000000Z.ltr"), &st), 0);
	ck_assert_int_eq(stat(path_in("d/notes.txt"), &st), 0);
	ck_assert_int_eq(stat(path_in("d/leaktop-latest.ltr"), &st), 0);
	ck_assert_int_eq(stat(path_in("d/leaktop-20260901T000000Z.ltr.bak"), &st), 0);
	s = sample(0);
	ck_assert_int_eq(rec_writer_append(w, s), 0);
	snapshot_unref(s);
	rec_writer_close(w);

	/* two days on, the 6-day-old file is past retention; the one just written is not */
	fake_now = T0 + 2 * 86400;
	ck_assert_uint_eq(rec_retain(path_in("d"), fake_now, 7 * 86400, NULL), 1);
	ck_assert_int_ne(stat(path_in("d/leaktop-20260915T000000Z.ltr"), &st), 0);
	ck_assert_int_eq(stat(path_in("d/leaktop-20260921T141320Z.ltr"), &st), 0);
	rm_tmp();
}
END_TEST

START_TEST(test_names)
{
	char name[REC_NAME_MAX];
	time_t t;
	unsigned int n;

	rec_name_format(name, sizeof(name), T0, 0);
	ck_assert_str_eq(name, "leaktop-20260921T141320Z.ltr");
	ck_assert(rec_name_parse(name, &t, &n));
	ck_assert_int_eq(t, T0);
	ck_assert_uint_eq(n, 0);
	rec_name_format(name, sizeof(name), T0, 3);
	ck_assert_str_eq(name, "leaktop-20260921T141320Z-3.ltr");
	ck_assert(rec_name_parse(name, &t, &n));
	ck_assert_uint_eq(n, 3);
	ck_assert(!rec_name_parse("leaktop-20260921T141320Z-1.ltr", &t, &n));
	ck_assert(!rec_name_parse("leaktop-20260921T141320Z-03.ltr", &t, &n));
	ck_assert(!rec_name_parse("leaktop-20261321T141320Z.ltr", &t, &n));
	ck_assert(!rec_name_parse("leaktop-20260921T141320Z.ltrx", &t, &n));
	ck_assert(!rec_name_parse("xleaktop-20260921T141320Z.ltr", &t, &n));
	ck_assert(rec_path_is_file("/var/lib/leaktop/one.ltr"));
	ck_assert(!rec_path_is_file("/var/lib/leaktop"));
	ck_assert(!rec_path_is_file(".ltr"));
}
END_TEST

START_TEST(test_single_file_other_boot)
{
	char err[256];
	struct rec_header h;
	struct rec_writer_opts o = { .host = &h };

	mk_tmp();
	record(path_in("one.ltr"), 0, 2, 0, 0);
	host(&h, "boot-b");
	o.path = path_in("one.ltr");
	ck_assert_ptr_null(rec_writer_open(&o, err, sizeof(err)));
	ck_assert_msg(strstr(err, "boot boot-a"), "%s", err);
	rm_tmp();
}
END_TEST

START_TEST(test_write_failure)
{
	char err[256];
	struct rec_header h;
	struct rec_writer_opts o = { .host = &h };
	struct rec_writer *w;
	struct snapshot *s;

	if (access("/dev/full", W_OK))
		return;
	mk_tmp();
	/* a "file" that is always full */
	ck_assert_int_eq(symlink("/dev/full", path_in("full.ltr")), 0);
	host(&h, "boot-a");
	o.path = path_in("full.ltr");
	w = rec_writer_open(&o, err, sizeof(err));
	ck_assert_msg(w, "%s", err);
	s = sample(0);
	ck_assert_int_eq(rec_writer_append(w, s), -ENOSPC);
	ck_assert_msg(strstr(rec_writer_error(w), "No space left"), "%s", rec_writer_error(w));
	ck_assert_uint_eq(rec_writer_stats(w)->lost, 1);
	ck_assert_uint_eq(rec_writer_stats(w)->records, 0);
	snapshot_unref(s);
	rec_writer_close(w);
	rm_tmp();
}
END_TEST

START_TEST(test_time_specs)
{
	char err[256];
	uint64_t t, v;
	size_t idx;
	time_t now = T0;
	struct tm tm;

	ck_assert_int_eq(rec_time_parse("#12", now, &t, &idx, err, sizeof(err)), 0);
	ck_assert_uint_eq(idx, 11);
	ck_assert_uint_eq(t, 0);
	ck_assert_int_eq(rec_time_parse("-1h", now, &t, &idx, err, sizeof(err)), 0);
	ck_assert_uint_eq(t, (uint64_t)(T0 - 3600) * 1000000000u);
	ck_assert_int_eq(rec_time_parse("2026-09-21T14:00Z", now, &t, &idx, err, sizeof(err)), 0);
	ck_assert_uint_eq(t, (uint64_t)(T0 - 13 * 60 - 20) * 1000000000u);
	ck_assert_int_eq(rec_time_parse("2026-09-21T14:00:05Z", now, &t, &idx, err, sizeof(err)), 0);
	ck_assert_uint_eq(t, (uint64_t)(T0 - 13 * 60 - 15) * 1000000000u);
	ck_assert_int_eq(rec_time_parse("2026-09-21T14:00:05.250Z", now, &t, &idx, err, sizeof(err)), 0);
	ck_assert_uint_eq(t, (uint64_t)(T0 - 13 * 60 - 15) * 1000000000u + 250000000u);
	ck_assert_int_eq(rec_time_parse("14:05:00.", now, &t, &idx, err, sizeof(err)), -1);
	ck_assert_int_eq(rec_time_parse("14:05", now, &t, &idx, err, sizeof(err)), 0);
	{
		time_t tt = (time_t)(t / 1000000000u);

		localtime_r(&tt, &tm);
		ck_assert_int_eq(tm.tm_hour, 14);
		ck_assert_int_eq(tm.tm_min, 5);
		localtime_r(&now, &tm);
		ck_assert_int_eq(tm.tm_yday, localtime_r(&tt, &(struct tm){ 0 })->tm_yday);
	}
	ck_assert_int_eq(rec_time_parse("#0", now, &t, &idx, err, sizeof(err)), -1);
	ck_assert_int_eq(rec_time_parse("yesterday", now, &t, &idx, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "invalid time 'yesterday'"), "%s", err);
	ck_assert_int_eq(rec_time_parse("14:05x", now, &t, &idx, err, sizeof(err)), -1);
	ck_assert_int_eq(rec_parse_duration("7d", &v), 0);
	ck_assert_uint_eq(v, 7 * 86400);
	ck_assert_int_eq(rec_parse_duration("90", &v), 0);
	ck_assert_uint_eq(v, 90);
	ck_assert_int_eq(rec_parse_duration("7x", &v), -1);
	ck_assert_int_eq(rec_parse_duration("-1d", &v), -1);
	ck_assert_int_eq(rec_parse_size("64M", &v), 0);
	ck_assert_uint_eq(v, 64u << 20);
	ck_assert_int_eq(rec_parse_size("512k", &v), 0);
	ck_assert_uint_eq(v, 512u << 10);
	ck_assert_int_eq(rec_parse_size("M", &v), -1);
	ck_assert_int_eq(rec_parse_size("99999999999999999999", &v), -1);
}
END_TEST

Suite *recfile_suite(void)
{
	Suite *s = suite_create("recfile");
	TCase *tc = tcase_create("recfile");

	tcase_add_test(tc, test_crc32c);
	tcase_add_test(tc, test_roundtrip_dir);
	tcase_add_test(tc, test_empty_and_header_only);
	tcase_add_test(tc, test_foreign_and_future);
	tcase_add_test(tc, test_truncated_tail);
	tcase_add_test(tc, test_flipped_byte);
	tcase_add_test(tc, test_concurrent_append);
	tcase_add_test(tc, test_rotation);
	tcase_add_test(tc, test_retention);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_single_file_other_boot);
	tcase_add_test(tc, test_write_failure);
	tcase_add_test(tc, test_time_specs);
	suite_add_tcase(s, tc);
	return s;
}
