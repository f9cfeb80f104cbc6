/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two bottom lines: the message line (messages, notes on what is
 * missing, the filter in effect, or the prompt) and the status line (the
 * keys that matter now, from the key table, and FROZEN / DIFF A->B state).
 */
#ifndef LEAKTOP_STATUSBAR_H
#define LEAKTOP_STATUSBAR_H

#include "app.h"

void statusbar_draw(struct app *a, int msg_y, int bar_y, int w);

#endif
