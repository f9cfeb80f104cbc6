/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The string dictionary of an encoded sample stream: each distinct string
 * (comm, cmdline, unix path, cache and caller names, owner lists) gets an id
 * the first time a record uses it, and the record carries the additions.
 * A keyframe starts a new dictionary, so a reader can start at any
 * keyframe. Id 0 is "no string" (a NULL pointer); ids count from 1.
 * Strings are byte runs with a length: they may hold NULs.
 */
#ifndef LEAKTOP_CODEC_STRINGS_H
#define LEAKTOP_CODEC_STRINGS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct str_dict {
	struct buf arena;	/* the bytes of every string, back to back */
	size_t *off;		/* per id - 1 */
	uint32_t *len;
	size_t n, cap;
	uint32_t *slots;	/* encoder only: open-addressing hash of ids */
	size_t nslots;
};

void str_dict_reset(struct str_dict *d);
void str_dict_free(struct str_dict *d);
/* Encoder: the id of these bytes, adding them when new. */
uint32_t str_dict_intern(struct str_dict *d, const void *p, size_t len);
/* Decoder: add without looking for an equal string; returns the id. */
uint32_t str_dict_append(struct str_dict *d, const void *p, size_t len);
/* The bytes of id (1..n), or NULL for an id not in the dictionary. */
const char *str_dict_get(const struct str_dict *d, uint64_t id, size_t *len);

#endif
