/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The last N snapshots in a bounded ring. Older ones are released as new
 * ones arrive, unless something else (a mark, the frozen view) still holds a
 * reference.
 */
#ifndef LEAKTOP_HISTORY_H
#define LEAKTOP_HISTORY_H

#include <stddef.h>

#include "snapshot.h"

struct history {
	struct snapshot **ring;
	size_t cap;	/* N */
	size_t n;	/* how many are held */
	size_t head;	/* index of the newest */
};

void history_init(struct history *h, size_t cap);
/* Takes a new reference to s. */
void history_push(struct history *h, struct snapshot *s);
/* i = 0 is the newest, 1 the one before... NULL past the oldest. No new ref. */
struct snapshot *history_get(const struct history *h, size_t i);
void history_free(struct history *h);

#endif
