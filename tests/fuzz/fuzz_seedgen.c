/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the seeds of the decoder targets from samples of fixture trees:
 *   fuzz_seedgen OUTDIR
 * OUTDIR/sample_keyframe/<tree>.rec, a keyframe record, and <tree>.raw,
 * its body before compression (the two input forms of the target: see
 * run_sample_keyframe); OUTDIR/sample_delta/<tree>.rec and .raw, the delta
 * from the first sample of FUZZ_SAMPLE_TREE (the target's previous
 * snapshot) to the sample of <tree>; OUTDIR/recording/<tree>.ltr, three
 * samples of the tree recorded with a keyframe every second record. The
 * seeds are committed under tests/fixtures/fuzz/seeds/; run this again
 * when the encoding changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "codec_wire.h"
#include "compat.h"
#include "fuzz_records.h"
#include "recwrite.h"
#include "root.h"
#include "sample_codec.h"

static const char *const trees[] = { "procnet", "procs", "tmpfs", "tcpmem", "cgroup/v2" };

static void die(const char *what)
{
	fprintf(stderr, "fuzz_seedgen: %s\n", what);
	exit(EXIT_FAILURE);
}

static void write_file(const char *dir, const char *sub, const char *name, const char *ext,
		       const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/%s%s", dir, sub, name, ext);
	for (char *c = path + strlen(dir) + strlen(sub) + 2; *c; c++)
		if (*c == '/')
			*c = '-';
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		die(path);
}

/* The record as it is, and its body decompressed (the .raw form). */
static void write_record(const char *dir, const char *sub, const char *tree, const struct buf *rec)
{
	struct wire_in in = { (const uint8_t *)rec->data, (const uint8_t *)rec->data + rec->len,
			      false };
	uint64_t raw_len;
	void *raw;

	write_file(dir, sub, tree, ".rec", rec->data, rec->len);
	wire_get_bytes(&in, 2);
	for (int i = 0; i < 3; i++)
		wire_get_u64(&in);	/* seq, prev_seq, group */
	raw_len = wire_get_u64(&in);
	raw = malloc(raw_len ? raw_len : 1);
	if (in.bad || !raw ||
	    ZSTD_decompress(raw, raw_len, in.p, wire_left(&in)) != raw_len)
		die("cannot decompress a record just encoded");
	write_file(dir, sub, tree, ".raw", raw, raw_len);
	free(raw);
}

static void record_tree(const char *dir, const char *tree, struct snapshot **s, size_t n)
{
	char path[4096], err[256];
	struct rec_header h;
	struct rec_writer_opts o = { .path = path, .keyframe_every = 2, .host = &h };
	struct rec_writer *w;
	struct root r;
	char tmp[] = "/tmp/leaktop-seedgen.XXXXXX";
	struct buf b = { 0 };

	if (!mkdtemp(tmp))
		die("mkdtemp");
	snprintf(path, sizeof(path), "%s/%s/%s", FIXTURES_DIR, tree, "");
	if (root_open(&r, path))
		die(path);
	rec_header_from_root(&h, &r);
	root_close(&r);
	snprintf(path, sizeof(path), "%s/seed%s", tmp, REC_SUFFIX);
	w = rec_writer_open(&o, err, sizeof(err));
	if (!w)
		die(err);
	for (size_t i = 0; i < n; i++)
		if (rec_writer_append(w, s[i]))
			die(rec_writer_error(w));
	if (rec_writer_close(w) || buf_readat(AT_FDCWD, path, &b, 0))
		die(path);
	write_file(dir, "recording", tree, REC_SUFFIX, b.data, b.len);
	buf_free(&b);
	unlink(path);
	rmdir(tmp);
}

int main(int argc, char **argv)
{
	struct snapshot *base[1], *s[3];
	struct buf rec = { 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_seedgen OUTDIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		die(argv[1]);
	if (fuzz_fixture_samples(FIXTURES_DIR, FUZZ_SAMPLE_TREE, base, 1))
		die(FUZZ_SAMPLE_TREE);
	for (size_t t = 0; t < ARRAY_SIZE(trees); t++) {
		struct sample_encoder *e = sample_encoder_new(0);

		if (fuzz_fixture_samples(FIXTURES_DIR, trees[t], s, ARRAY_SIZE(s)))
			die(trees[t]);
		if (sample_encode(e, s[0], true, &rec))
			die("encode");
		write_record(argv[1], "sample_keyframe", trees[t], &rec);
		sample_encoder_free(e);

		/* a delta from the delta target's previous snapshot: of a later
		 * sample of the same tree, or of another tree altogether */
		e = sample_encoder_new(0);
		if (sample_encode(e, base[0], true, &rec) ||
		    sample_encode(e, s[strcmp(trees[t], FUZZ_SAMPLE_TREE) ? 0 : 1], false, &rec))
			die("encode");
		write_record(argv[1], "sample_delta", trees[t], &rec);
		sample_encoder_free(e);

		record_tree(argv[1], trees[t], s, ARRAY_SIZE(s));
		for (size_t i = 0; i < ARRAY_SIZE(s); i++)
			snapshot_unref(s[i]);
	}
	snapshot_unref(base[0]);
	buf_free(&rec);
	return 0;
}
