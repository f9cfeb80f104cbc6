/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "root.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int open_dir(const char *path, int *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*err = fd < 0 ? errno : 0;
	return fd;
}

int root_open(struct root *r, const char *dir)
{
	struct stat st;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->proc_fd = r->sys_fd = -1;
	if (!dir || !*dir)
		dir = getenv(ROOT_ENV);
	if (!dir || !*dir)
		dir = "/";
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n >= sizeof(r->dir) - 8)
		return -ENAMETOOLONG;
	memcpy(r->dir, dir, n);
	r->dir[n] = '\0';
	r->live = strcmp(r->dir, "/") == 0;
	/* n is bounded above, so the precision never cuts the name. */
	snprintf(r->proc_path, sizeof(r->proc_path), "%.*s/proc", (int)n, r->live ? "" : r->dir);
	snprintf(r->sys_path, sizeof(r->sys_path), "%.*s/sys", (int)n, r->live ? "" : r->dir);
	r->proc_fd = open_dir(r->proc_path, &r->proc_err);
	r->sys_fd = open_dir(r->sys_path, &r->sys_err);
	return 0;
}

void root_close(struct root *r)
{
	if (r->proc_fd >= 0)
		close(r->proc_fd);
	if (r->sys_fd >= 0)
		close(r->sys_fd);
	r->proc_fd = r->sys_fd = -1;
}

long root_page_size(const struct root *r)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? ps : 4096;
}
