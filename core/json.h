/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal streaming JSON writer for batch output: objects, arrays and
 * scalars written straight to a FILE, commas tracked per nesting level.
 * Every string a document carries, keys included, is the strsafe form of
 * the system's bytes: a consumer never receives control characters or
 * invalid UTF-8, and a decoded string reads as the text output shows it.
 * strsafe runs exactly once per string: here for raw bytes (json_str), or
 * before for text that already went through it (json_text).
 */
#ifndef LEAKTOP_JSON_H
#define LEAKTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* key is NULL inside arrays and at the top level. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_double(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* Raw strings from the system: sanitized (strsafe), then JSON-escaped;
 * _raw takes len bytes that may hold NULs (abstract unix names). */
void json_str(struct json *j, const char *key, const char *s);
void json_str_raw(struct json *j, const char *key, const char *s, size_t len);
/* Text that strsafe already produced (a field's text getter,
 * sock_format_local): JSON-escaped only, so it is not escaped twice. */
void json_text(struct json *j, const char *key, const char *safe);

#endif
