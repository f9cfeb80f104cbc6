/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one string hash of core: 64-bit FNV-1a. Used for hash tables
 * (vmalloc callers) and for the row keys views keep a selection by; not
 * for anything an attacker's input could exploit beyond slowing a table.
 */
#ifndef LEAKTOP_HASH_H
#define LEAKTOP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a offset basis: the h to start a hash with. */
#define HASH_INIT 0xcbf29ce484222325ULL

/* Continue hash h over n bytes / over a NUL-terminated string. */
uint64_t hash_bytes(const void *data, size_t n, uint64_t h);
uint64_t hash_str(const char *s, uint64_t h);

#endif
