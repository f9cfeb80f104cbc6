/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "strsafe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

size_t strsafe_utf8_decode(const char *in, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)in;
	uint32_t c;
	size_t n;

	if (!len)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	if (c >= 0xd800 && c <= 0xdfff)
		return 0;
	*cp = c;
	return n;
}

/* Length of a valid, printable UTF-8 sequence at s, or 0. C0 and C1
 * controls and DEL are not printable. */
static size_t utf8_printable_len(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n = strsafe_utf8_decode((const char *)s, len, &cp);

	if (!n || cp < 0x20 || cp == 0x7f)
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	/* Bidi overrides and isolates can reorder what the user reads. */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

size_t strsafe_escape(const char *in, size_t len, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;

	if (!outsz)
		return 0;
	while (i < len) {
		size_t n = s[i] == '\\' ? 0 : utf8_printable_len(s + i, len - i);

		if (n) {
			if (o + n >= outsz)
				break;
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else if (s[i] == '\\') {
			if (o + 2 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = '\\';
			i++;
		} else {
			if (o + 4 >= outsz)
				break;
			snprintf(out + o, 5, "\\x%02x", s[i]);
			o += 4;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

const char *strsafe_str(const char *raw, char *out, size_t outsz)
{
	strsafe_escape(raw, strlen(raw), out, outsz);
	return out;
}

char *strsafe_dup(const char *in, size_t len)
{
	size_t cap = len * 4 + 1;
	char *out = xmalloc(cap);

	strsafe_escape(in, len, out, cap);
	return out;
}
