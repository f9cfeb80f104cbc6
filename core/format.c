/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "format.h"

#include <inttypes.h>
#include <stdio.h>

static const char units[] = "BKMGTPE";

/* d, already scaled below a thousand, to three significant digits. */
static void three_digits(double d, char unit, char *out, size_t sz, const char *sign)
{
	int prec = d < 9.995 ? 2 : d < 99.95 ? 1 : 0;

	snprintf(out, sz, "%s%.*f%c", sign, prec, d, unit);
}

/* Scale v into [0, 1024) of the largest unit that keeps three significant
 * digits, so "12.3M" and "123M" both fit five characters. */
static void scaled(double v, char *out, size_t sz, const char *sign)
{
	size_t u = 0;

	while (v >= 1024.0 && u < sizeof(units) - 2) {
		v /= 1024.0;
		u++;
	}
	/* Whole bytes have no fraction to show. */
	if (u == 0)
		snprintf(out, sz, "%s%.0f%c", sign, v, units[u]);
	else
		three_digits(v, units[u], out, sz, sign);
}

void format_bytes(uint64_t v, char *out, size_t sz)
{
	scaled((double)v, out, sz, "");
}

void format_delta_bytes(int64_t v, char *out, size_t sz)
{
	if (v == 0) {
		snprintf(out, sz, "0");
		return;
	}
	scaled(v < 0 ? -(double)v : (double)v, out, sz, v < 0 ? "-" : "+");
}

void format_rate_bytes(double v, char *out, size_t sz)
{
	char tmp[24];

	if (v > -0.5 && v < 0.5) {
		snprintf(out, sz, "0/s");
		return;
	}
	scaled(v < 0 ? -v : v, tmp, sizeof(tmp), v < 0 ? "-" : "+");
	snprintf(out, sz, "%s/s", tmp);
}

static void count_scaled(uint64_t v, char *out, size_t sz, const char *sign)
{
	static const char sfx[] = "KMGTPE";
	double d = (double)v;
	size_t u = 0;

	if (v <= 99999) {
		snprintf(out, sz, "%s%" PRIu64, sign, v);
		return;
	}
	d /= 1000.0;
	while (d >= 999.5 && u < sizeof(sfx) - 2) {
		d /= 1000.0;
		u++;
	}
	three_digits(d, sfx[u], out, sz, sign);
}

void format_count(uint64_t v, char *out, size_t sz)
{
	count_scaled(v, out, sz, "");
}

void format_delta_count(int64_t v, char *out, size_t sz)
{
	if (v == 0) {
		snprintf(out, sz, "0");
		return;
	}
	count_scaled(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, out, sz, v < 0 ? "-" : "+");
}

void format_time_utc(const struct timespec *ts, char *out, size_t sz)
{
	struct tm tm;
	char base[32];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sz, "%s.%03ldZ", base, ts->tv_nsec / 1000000);
}

void format_cell(const char *s, int width, bool left, char *out, size_t sz)
{
	size_t bytes = 0;
	int chars = 0;

	/* Whole characters only: a cut never splits a UTF-8 sequence. */
	while (s[bytes] && chars < width) {
		bytes++;
		while (((unsigned char)s[bytes] & 0xc0) == 0x80)
			bytes++;
		chars++;
	}
	snprintf(out, sz, "%*s%.*s%*s", left ? 0 : width - chars, "", (int)bytes, s,
		 left ? width - chars : 0, "");
}
