/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks, read on demand for a drill-down: for every thread of a
 * process, /proc/PID/task/TID/{stack,wchan,syscall,stat}. stack and syscall
 * need root (CAP_SYS_ADMIN + ptrace attach); even root may be refused (an
 * LSM, PID 1 here): that is reported per thread, not as an empty stack.
 */
#ifndef LEAKTOP_KSTACK_H
#define LEAKTOP_KSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "root.h"

#define KSTACK_MAX_FRAMES 64
/* A thread record is 6 KiB: a process with 30k threads is read in part. */
#define KSTACK_DEFAULT_MAX_THREADS 1024

struct kstack_thread {
	int32_t tid;
	char comm[64];			/* raw */
	char state;
	char wchan[64];			/* "" if unknown or "0" */
	char syscall[96];		/* "230 0x1 ..." / "running" / "" */
	int syscall_err;		/* 0, or errno (EACCES/EPERM: needs ptrace attach) */
	int stack_err;			/* 0, or errno: EACCES/EPERM when refused */
	size_t nframes;
	bool truncated;			/* frames missing: more than KSTACK_MAX_FRAMES, or the
					 * file ended inside a line */
	char frames[KSTACK_MAX_FRAMES][96];	/* "hrtimer_nanosleep+0x74/0xf0", raw */
};

struct kstack_proc {
	int32_t pid;
	int err;			/* 0; ESRCH/ENOENT: gone; EACCES/EPERM: refused */
	bool pid_reused;		/* err ESRCH: the pid is another process's now */
	char note[96];			/* why err, when errno alone would mislead */
	size_t threads_total;		/* threads listed, before max_threads */
	struct kstack_thread *threads;
	size_t n;
};

/*
 * Parse "[<0>] symbol+0x../0x.." lines into t->frames (replacing them). A line
 * without the "[<..>]" prefix is taken as a bare symbol; empty lines and
 * words holding control bytes are skipped. Returns the frame count.
 */
size_t kstack_parse(const char *buf, size_t len, struct kstack_thread *t);
/*
 * Read the threads of pid, lowest tid first (at most max_threads; 0 means
 * KSTACK_DEFAULT_MAX_THREADS). Returns 0, or -errno with out->err set when
 * the process cannot be read at all (gone, or its task list refused).
 * Threads that exit meanwhile are left out.
 */
int kstack_read(const struct root *r, int32_t pid, size_t max_threads, struct kstack_proc *out);
/*
 * kstack_read for the process pid had when its start time (/proc/PID/stat
 * field 22, as proc_entry.starttime) was starttime. The start time is checked
 * before the threads are read and again after, so a pid reused before or
 * during the read gives -ESRCH, pid_reused and a note instead of another
 * process's stacks.
 */
int kstack_read_process(const struct root *r, int32_t pid, uint64_t starttime,
			size_t max_threads, struct kstack_proc *out);
/* The start time of the process that has pid now: 0 or -errno. */
int kstack_starttime(const struct root *r, int32_t pid, uint64_t *starttime);
/* Why p could not be read, for a view: its note, or the errno's reason. */
const char *kstack_err_reason(const struct kstack_proc *p);
void kstack_proc_free(struct kstack_proc *p);

#endif
