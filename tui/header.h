/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The header meters: memory composition (anon, page cache, shmem, slab
 * reclaimable and unreclaimable, vmalloc, page tables + kernel stacks, other
 * kernel, unaccounted, free), TCP memory against the tcp_mem pressure and
 * max marks, orphans against tcp_max_orphans, sockets by state, and the
 * sparklines of SUnreclaim, TCP memory, unaccounted and the top slab grower;
 * last, on every tab, the top suspect or what the engine watches.
 */
#ifndef LEAKTOP_HEADER_H
#define LEAKTOP_HEADER_H

#include "app.h"

/* Lines the header takes on a screen of `lines` rows (0 on tiny screens). */
int header_height(int lines);
void header_draw(struct app *a, int h, int w);
/* The top suspect line: "#1 state pile: pid 4242 srv +6000 sockets/min -
 * Enter on Suspects", or the empty state; l NULL: the sample's list is
 * no longer kept. */
void header_suspect_line(const struct suspect_list *l, char *out, size_t sz);
/*
 * The right end of the tab bar: " 1s #42  self 45ms/sample ui 3ms/s 23.1M
 * hist 12/300 41.0M", parts dropped from the right when they do not fit in
 * free_w (what the tab names leave of a bar w wide); the ring's depth says
 * "(cap 128M)" when its byte budget made it shallower than asked. Empty
 * when not even the interval fits.
 */
void header_run_text(const struct app *a, int free_w, int w, char *out, size_t sz);

#endif
