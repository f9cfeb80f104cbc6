/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every input the fuzzers found a crash with (tests/fixtures/fuzz/<target>/)
 * and every seed of tests/fuzz/seeds.list, fed to its parser through the
 * fuzz targets' own adapters (tests/fuzz/fuzz_parsers.c): so each crash stays
 * fixed in every build, not only in a --enable-fuzzing one, and the adapters'
 * invariants (sorted tables, lookups finding every entry, terminated
 * strings) hold on the real fixtures. An adapter that finds a broken
 * invariant aborts; the fork-mode runner reports that as the failure of the
 * input's iteration, whose path is printed on stderr first.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "compat.h"
#include "fuzz_parsers.h"
#include "xalloc.h"

struct fuzz_input {
	const struct fuzz_parser *parser;
	char path[512];
	int selector;		/* byte put before the file's bytes; -1 for none */
};

static struct fuzz_input *inputs;
static size_t ninputs, inputs_cap;
static size_t per_parser[64];

static void add_input(const struct fuzz_parser *p, const char *path, int selector)
{
	struct fuzz_input *in;

	xgrow((void **)&inputs, &inputs_cap, ninputs + 1, sizeof(*inputs));
	in = &inputs[ninputs++];
	in->parser = p;
	snprintf(in->path, sizeof(in->path), "%s", path);
	in->selector = selector;
	per_parser[p - fuzz_parsers]++;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of tests/fixtures/fuzz/<target>/, in name order; a missing directory is fine:
 * most targets never crashed. */
static void add_crashes(const struct fuzz_parser *p)
{
	char dir[512], path[1024];
	char *names[256];
	size_t n = 0;
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/fuzz/%s", FIXTURES_DIR, p->name);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) && n < ARRAY_SIZE(names))
		if (d->d_name[0] != '.')
			names[n++] = xstrdup(d->d_name);
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		add_input(p, path, -1);
		free(names[i]);
	}
}

static void add_seeds(void)
{
	char target[64], sel[8], fixture[256], path[1024];
	char line[512];
	FILE *f = fopen(FUZZ_DIR "/seeds.list", "r");

	if (!f) {
		perror(FUZZ_DIR "/seeds.list");
		exit(EXIT_FAILURE);
	}
	while (fgets(line, sizeof(line), f)) {
		const struct fuzz_parser *p;

		if (line[0] == '#' || sscanf(line, "%63s %7s %255s", target, sel, fixture) != 3)
			continue;
		p = fuzz_parser_find(target);
		if (!p) {
			fprintf(stderr, "seeds.list: no parser named %s\n", target);
			exit(EXIT_FAILURE);
		}
		snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, fixture);
		add_input(p, path, strcmp(sel, "-") == 0 ? -1 : (unsigned char)sel[0]);
	}
	fclose(f);
}

START_TEST(test_every_parser_has_inputs)
{
	ck_assert_msg(per_parser[_i] > 0, "fuzz target %s has no seed in seeds.list",
		      fuzz_parsers[_i].name);
}
END_TEST

START_TEST(test_input)
{
	const struct fuzz_input *in = &inputs[_i];
	size_t pre = in->selector >= 0 ? 1 : 0;
	struct buf b = { 0 };
	uint8_t *exact;

	ck_assert_msg(buf_readat(AT_FDCWD, in->path, &b, 0) == 0, "cannot read %s", in->path);
	/* An exact-size copy, as the fuzzer gives it: ASan sees a read past the
	 * end when it happens (buf_readat leaves a NUL there). */
	exact = xmalloc(pre + b.len ? pre + b.len : 1);
	if (pre)
		exact[0] = (uint8_t)in->selector;
	memcpy(exact + pre, b.data, b.len);
	fprintf(stderr, "fuzzcrash: %s <- %s\n", in->parser->name, in->path);
	in->parser->run(in->parser, exact, pre + b.len);
	free(exact);
	buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzzcrash");
	TCase *tc = tcase_create("inputs");
	SRunner *sr;
	int failed;

	if (fuzz_parsers_n > ARRAY_SIZE(per_parser))
		abort();
	add_seeds();
	for (size_t i = 0; i < fuzz_parsers_n; i++)
		add_crashes(&fuzz_parsers[i]);
	tcase_add_loop_test(tc, test_every_parser_has_inputs, 0, (int)fuzz_parsers_n);
	tcase_add_loop_test(tc, test_input, 0, (int)ninputs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(inputs);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
