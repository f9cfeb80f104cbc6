/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure parsers over the bytes of one /proc/PID file. They return 0, or
 * -EINVAL when the text is not what the kernel writes (the entry is then
 * only partly filled); bad input never crashes.
 */
#ifndef LEAKTOP_PROC_PARSE_H
#define LEAKTOP_PROC_PARSE_H

#include <stddef.h>

#include "proc.h"

/*
 * stat: read after the LAST ')' since comm may hold spaces and parentheses;
 * fills pid, comm, state, ppid, threads, starttime (field 22) and kthread.
 */
int proc_parse_stat(const char *buf, size_t len, struct proc_entry *p);
/* status: uid (effective), VmRSS, VmSwap, Threads, Kthread, PPid. */
int proc_parse_status(const char *buf, size_t len, struct proc_entry *p);
/* smaps_rollup: Pss into pss_bytes and has_pss. */
int proc_parse_smaps_rollup(const char *buf, size_t len, struct proc_entry *p);
/*
 * cmdline, in place: trailing NULs dropped, the NUL separators turned into
 * spaces. Returns the length of the text left (0: no command line).
 */
size_t proc_parse_cmdline(char *buf, size_t len);

#endif
