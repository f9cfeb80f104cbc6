/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failures the kernel rarely gives, injected: this program defines its own
 * fdopendir and mnl_socket_sendto, which the core library linked into it
 * calls instead of libc's and libmnl's (the executable's definition wins).
 * A directory walk can be made to fail after its descriptor was opened:
 * every walk must then close what it opened (leaktop runs for days and an
 * fd lost per sample ends it). The TCP dump of both families in one
 * request can be made to be refused, as a kernel without that request
 * would: the two family dumps must stand in for it in the same sample.
 */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "compat.h"
#include "kstack.h"
#include "notes.h"
#include "root.h"
#include "slabmerge.h"
#include "sock.h"
#include "sockdiag.h"

static bool fail_fdopendir;

DIR *fdopendir(int fd)
{
	static DIR *(*real)(int);

	if (fail_fdopendir) {
		errno = ENOMEM;
		return NULL;
	}
	if (!real)
		real = (DIR * (*)(int)) dlsym(RTLD_NEXT, "fdopendir");
	return real(fd);
}

static bool refuse_tcp_unspec;
static int unspec_requests, family_tcp_requests;

/* A TCPDIAG_GETSOCK request goes out with a type the kernel does not know,
 * which it answers with EINVAL, as one without that request would. */
ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len)
{
	static ssize_t (*real)(const struct mnl_socket *, const void *, size_t);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	if (!real)
		real = (ssize_t(*)(const struct mnl_socket *, const void *, size_t))dlsym(
			RTLD_NEXT, "mnl_socket_sendto");
	if (nlh->nlmsg_type == TCPDIAG_GETSOCK) {
		unspec_requests++;
		if (refuse_tcp_unspec)
			nlh->nlmsg_type = NLMSG_MIN_TYPE + 0x7000;
	} else if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
		const struct inet_diag_req_v2 *r = mnl_nlmsg_get_payload(nlh);

		if ((r->sdiag_family == AF_INET || r->sdiag_family == AF_INET6) &&
		    r->sdiag_protocol == IPPROTO_TCP)
			family_tcp_requests++;
	}
	return real(nl, buf, len);
}

/* Open descriptors of this process (opendir does not go through fdopendir). */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* One walk that opens a directory with fdopendir, on the live root. */
static void walk_kstack(const struct root *r)
{
	struct kstack_proc kp;

	kstack_read(r, (int32_t)getpid(), 0, &kp);
	ck_assert_int_ne(kp.err, 0);
	kstack_proc_free(&kp);
}

static void walk_slabmerge(const struct root *r)
{
	struct slab_aliases a = { 0 };
	struct notes ns = { 0 };

	ck_assert_int_lt(slabmerge_read(r, &a, &ns), 0);
	ck_assert(notes_is_missing(&ns, "slab_merge"));
	slab_aliases_free(&a);
	notes_free(&ns);
}

static void (*const walks[])(const struct root *) = { walk_kstack, walk_slabmerge };

START_TEST(test_fdopendir_failure_closes_fd)
{
	struct root r;
	int before, after;

	ck_assert_int_eq(root_open(&r, "/"), 0);
	before = count_fds();
	fail_fdopendir = true;
	walks[_i](&r);
	fail_fdopendir = false;
	after = count_fds();
	root_close(&r);
	ck_assert_int_eq(after, before);
}
END_TEST

/* The kernel refuses the TCP dump of both families: the first sample has
 * our listener from sock_diag all the same (skmem, no fallback, no note),
 * and later samples do not ask again. */
START_TEST(test_tcp_unspec_refused)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct stat st;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	refuse_tcp_unspec = true;
	for (int k = 0; k < 2; k++) {
		struct sock_table t = { 0 };
		struct notes ns = { 0 };
		const struct sock_entry *e = NULL;

		ck_assert_int_eq(sockdiag_dump_all(&t, true, &ns), 0);
		for (size_t i = 0; i < t.n && !e; i++)
			if (t.v[i].kind == SK_TCP && t.v[i].inode == (uint32_t)st.st_ino)
				e = &t.v[i];
		ck_assert_msg(e != NULL, "sample %d: our listener is not in the table", k);
		ck_assert_int_eq(e->source, SOCK_SRC_DIAG);
		ck_assert_uint_gt(e->skmem_n, 0);
		ck_assert(t.kind_ok[SK_TCP]);
		ck_assert_int_eq(t.kind_source[SK_TCP], SOCK_SRC_DIAG);
		ck_assert_msg(notes_find(&ns, "sock_diag tcp") == NULL, "sample %d: note: %s", k,
			      notes_find(&ns, "sock_diag tcp")->msg);
		notes_free(&ns);
		sock_table_free(&t);
	}
	ck_assert_int_eq(unspec_requests, 1);
	ck_assert_int_eq(family_tcp_requests, 4);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("fdopendir");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_fdopendir_failure_closes_fd, 0, (int)ARRAY_SIZE(walks));
	suite_add_tcase(s, tc);
	tc = tcase_create("sock_diag");
	tcase_add_test(tc, test_tcp_unspec_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
