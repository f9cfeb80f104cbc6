/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpfs/ramfs/devtmpfs mounts and SysV shared memory: the fixture roots
 * tests/fixtures/tmpfs and tmpfs-oldshm (see README there), bad input, a
 * root built at run time whose mountinfo names the real devices of its
 * directories, and (as root, in a private mount namespace) a tmpfs hidden
 * under another mount.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "buf.h"
#include "expect.h"
#include "notes.h"
#include "root.h"
#include "suites.h"
#include "tmpfs.h"

/* The note tmpfs_sample left about mount point mp, or NULL. */
static const char *mount_note(const struct notes *ns, const char *mp)
{
	size_t n = strlen(mp);

	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i].source, "tmpfs") == 0 && strncmp(ns->v[i].msg, mp, n) == 0 &&
		    ns->v[i].msg[n] == ':')
			return ns->v[i].msg;
	return NULL;
}

static const struct tmpfs_mount *find_mount(const struct tmpfs_table *t, const char *mp)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].mountpoint, mp) == 0)
			return &t->v[i];
	return NULL;
}

/* The total must count each device with usage once. */
static uint64_t distinct_device_sum(const struct tmpfs_table *t)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < t->n; i++) {
		bool seen = false;

		if (!t->v[i].has_usage)
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= t->v[j].has_usage && t->v[j].dev_major == t->v[i].dev_major &&
				t->v[j].dev_minor == t->v[i].dev_minor;
		if (!seen)
			sum += t->v[i].used_bytes;
	}
	return sum;
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

	fixture_load("tmpfs/proc/self/mountinfo", &b);
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
	buf_free(&b);
}
END_TEST

/* Input with no usable mount line: -1 and a located note. */
static const struct bad_mountinfo {
	const char *in;
	unsigned int line;
	const char *msg;
} bad_mountinfo[] = {
	{ "", 0, "no mount line could be parsed" },
	{ "1 2 x:y / /a rw - tmpfs t rw\n", 1, "bad device or mount point" },
};

START_TEST(test_mountinfo_bad)
{
	const struct bad_mountinfo *c = &bad_mountinfo[_i];
	struct tmpfs_table t;
	struct notes ns = { 0 };

	ck_assert_int_eq(tmpfs_parse_mountinfo(c->in, strlen(c->in), "tmpfs", &t, &ns), -1);
	ck_assert_uint_ge(ns.n, 1);
	ck_assert_str_eq(ns.v[0].msg, c->msg);
	ck_assert_uint_eq(ns.v[0].line, c->line);
	tmpfs_table_free(&t);
	notes_free(&ns);
}
END_TEST

/* sysvipc/shm captures: the current layout and the pre-2.6.36 one without
 * rss and swap columns. */
static const struct shm_case {
	const char *rel;
	bool has_rss;
	uint64_t segments, size_bytes, rss_bytes, swap_bytes;
	uint64_t orphan_segments, orphan_rss_bytes;
	unsigned int bad_line;	/* line of the one "bad number" note, 0: no note */
} shm_cases[] = {
	{ "tmpfs/proc/sysvipc/shm", true, 3, 21037056, 16482304, 1048576, 2, 12288000, 5 },
	{ "tmpfs-oldshm/proc/sysvipc/shm", false, 2, 5242880, 0, 0, 1, 0, 0 },
};

START_TEST(test_shm)
{
	const struct shm_case *c = &shm_cases[_i];
	struct buf b = { 0 };
	struct sysv_shm shm;
	struct notes ns = { 0 };

	fixture_load(c->rel, &b);
	ck_assert_int_eq(sysv_shm_parse(b.data, b.len, "sysv_shm", &shm, &ns), 0);
	ck_assert(shm.present);
	ck_assert_int_eq(shm.has_rss, c->has_rss);
	ck_assert_uint_eq(shm.segments, c->segments);
	ck_assert_uint_eq(shm.size_bytes, c->size_bytes);
	ck_assert_uint_eq(shm.rss_bytes, c->rss_bytes);
	ck_assert_uint_eq(shm.swap_bytes, c->swap_bytes);
	ck_assert_uint_eq(shm.orphan_segments, c->orphan_segments);
	ck_assert_uint_eq(shm.orphan_rss_bytes, c->orphan_rss_bytes);
	ck_assert_uint_eq(ns.n, c->bad_line ? 1 : 0);
	if (c->bad_line) {
		ck_assert_str_eq(ns.v[0].source, "sysv_shm");
		ck_assert_uint_eq(ns.v[0].line, c->bad_line);
		ck_assert_str_eq(ns.v[0].msg, "bad number");
	}
	notes_free(&ns);
	buf_free(&b);
}
END_TEST

static const struct bad_shm {
	const char *in;
	const char *msg;
} bad_shm[] = {
	{ "", "empty" },
	{ "a b c\n1 2 3\n", "header lacks shmid, size or nattch" },
};

START_TEST(test_shm_bad)
{
	const struct bad_shm *c = &bad_shm[_i];
	struct sysv_shm shm;
	struct notes ns = { 0 };

	ck_assert_int_eq(sysv_shm_parse(c->in, strlen(c->in), "sysv_shm", &shm, &ns), -1);
	ck_assert(!shm.present);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_str_eq(ns.v[0].msg, c->msg);
	notes_free(&ns);
}
END_TEST

/* Fixture roots: which of mountinfo and sysvipc/shm each one has. */
static const struct root_case {
	const char *dir;
	size_t mounts;		/* rows kept; 0 with mounts_missing */
	bool mounts_missing;
	uint64_t shm_segments;	/* 0 with shm_missing */
	bool shm_missing;
} root_cases[] = {
	{ "tmpfs", 7, false, 3, false },
	{ "tmpfs-oldshm", 0, true, 2, false },
	{ "seed001", 0, true, 0, true },
};

START_TEST(test_sample_fixture_roots)
{
	const struct root_case *c = &root_cases[_i];
	struct root r;
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES_DIR, c->dir);
	ck_assert_int_eq(root_open(&r, dir), 0);
	ck_assert(!r.live);
	tmpfs_sample(&r, NULL, &t, &shm, &ns);
	ck_assert_int_eq(notes_is_missing(&ns, "tmpfs"), c->mounts_missing);
	ck_assert_uint_eq(t.n, c->mounts);
	ck_assert_int_eq(notes_is_missing(&ns, "sysv_shm"), c->shm_missing);
	ck_assert_int_eq(shm.present, !c->shm_missing);
	ck_assert_uint_eq(shm.segments, c->shm_segments);
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);
}
END_TEST

/*
 * The mountinfo of the tmpfs fixture names devices (0:6, 0:26, ...) that
 * are not the files on disk: dev/ and dev/shm/ exist in the tree but belong
 * to whatever filesystem holds it, the other mount points do not exist.
 * None of them may report usage, each says why, and nothing is totalled.
 */
START_TEST(test_sample_fixture_devices)
{
	struct root r;
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	char dir[4096], want[256];

	snprintf(dir, sizeof(dir), "%s/tmpfs", FIXTURES_DIR);
	ck_assert_int_eq(root_open(&r, dir), 0);
	tmpfs_sample(&r, NULL, &t, &shm, &ns);
	ck_assert_uint_eq(t.n, 7);
	for (size_t i = 0; i < t.n; i++) {
		const char *mp = t.v[i].mountpoint, *msg = mount_note(&ns, mp);
		bool in_tree = i < 2;	/* /dev and /dev/shm */

		ck_assert_msg(!t.v[i].has_usage, "%s reports usage", mp);
		ck_assert_msg(msg != NULL, "no note for %s", mp);
		snprintf(want, sizeof(want), "%s: usage unknown: %s", mp,
			 in_tree ? "not this filesystem under --root" : "mount point not found");
		ck_assert_str_eq(msg, want);
	}
	ck_assert_uint_eq(t.total_used_bytes, 0);
	/* 7 mounts, the garbage mountinfo line, the bad shm number */
	ck_assert_uint_eq(ns.n, 9);
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);
}
END_TEST

static void mkdir_in(char *out, size_t sz, const char *dir, const char *rel)
{
	snprintf(out, sz, "%s/%s", dir, rel);
	ck_assert_int_eq(mkdir(out, 0755), 0);
}

/*
 * A root built here: its mountinfo names the real device of data/ twice (a
 * bind mount seen from two paths) and a wrong device for other/. data/ and
 * bind/ report the usage of that device, counted once in the total; other/
 * reports none.
 */
START_TEST(test_sample_device_match)
{
	char tree[] = "/tmp/leaktop-tmpfs-XXXXXX";
	char proc[4200], self[4200], data[4200], bind[4200], other[4200], mi[4300], text[512];
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	const struct tmpfs_mount *md, *mb, *mo;
	struct statfs sf;
	struct stat st;
	struct root r;

	ck_assert_ptr_nonnull(mkdtemp(tree));
	mkdir_in(proc, sizeof(proc), tree, "proc");
	mkdir_in(self, sizeof(self), tree, "proc/self");
	mkdir_in(data, sizeof(data), tree, "data");
	mkdir_in(bind, sizeof(bind), tree, "bind");
	mkdir_in(other, sizeof(other), tree, "other");
	ck_assert_int_eq(stat(data, &st), 0);
	ck_assert_int_eq(statfs(data, &sf), 0);
	snprintf(text, sizeof(text),
		 "40 1 %u:%u / /data rw - tmpfs a rw\n"
		 "41 1 %u:%u / /bind rw - tmpfs a rw\n"
		 "42 1 %u:%u / /other rw - tmpfs b rw\n",
		 major(st.st_dev), minor(st.st_dev), major(st.st_dev), minor(st.st_dev),
		 major(st.st_dev), minor(st.st_dev) + 1);
	snprintf(mi, sizeof(mi), "%s/mountinfo", self);
	write_text_in(NULL, mi, text);

	ck_assert_int_eq(root_open(&r, tree), 0);
	tmpfs_sample(&r, NULL, &t, &shm, &ns);
	ck_assert_uint_eq(t.n, 3);
	md = find_mount(&t, "/data");
	mb = find_mount(&t, "/bind");
	mo = find_mount(&t, "/other");
	ck_assert(md && mb && mo);
	/* an unsized filesystem has no block counts: then nothing has usage */
	ck_assert_int_eq(md->has_usage, sf.f_blocks > 0);
	ck_assert_int_eq(mb->has_usage, sf.f_blocks > 0);
	ck_assert_ptr_null(mount_note(&ns, "/data"));
	ck_assert_ptr_null(mount_note(&ns, "/bind"));
	ck_assert(!mo->has_usage);
	ck_assert_str_eq(mount_note(&ns, "/other"),
			 "/other: usage unknown: not this filesystem under --root");
	ck_assert_uint_eq(t.total_used_bytes, md->used_bytes);
	ck_assert_uint_eq(t.total_used_bytes, distinct_device_sum(&t));
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);

	ck_assert_int_eq(unlink(mi), 0);
	ck_assert_int_eq(rmdir(self), 0);
	ck_assert_int_eq(rmdir(proc), 0);
	ck_assert_int_eq(rmdir(data), 0);
	ck_assert_int_eq(rmdir(bind), 0);
	ck_assert_int_eq(rmdir(other), 0);
	ck_assert_int_eq(rmdir(tree), 0);
}
END_TEST

/* The mount points of one sample through cache c, and whether it noted a
 * bad mountinfo line. */
static size_t cached_mounts(struct root *r, struct tmpfs_cache *c, char *names, size_t sz,
			    bool *bad_line)
{
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	size_t n, len = 0;

	tmpfs_sample(r, c, &t, &shm, &ns);
	names[0] = '\0';
	for (size_t i = 0; i < t.n; i++)
		len += (size_t)snprintf(names + len, sz - len, "%s ", t.v[i].mountpoint);
	*bad_line = false;
	for (size_t i = 0; i < ns.n; i++)
		*bad_line |= ns.v[i].line > 0;	/* located: a mountinfo line */
	n = t.n;
	tmpfs_table_free(&t);
	notes_free(&ns);
	return n;
}

/*
 * The cache of the last mountinfo: an unchanged file gives the same mounts
 * (each sample its own copy: the table of the sample before is freed
 * first), a changed one is parsed again, and a file with a bad line is
 * parsed, and its line noted, every time.
 */
START_TEST(test_sample_mountinfo_cached)
{
	char tree[] = "/tmp/leaktop-mcache-XXXXXX";
	char proc[4200], self[4200], mi[4300], names[512];
	struct tmpfs_cache c = { 0 };
	struct root r;
	bool bad;

	ck_assert_ptr_nonnull(mkdtemp(tree));
	mkdir_in(proc, sizeof(proc), tree, "proc");
	mkdir_in(self, sizeof(self), tree, "proc/self");
	snprintf(mi, sizeof(mi), "%s/mountinfo", self);
	write_text_in(NULL, mi, "40 1 0:90 / /a rw - tmpfs a rw\n41 1 0:91 / /b rw - tmpfs b rw\n");
	ck_assert_int_eq(root_open(&r, tree), 0);

	ck_assert_uint_eq(cached_mounts(&r, &c, names, sizeof(names), &bad), 2);
	ck_assert_str_eq(names, "/a /b ");
	ck_assert(c.parsed);
	ck_assert_uint_eq(cached_mounts(&r, &c, names, sizeof(names), &bad), 2);
	ck_assert_str_eq(names, "/a /b ");

	write_text_in(NULL, mi,
		      "40 1 0:90 / /a rw - tmpfs a rw\n41 1 0:91 / /b rw - tmpfs b rw\n"
		      "42 1 0:92 / /c rw - ramfs c rw\n");
	ck_assert_uint_eq(cached_mounts(&r, &c, names, sizeof(names), &bad), 3);
	ck_assert_str_eq(names, "/a /b /c ");

	write_text_in(NULL, mi, "40 1 0:90 / /a rw - tmpfs a rw\ngarbage\n");
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(cached_mounts(&r, &c, names, sizeof(names), &bad), 1);
		ck_assert_msg(bad, "sample %d: the bad line is not noted", k);
		ck_assert(!c.parsed);
	}
	tmpfs_cache_free(&c);
	root_close(&r);
	ck_assert_int_eq(unlink(mi), 0);
	ck_assert_int_eq(rmdir(self), 0);
	ck_assert_int_eq(rmdir(proc), 0);
	ck_assert_int_eq(rmdir(tree), 0);
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
	tmpfs_sample(&r, NULL, &t, &shm, &ns);
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
	ck_assert_uint_eq(t.total_used_bytes, distinct_device_sum(&t));
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);
}
END_TEST

static void mount_tmpfs(const char *name, const char *dir)
{
	ck_assert_msg(mount(name, dir, "tmpfs", 0, "size=1m") == 0, "mount %s on %s: %s", name,
		      dir, strerror(errno));
}

/*
 * Live, in a mount namespace of this test process alone (gone when it
 * exits): "hidden" is mounted on D/sub, then "upper" on D, then D bound on
 * D2. D/sub now leads into upper, so hidden has no usage and says why;
 * upper is seen twice (D and D2) and counted once. Needs CAP_SYS_ADMIN.
 */
START_TEST(test_sample_shadowed_live)
{
	char d[] = "/tmp/leaktop-shadow-XXXXXX", d2[] = "/tmp/leaktop-bind-XXXXXX";
	char sub[64], want[128];
	const struct tmpfs_mount *mh, *mu, *mb;
	struct tmpfs_table t;
	struct sysv_shm shm;
	struct notes ns = { 0 };
	struct root r;
	const char *ck_fork = getenv("CK_FORK");

	if (ck_fork && strcmp(ck_fork, "no") == 0) {
		fprintf(stderr, "SKIP test_sample_shadowed_live: needs fork mode (own namespace)\n");
		return;
	}
	if (unshare(CLONE_NEWNS) < 0) {
		fprintf(stderr, "SKIP test_sample_shadowed_live: no private mount namespace: %s\n",
			strerror(errno));
		return;
	}
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_ptr_nonnull(mkdtemp(d));
	ck_assert_ptr_nonnull(mkdtemp(d2));
	snprintf(sub, sizeof(sub), "%s/sub", d);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	mount_tmpfs("leaktop-hidden", sub);
	mount_tmpfs("leaktop-upper", d);
	ck_assert_int_eq(mkdir(sub, 0755), 0);	/* in upper: the path resolves */
	ck_assert_int_eq(mount(d, d2, NULL, MS_BIND, NULL), 0);

	ck_assert_int_eq(root_open(&r, "/"), 0);
	tmpfs_sample(&r, NULL, &t, &shm, &ns);
	mh = find_mount(&t, sub);
	mu = find_mount(&t, d);
	mb = find_mount(&t, d2);
	ck_assert(mh && mu && mb);
	ck_assert_str_eq(mh->source, "leaktop-hidden");
	ck_assert_str_eq(mu->source, "leaktop-upper");
	ck_assert(!mh->has_usage);
	snprintf(want, sizeof(want), "%s: usage unknown: shadowed by another mount", sub);
	ck_assert_str_eq(mount_note(&ns, sub), want);
	ck_assert(mu->has_usage && mb->has_usage);
	ck_assert_uint_eq(mu->dev_minor, mb->dev_minor);
	ck_assert_uint_eq(t.total_used_bytes, distinct_device_sum(&t));
	tmpfs_table_free(&t);
	root_close(&r);
	notes_free(&ns);

	ck_assert_int_eq(umount2(d2, MNT_DETACH), 0);
	ck_assert_int_eq(umount2(d, MNT_DETACH), 0);
	ck_assert_int_eq(umount2(sub, MNT_DETACH), 0);
	ck_assert_int_eq(rmdir(sub), 0);
	ck_assert_int_eq(rmdir(d), 0);
	ck_assert_int_eq(rmdir(d2), 0);
}
END_TEST

Suite *tmpfs_suite(void)
{
	Suite *s = suite_create("tmpfs");
	TCase *tc = tcase_create("tmpfs");

	tcase_add_test(tc, test_mountinfo);
	tcase_add_loop_test(tc, test_mountinfo_bad, 0, ARRAY_SIZE(bad_mountinfo));
	tcase_add_loop_test(tc, test_shm, 0, ARRAY_SIZE(shm_cases));
	tcase_add_loop_test(tc, test_shm_bad, 0, ARRAY_SIZE(bad_shm));
	tcase_add_loop_test(tc, test_sample_fixture_roots, 0, ARRAY_SIZE(root_cases));
	tcase_add_test(tc, test_sample_fixture_devices);
	tcase_add_test(tc, test_sample_device_match);
	tcase_add_test(tc, test_sample_live);
	tcase_add_test(tc, test_sample_mountinfo_cached);
	tcase_add_test(tc, test_sample_shadowed_live);
	suite_add_tcase(s, tc);
	return s;
}
