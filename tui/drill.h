/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The drill-down stack: Enter on a socket shows its full skmem and tcp_info,
 * its owners (pid, fd, comm, cmdline) and each owning thread's kernel stack
 * and wchan; on a process its sockets by skmem and its threads' stacks; on a
 * slab cache the caches merged with it and its history. Esc/Backspace pops.
 * Kernel stacks come from core/kstack (read on open and on every sample).
 */
#ifndef LEAKTOP_DRILL_H
#define LEAKTOP_DRILL_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "sock.h"

void drill_push(struct app *a, enum drill_kind kind, uint64_t k0, uint64_t k1, const char *name);
void drill_pop(struct app *a);
void drill_clear(struct app *a);
/* Re-read the kernel stacks of the top view (after a sample). */
void drill_refresh(struct app *a);
/* Rebuild the top view's page from the shown snapshot. */
void drill_build(struct app *a);
void drill_draw(struct app *a, int y, int h, int w);
/* Enter on a line that names a process or socket: push it. */
int drill_follow(struct app *a);
/* The ring version of a packet socket ("TPACKET_V3"), as far as its source
 * tells it. */
void drill_tpacket_version(const struct sock_entry *e, char *out, size_t sz);
/* Sections the open drill-downs need. */
unsigned int drill_sections(const struct app *a);

#endif
