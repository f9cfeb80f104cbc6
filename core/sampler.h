/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One tick: run the samplers the caller needs, time the whole, and assemble
 * a snapshot. The sampler keeps the state that makes warm samples cheap (the
 * per-process cache) and the root it reads under.
 */
#ifndef LEAKTOP_SAMPLER_H
#define LEAKTOP_SAMPLER_H

#include "root.h"
#include "snapshot.h"

struct sampler;

/* r must outlive the sampler. */
struct sampler *sampler_new(const struct root *r);
/* sections: enum snap_section bits. Never fails: what could not be read is
 * noted in the snapshot. Returns a snapshot with one reference. */
struct snapshot *sampler_tick(struct sampler *s, unsigned int sections);
void sampler_free(struct sampler *s);

#endif
