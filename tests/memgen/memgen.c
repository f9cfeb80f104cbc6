/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memgen: makes memory-side growth a test can look for between two
 * leaktop samples. Bounded and self-cleaning where the kernel allows.
 *
 *   memgen dentries N DIR   stat() N names that do not exist in DIR: each
 *                           leaves a negative dentry (dentry cache grows by
 *                           about N objects). Removing DIR drops them.
 *   memgen shm BYTES PATH   write BYTES to PATH (a file on tmpfs, e.g.
 *                           under /dev/shm) and fsync it; the caller removes
 *                           it.
 * Prints one line "done <what> <count>" on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DENTRIES 5000000UL
#define MAX_SHM_BYTES (1UL << 30)

static unsigned long parse_bounded(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max) {
		fprintf(stderr, "memgen: '%s': a number from 1 to %lu\n", s, max);
		exit(2);
	}
	return v;
}

static int dentries(unsigned long n, const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	unsigned long made = 0;
	char name[64];
	struct stat st;

	if (dfd < 0) {
		fprintf(stderr, "memgen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "leaktop-negative-%lu", i);
		if (fstatat(dfd, name, &st, 0) < 0 && errno == ENOENT)
			made++;
	}
	close(dfd);
	printf("done dentries %lu\n", made);
	return made == n ? 0 : 1;
}

static int shm(unsigned long bytes, const char *path)
{
	static char block[1 << 16];
	unsigned long left = bytes;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0) {
		fprintf(stderr, "memgen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(block, 0x5a, sizeof(block));
	while (left) {
		size_t chunk = left < sizeof(block) ? left : sizeof(block);
		ssize_t w = write(fd, block, chunk);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "memgen: writing %s: %s\n", path, strerror(errno));
			close(fd);
			return 1;
		}
		left -= (unsigned long)w;
	}
	fsync(fd);
	close(fd);
	printf("done shm %lu\n", bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "dentries") == 0)
		return dentries(parse_bounded(argv[2], MAX_DENTRIES), argv[3]);
	if (argc == 4 && strcmp(argv[1], "shm") == 0)
		return shm(parse_bounded(argv[2], MAX_SHM_BYTES), argv[3]);
	fprintf(stderr, "usage: memgen dentries N DIR | memgen shm BYTES PATH\n");
	return 2;
}
