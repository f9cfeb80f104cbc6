/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Human-readable numbers with fixed, documented widths, shared by batch
 * output and the TUI so both say "1.5G" the same way.
 */
#ifndef LEAKTOP_FORMAT_H
#define LEAKTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Bytes in binary units, at most 6 characters: "1023B", "12.3K", "1.50G". */
void format_bytes(uint64_t v, char *out, size_t sz);
/* Signed delta, at most 7 characters, "+" or "-" always shown: "+12.3M", "-4K", "0". */
void format_delta_bytes(int64_t v, char *out, size_t sz);
/* Bytes per second, "+1.2M/s". */
void format_rate_bytes(double v, char *out, size_t sz);
/* Counts with K/M/G (decimal) suffixes past 99999: "123456" -> "123K". */
void format_count(uint64_t v, char *out, size_t sz);
void format_delta_count(int64_t v, char *out, size_t sz);
/* A UTC time with milliseconds, "2026-11-24T05:30:00.123Z". */
void format_time_utc(const struct timespec *ts, char *out, size_t sz);
/*
 * s (printable UTF-8, e.g. strsafe output) cut and padded to width
 * characters, left- or right-aligned, for a fixed-width text column. Counts
 * code points: every character is taken to be one column wide.
 */
void format_cell(const char *s, int width, bool left, char *out, size_t sz);

#endif
