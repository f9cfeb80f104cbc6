/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The help screen, generated from the key table (keys.c) and the tabs'
 * column tables: it cannot list a key that does not exist or miss one.
 */
#ifndef LEAKTOP_HELP_H
#define LEAKTOP_HELP_H

#include "app.h"

void help_open(struct app *a);
void help_draw(struct app *a, int y, int h, int w);

#endif
