/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A suspect's evidence, as a drill-down page: the verdict, every line of
 * evidence (+ agrees, - contradicts), the quantity's series as a sparkline
 * and a line that Enter follows to the existing drill-down of the suspect's
 * target (socket, process, slab cache) or to its tab.
 */
#ifndef LEAKTOP_EVIDENCE_H
#define LEAKTOP_EVIDENCE_H

#include <stddef.h>

#include "app.h"
#include "suspects.h"

/* The suspect of the shown sample with fields_suspects key k, or NULL. */
const struct suspect *evidence_find(const struct app *a, const uint64_t k[2]);
void evidence_page(struct app *a, struct drill_view *v);
/* Enter on the target line: open what the suspect points at. */
int evidence_follow(struct app *a, const struct suspect *su);
/* The rate in the quantity's own unit, per minute: "+6000 sockets/min",
 * "+1.5M/min". */
void evidence_rate_text(const struct suspect *su, char *out, size_t sz);

#endif
