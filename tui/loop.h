/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop: poll on the keyboard with the time left to the next
 * sample as timeout (idle between ticks), handle keys through the key
 * table, sample on the tick, rebuild rows once per sample and draw once per
 * change. tui_run (tui.h) is implemented here.
 */
#ifndef LEAKTOP_LOOP_H
#define LEAKTOP_LOOP_H

#include "app.h"

/* The smallest screen leaktop draws on; below it says "terminal too small". */
#define LOOP_MIN_COLS 30
#define LOOP_MIN_LINES 7

#endif
