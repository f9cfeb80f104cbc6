/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation that cannot fail: on out-of-memory the registered cleanup hook
 * runs (the TUI restores the terminal) and the program aborts. leaktop runs
 * on boxes that are short of memory; a message on a sane terminal is worth
 * more than limping on with half a snapshot.
 */
#ifndef LEAKTOP_XALLOC_H
#define LEAKTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *v (of *cap elements of size elem) so that it holds at least need. */
void xgrow(void **v, size_t *cap, size_t need, size_t elem);
void xalloc_set_fatal_hook(void (*hook)(void));

#endif
