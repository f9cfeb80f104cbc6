/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel stacks, read on demand for a drill-down: for every thread of a
 * process, /proc/PID/task/TID/{stack,wchan,syscall,stat}. stack and syscall
 * need root (CAP_SYS_ADMIN + ptrace attach); even root may be refused (an
 * LSM, PID 1 here): that is reported per thread, not as an empty stack.
 */
#ifndef LEAKTOP_KSTACK_H
#define LEAKTOP_KSTACK_H

#include <stddef.h>
#include <stdint.h>

#include "root.h"

#define KSTACK_MAX_FRAMES 64

struct kstack_thread {
	int32_t tid;
	char comm[64];			/* raw */
	char state;
	char wchan[64];			/* "" if unknown or "0" */
	char syscall[96];		/* "230 0x1 ..." / "running" / "" */
	int stack_err;			/* 0, or errno: EACCES/EPERM when refused */
	size_t nframes;
	char frames[KSTACK_MAX_FRAMES][96];	/* "hrtimer_nanosleep+0x74/0xf0" */
};

struct kstack_proc {
	int32_t pid;
	int err;			/* ESRCH/ENOENT: the process is gone */
	struct kstack_thread *threads;
	size_t n;
};

/* Parse "[<0>] symbol+0x../0x.." lines into t->frames. Returns frame count. */
size_t kstack_parse(const char *buf, size_t len, struct kstack_thread *t);
/* Read every thread of pid (at most max_threads). */
int kstack_read(const struct root *r, int32_t pid, size_t max_threads, struct kstack_proc *out);
void kstack_proc_free(struct kstack_proc *p);

#endif
