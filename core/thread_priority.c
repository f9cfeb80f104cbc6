/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "thread_priority.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

void thread_lower_priority(void)
{
	pid_t tid = gettid();
	int nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, (id_t)tid);
	if (errno == 0)
		(void)setpriority(PRIO_PROCESS, (id_t)tid, nice + BACKGROUND_THREAD_NICE);
}
