/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TUI over a recording (--replay PATH on a terminal): the recorded
 * samples stand in for the sampler. Samples are fed to the history ring
 * and the trend engine in recorded order from the start of their run, as
 * live ticks fed them, so every tab, the suspects, marks and the diff view
 * work unchanged. The display is always "frozen": the view moves by
 * stepping, jumping to a time, or playing at the recorded pace (times a
 * speed). With --diff-with B a second recording is loaded too: o switches
 * between the two, and the marks A and B, being references, stay across
 * the switch, so A in one and B in the other diff the two.
 */
#ifndef LEAKTOP_REPLAY_VIEW_H
#define LEAKTOP_REPLAY_VIEW_H

#include <stddef.h>

struct app;

/* Open cfg->replay (and cfg->replay_other); 0, or -1 (why on stderr). */
int replay_view_open(struct app *a);
void replay_view_free(struct app *a);
/* In place of a live tick: the first position, then new samples of a
 * recording still being written and, while playing, the next sample. Sets
 * a->next_tick_ms. */
void replay_view_tick(struct app *a);
/* [ and ]: dir 1 older, -1 newer. Returns enum key_result bits. */
int replay_view_step(struct app *a, long dir);
/* Jump to a spec: "#12", "14:05", "-1h" (rec_time_parse). */
int replay_view_jump(struct app *a, const char *spec);
int replay_view_play(struct app *a);
/* Speed factor times mul (2, or 0.5). */
int replay_view_speed(struct app *a, double mul);
/* Switch to the other recording (--diff-with). */
int replay_view_switch(struct app *a);
/* " REPLAY name i/N HH:MM:SS " for the status line; its length. */
size_t replay_view_flag(const struct app *a, char *out, size_t sz);

#endif
