/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks for the drill-down: <proc>/PID/task/TID/{stack,wchan,syscall,
 * stat} for every thread, read on demand only. stack and syscall need
 * CAP_SYS_ADMIN and ptrace attach: a refusal is kept per thread in stack_err
 * (EACCES/EPERM), never turned into an empty stack. Threads that exit while
 * being read are left out; a process that is gone is err ESRCH/ENOENT.
 */
#include <config.h>

#include "kstack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "notes.h"
#include "parse.h"
#include "proc_dir.h"
#include "proc_parse.h"
#include "xalloc.h"

/* The kernel prints at most 64 frames; anything much longer is not a stack. */
#define KSTACK_READ_LIMIT (64u << 10)

static bool has_control_bytes(const char *p, const char *end)
{
	for (; p < end; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static bool symbol_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static const char *trim_end(const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return end;
}

size_t kstack_parse(const char *buf, size_t len, struct kstack_thread *t)
{
	struct line_iter it;
	const char *l, *le;

	t->nframes = 0;
	t->truncated = false;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		const char *p = parse_skip_blank(l, le), *e;
		size_t n;

		if (le - p >= 2 && p[0] == '[' && p[1] == '<') {
			const char *close = memchr(p, ']', (size_t)(le - p));

			if (!close)
				continue;
			p = parse_skip_blank(close + 1, le);
		} else if (p >= le || !symbol_start(*p)) {
			continue;
		}
		e = trim_end(p, le);
		/* A prefixed line keeps its " [module]" suffix; a bare one is one word. */
		if (p == parse_skip_blank(l, le)) {
			const char *sp = p;

			while (sp < e && *sp != ' ' && *sp != '\t')
				sp++;
			e = sp;
		}
		if (p >= e || has_control_bytes(p, e))
			continue;
		if (t->nframes == KSTACK_MAX_FRAMES) {
			t->truncated = true;
			break;
		}
		n = (size_t)(e - p);
		if (n >= sizeof(t->frames[0]))
			n = sizeof(t->frames[0]) - 1;
		memcpy(t->frames[t->nframes], p, n);
		t->frames[t->nframes][n] = '\0';
		t->nframes++;
	}
	if (it.truncated_line)
		t->truncated = true;
	return t->nframes;
}

/* A one-line file (wchan, syscall) into out without its newline; "" on error. */
static int read_line(int dirfd, const char *path, struct buf *b, char *out, size_t outsz)
{
	int ret = buf_readat(dirfd, path, b, 4096);
	const char *e;
	size_t n;

	out[0] = '\0';
	if (ret && ret != -EFBIG)
		return ret;
	e = memchr(b->data, '\n', b->len);
	e = trim_end(b->data, e ? e : b->data + b->len);
	n = (size_t)(e - b->data);
	if (n >= outsz)
		n = outsz - 1;
	if (has_control_bytes(b->data, b->data + n))
		return 0;
	memcpy(out, b->data, n);
	out[n] = '\0';
	return 0;
}

/* Returns 0, or -errno when the thread is gone. */
static int read_thread(int taskfd, int32_t tid, struct buf *b, struct kstack_thread *t)
{
	struct proc_entry pe;
	char name[16];
	int tdir, ret;

	memset(t, 0, sizeof(*t));
	t->tid = tid;
	snprintf(name, sizeof(name), "%d", (int)tid);
	tdir = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tdir < 0)
		return -errno;
	ret = buf_readat(tdir, "stat", b, 0);
	if (ret && proc_errno_gone(-ret))
		goto out;
	memset(&pe, 0, sizeof(pe));
	if (ret == 0 && proc_parse_stat(b->data, b->len, &pe) == 0) {
		memcpy(t->comm, pe.comm, sizeof(t->comm));
		t->state = pe.state;
	}
	ret = read_line(tdir, "wchan", b, t->wchan, sizeof(t->wchan));
	if (ret && proc_errno_gone(-ret))
		goto out;
	if (strcmp(t->wchan, "0") == 0)
		t->wchan[0] = '\0';
	ret = read_line(tdir, "syscall", b, t->syscall, sizeof(t->syscall));
	if (ret && proc_errno_gone(-ret))
		goto out;
	t->syscall_err = -ret;
	ret = buf_readat(tdir, "stack", b, KSTACK_READ_LIMIT);
	if (ret && ret != -EFBIG) {
		if (proc_errno_gone(-ret))
			goto out;
		t->stack_err = -ret;
	} else {
		kstack_parse(b->data, b->len, t);
	}
	ret = 0;
out:
	close(tdir);
	return ret;
}

static int cmp_tid(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return SPACESHIP(x, y);
}

/* The start time in <pdir>/stat: 0, or -errno (-EINVAL when unreadable). */
static int starttime_at(int pdir, struct buf *b, uint64_t *starttime)
{
	struct proc_entry pe;
	int ret = buf_readat(pdir, "stat", b, 0);

	if (ret)
		return ret;
	memset(&pe, 0, sizeof(pe));
	if (proc_parse_stat(b->data, b->len, &pe))
		return -EINVAL;
	*starttime = pe.starttime;
	return 0;
}

/* The threads of the process of pdir into out; out->err set when it failed. */
static void read_threads(int pdir, size_t max_threads, struct buf *b, struct kstack_proc *out)
{
	int32_t *tids = NULL;
	size_t ntids = 0, cap = 0;
	struct dirent *d;
	int taskfd, dupfd;
	DIR *dir;

	taskfd = openat(pdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0) {
		out->err = errno;
		return;
	}
	dupfd = dup(taskfd);
	dir = dupfd >= 0 ? fdopendir(dupfd) : NULL;
	if (!dir) {
		out->err = errno;
		if (dupfd >= 0)
			close(dupfd);
		close(taskfd);
		return;
	}
	while ((d = readdir(dir))) {
		const char *p = d->d_name, *end = p + strlen(p);
		uint64_t v;

		if (*p < '0' || *p > '9' || parse_u64(&p, end, 10, &v) || p != end ||
		    v > INT32_MAX)
			continue;
		xgrow((void **)&tids, &cap, ntids + 1, sizeof(*tids));
		tids[ntids++] = (int32_t)v;
	}
	closedir(dir);
	if (ntids)
		qsort(tids, ntids, sizeof(*tids), cmp_tid);
	out->threads_total = ntids;
	if (ntids > max_threads)
		ntids = max_threads;
	out->threads = xcalloc(ntids ? ntids : 1, sizeof(*out->threads));
	for (size_t i = 0; i < ntids; i++)
		if (read_thread(taskfd, tids[i], b, &out->threads[out->n]) == 0)
			out->n++;
	/* Every thread gone: the process itself has exited. */
	if (!out->n && ntids && faccessat(pdir, "stat", F_OK, 0) < 0 && proc_errno_gone(errno))
		out->err = errno;
	close(taskfd);
	free(tids);
}

/* Opens <proc>/pid; -1 with out->err set when it cannot. */
static int open_pid(const struct root *r, int32_t pid, size_t *max_threads,
		    struct kstack_proc *out)
{
	char name[16];
	int pdir;

	memset(out, 0, sizeof(*out));
	out->pid = pid;
	if (!*max_threads)
		*max_threads = KSTACK_DEFAULT_MAX_THREADS;
	if (r->proc_fd < 0) {
		out->err = r->proc_err ? r->proc_err : ENOENT;
		return -1;
	}
	snprintf(name, sizeof(name), "%d", (int)pid);
	pdir = openat(r->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		out->err = errno;
	return pdir;
}

int kstack_read(const struct root *r, int32_t pid, size_t max_threads, struct kstack_proc *out)
{
	struct buf b = { 0 };
	int pdir = open_pid(r, pid, &max_threads, out);

	if (pdir >= 0) {
		read_threads(pdir, max_threads, &b, out);
		close(pdir);
	}
	buf_free(&b);
	return out->err ? -out->err : 0;
}

/* Refuses out when the process of pdir is not the one started at starttime. */
static bool same_process(int pdir, uint64_t starttime, struct buf *b, struct kstack_proc *out)
{
	uint64_t now;
	int ret = starttime_at(pdir, b, &now);

	if (ret == 0 && now == starttime)
		return true;
	kstack_proc_free(out);
	out->threads_total = 0;
	if (ret == 0) {
		out->err = ESRCH;
		out->pid_reused = true;
		snprintf(out->note, sizeof(out->note),
			 "process %d exited; pid now belongs to another process", (int)out->pid);
	} else {
		/* Gone (or its stat unreadable): nothing read can be trusted. */
		out->err = ret == -EINVAL ? ESRCH : -ret;
	}
	return false;
}

int kstack_read_process(const struct root *r, int32_t pid, uint64_t starttime,
			size_t max_threads, struct kstack_proc *out)
{
	struct buf b = { 0 };
	int pdir = open_pid(r, pid, &max_threads, out);

	if (pdir >= 0) {
		if (same_process(pdir, starttime, &b, out)) {
			read_threads(pdir, max_threads, &b, out);
			if (!out->err)
				same_process(pdir, starttime, &b, out);
		}
		close(pdir);
	}
	buf_free(&b);
	return out->err ? -out->err : 0;
}

int kstack_starttime(const struct root *r, int32_t pid, uint64_t *starttime)
{
	struct buf b = { 0 };
	char name[16];
	int pdir, ret;

	if (r->proc_fd < 0)
		return -(r->proc_err ? r->proc_err : ENOENT);
	snprintf(name, sizeof(name), "%d", (int)pid);
	pdir = openat(r->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return -errno;
	ret = starttime_at(pdir, &b, starttime);
	close(pdir);
	buf_free(&b);
	return ret;
}

const char *kstack_err_reason(const struct kstack_proc *p)
{
	return p->note[0] ? p->note : notes_errno_reason(p->err);
}

void kstack_proc_free(struct kstack_proc *p)
{
	free(p->threads);
	p->threads = NULL;
	p->n = 0;
}
