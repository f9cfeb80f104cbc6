/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one sanitizer for strings that come from the system (comm, cmdline,
 * unix socket paths, cgroup names, mount points) before they reach a
 * terminal or a JSON document. Printable UTF-8 passes; control characters,
 * DEL, C1 controls (U+0080..U+009F, which some terminals obey as escape
 * introducers) and bytes that are not valid UTF-8 become visible "\xNN"
 * escapes, and a backslash becomes "\\" so the escaping is unambiguous.
 */
#ifndef LEAKTOP_STRSAFE_H
#define LEAKTOP_STRSAFE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sanitize len bytes of in into out (size outsz, always NUL-terminated when
 * outsz > 0; never cuts an escape or a UTF-8 sequence in half). NUL bytes in
 * the input are escaped too, so abstract unix names can be passed whole.
 * Returns the length written.
 */
size_t strsafe_escape(const char *in, size_t len, char *out, size_t outsz);
/* A NUL-terminated raw string into out, which is returned. */
const char *strsafe_str(const char *raw, char *out, size_t outsz);
/* Same into a fresh heap string. */
char *strsafe_dup(const char *in, size_t len);
/*
 * Decode the UTF-8 sequence at in (at most len bytes): its length, with the
 * code point in *cp; 0 when the bytes are not valid UTF-8 (a stray or cut
 * sequence, an overlong form, a surrogate, past U+10FFFF). The one decoder:
 * the sanitizer and the screen's width count agree on every byte.
 */
size_t strsafe_utf8_decode(const char *in, size_t len, uint32_t *cp);

#endif
