/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpfs/ramfs/devtmpfs mounts and SysV shared memory: the fixture roots
 * tests/fixtures/tmpfs and tmpfs-oldshm (see README there), plus bad input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "buf.h"
#include "notes.h"
#include "root.h"
#include "suites.h"
#include "tmpfs.h"

static void load(const char *rel, struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, b, 0) == 0, "cannot read %s", path);
}

START_TEST(test_mountinfo)
{
	static const char *const mp[] = {
		"/dev", "/dev/shm", "/mnt/ro-overlay",
		"/run/my ram\\disk", "/srv/bind", "/sys/fs/cgroup", "/tmp",
	};
	struct buf b = { 0 };
	struct tmpfs_table t;
	struct notes ns = { 0 };

	load("tmpfs/proc/self/mountinfo", &b);
	ck_assert_int_eq(tmpfs_parse_mountinfo(b.data, b.len, "tmpfs", &t, &ns), 0);
	ck_assert_uint_eq(t.n, ARRAY_SIZE(mp));
	for (size_t i = 0; i < t.n; i++)
		ck_assert_str_eq(t.v[i].mountpoint, mp[i]);
	ck_assert_str_eq(t.v[0].fstype, "devtmpfs");
	/* /dev/shm is mounted twice; the later mount (0:26) is the visible one */
	ck_assert_uint_eq(t.v[1].dev_minor, 26);
	ck_assert_str_eq(t.v[3].fstype, "ramfs");
	ck_assert_str_eq(t.v[3].source, "none");
	ck_assert_str_eq(t.v[6].source, "tmp fs");
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_str_eq(ns.v[0].source, "tmpfs");
	ck_assert_uint_eq(ns.v[0].line, 11);
	ck_assert_str_eq(ns.v[0].msg, "expected 6 fields, ' - ' and a filesystem type");
	tmpfs_table_free(&t);
	notes_free(&ns);

	ck_assert_int_eq(tmpfs_parse_mountinfo("", 0, "tmpfs", &t, &ns), -1);
	ck_assert_str_eq(ns.v[0].msg, "no mount line could be parsed");
	notes_free(&ns);
	ck_assert_int_eq(tmpfs_parse_mountinfo("1 2 x:y / /a rw - tmpfs t rw\n", 29, "tmpfs", &t,
					       &ns), -1);
	ck_assert_str_eq(ns.v[0].msg, "bad device or mount point");
	ck_assert_uint_eq(ns.v[0].line, 1);
	notes_free(&ns);
	buf_free(&b);
}
END_TEST

START_TEST(test_shm)
{
	struct buf b = { 0 };
	struct sysv_shm shm;
	struct notes ns = { 0 };

	load("tmpfs/proc/sysvipc/shm", &b);
	ck_assert_int_eq(sysv_shm_parse(b.data, b.len, "sysv_shm", &shm, &ns), 0);
	ck_assert(shm.present);
	ck_assert(shm.has_rss);
	ck_assert_uint_eq(shm.segments, 3);
	ck_assert_uint_eq(shm.size_bytes, 21037056);
	ck_assert_uint_eq(shm.rss_bytes, 16482304);
	ck_assert_uint_eq(shm.swap_bytes, 1048576);
	ck_assert_uint_eq(shm.orphan_segments, 2);
	ck_assert_uint_eq(shm.orphan_rss_bytes, 12288000);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_str_eq(ns.v[0].source, "sysv_shm");
	ck_assert_uint_eq(ns.v[0].line, 5);
	ck_assert_str_eq(ns.v[0].msg, "bad number");
	notes_free(&ns);

	/* older kernels: no rss/swap columns */
	load("tmpfs-oldshm/proc/sysvipc/shm", &b);
	ck_assert_int_eq(sysv_shm_parse(b.data, b.len, "sysv_shm", &shm, &ns), 0);
	ck_assert(!shm.has_rss);
	ck_assert_uint_eq(shm.segments, 2);
	ck_assert_uint_eq(shm.size_bytes, 5242880);
	ck_assert_uint_eq(shm.orphan_segments, 1);
	ck_assert_uint_eq(ns.n, 0);

	ck_assert_int_eq(sysv_shm_parse("", 0, "sysv_shm", &shm, &ns), -1);
	ck_assert(!shm.present);
	ck_assert_int_eq(sysv_shm_parse("a b c\n1 2 3\n", 12, "sysv_shm", &shm, &ns), -1);
	ck_assert_str_eq(ns.v[1].msg, "header lacks shmid, size or nattch");
	notes_free(&ns);
	buf_free(&b);
}
END_TEST

START_TEST(test_sample_fixture)
{
	struct root r;
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	struct statfs sf;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tmpfs", FIXTURES_DIR);
	ck_assert_int_eq(root_open(&r, dir), 0);
	ck_assert(!r.live);
	tmpfs_sample(&r, &t, &shm, &ns);
	ck_assert_uint_eq(t.n, 7);
	/* dev/ and dev/shm/ exist in the fixture tree, the rest do not; the
	 * existing ones report the usage of the filesystem holding the tree,
	 * which has block counts unless it is an unsized tmpfs. */
	ck_assert_int_eq(statfs(dir, &sf), 0);
	ck_assert_int_eq(t.v[0].has_usage, sf.f_blocks > 0);
	ck_assert_int_eq(t.v[1].has_usage, sf.f_blocks > 0);
	for (size_t i = 2; i < t.n; i++)
		ck_assert_msg(!t.v[i].has_usage, "%s", t.v[i].mountpoint);
	ck_assert_uint_eq(shm.segments, 3);
	ck_assert_uint_eq(ns.n, 2);
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);

	/* a root without proc/sysvipc: shm is missing, not zero */
	snprintf(dir, sizeof(dir), "%s/seed001", FIXTURES_DIR);
	ck_assert_int_eq(root_open(&r, dir), 0);
	tmpfs_sample(&r, &t, &shm, &ns);
	ck_assert(!shm.present);
	ck_assert(notes_is_missing(&ns, "tmpfs"));
	ck_assert(notes_is_missing(&ns, "sysv_shm"));
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);
}
END_TEST

START_TEST(test_sample_live)
{
	struct root r;
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };

	/* Whatever the box mounts, our own mountinfo is readable and every
	 * row kept is RAM-backed; a sized mount has usage. */
	ck_assert_int_eq(root_open(&r, "/"), 0);
	tmpfs_sample(&r, &t, &shm, &ns);
	ck_assert(!notes_is_missing(&ns, "tmpfs"));
	for (size_t i = 0; i < t.n; i++) {
		const struct tmpfs_mount *m = &t.v[i];

		ck_assert_msg(strcmp(m->fstype, "tmpfs") == 0 || strcmp(m->fstype, "ramfs") == 0 ||
			      strcmp(m->fstype, "devtmpfs") == 0 ||
			      strcmp(m->mountpoint, "/dev/shm") == 0, "%s", m->fstype);
		if (m->has_usage)
			ck_assert_uint_ge(m->size_bytes, m->used_bytes);
		if (i)
			ck_assert_int_lt(strcmp(t.v[i - 1].mountpoint, m->mountpoint), 0);
	}
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);
}
END_TEST

Suite *tmpfs_suite(void)
{
	Suite *s = suite_create("tmpfs");
	TCase *tc = tcase_create("tmpfs");

	tcase_add_test(tc, test_mountinfo);
	tcase_add_test(tc, test_shm);
	tcase_add_test(tc, test_sample_fixture);
	tcase_add_test(tc, test_sample_live);
	suite_add_tcase(s, tc);
	return s;
}
