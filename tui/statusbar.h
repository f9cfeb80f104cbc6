/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two bottom lines: the message line (messages, notes on what is
 * missing, the filter in effect, or the prompt) and the status line (the
 * keys that matter now, from the key table, and FROZEN / DIFF A->B state,
 * and a sample in progress: "sampling 1.4s", "late" once it has taken
 * longer than the interval).
 */
#ifndef LEAKTOP_STATUSBAR_H
#define LEAKTOP_STATUSBAR_H

#include "app.h"

/* A sample shorter than this is not announced: it would only flicker. */
#define STATUSBAR_SAMPLING_SHOW_MS 200

void statusbar_draw(struct app *a, int msg_y, int bar_y, int w);

#endif
