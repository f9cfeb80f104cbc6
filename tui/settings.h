/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Saved settings: $XDG_CONFIG_HOME/leaktop/leaktoprc (else
 * ~/.config/leaktop/leaktoprc), "key = value" lines: tab, interval, and per
 * table sort, reverse and columns. A bad file gives a message, never stops
 * leaktop; unknown keys are reported and skipped.
 */
#ifndef LEAKTOP_SETTINGS_H
#define LEAKTOP_SETTINGS_H

#include <stddef.h>

#include "app.h"

/* The settings file path; -1 when neither XDG_CONFIG_HOME nor HOME is set. */
int settings_path(char *out, size_t sz);
/* Apply the saved settings to a. Returns 0 (also when there is no file), or
 * -1 with the problem in msg. */
int settings_load(struct app *a, char *msg, size_t msgsz);
/* Write the current settings. Returns 0 with the path in msg, or -1 with the
 * reason in msg. */
int settings_save(const struct app *a, char *msg, size_t msgsz);

#endif
