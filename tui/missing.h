/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why a part of the shown snapshot is missing, in words for the screen:
 * every view that draws "-" instead of a figure asks here.
 */
#ifndef LEAKTOP_MISSING_H
#define LEAKTOP_MISSING_H

#include "snapshot.h"

/* Why the section src (needing the snap_section bits needs) is not in
 * snapshot s, or NULL if it is there. */
const char *missing_reason(const struct snapshot *s, const char *src, unsigned int needs);

#endif
