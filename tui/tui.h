/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Entry point of the interactive front end. main.c parses the command line
 * and hands over here when not in batch mode.
 */
#ifndef LEAKTOP_TUI_H
#define LEAKTOP_TUI_H

#include <stddef.h>

#include "root.h"

/* Samples the history ring keeps unless -H says otherwise. */
#define TUI_DEFAULT_HISTORY 300

struct tui_config {
	const struct root *root;
	double delay_s;			/* -d: seconds between samples */
	size_t history;			/* -H: snapshots kept */
	const char *initial_tab;	/* --tab NAME or NULL (saved setting) */
	const char *sort;		/* --sort COLUMN for the sockets tab, or NULL */
	int no_config;			/* --no-config: ignore and never write the settings file */
	const char *replay;		/* --replay PATH: the TUI over a recording, or NULL */
	const char *replay_other;	/* --diff-with PATH: a second recording */
	const char *replay_at;		/* --at T: the sample shown first */
};

/* Runs until the user quits. Returns the process exit status. */
int tui_run(const struct tui_config *cfg);

#endif
