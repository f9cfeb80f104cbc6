/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every parser that takes bytes, behind one signature, so the fuzz targets
 * and the crash-fixture test drive them the same way. An adapter feeds the
 * bytes to its parser, walks what came out (the views would), checks the
 * invariants a caller relies on (abort() if one breaks) and frees it all.
 */
#ifndef LEAKTOP_FUZZ_PARSERS_H
#define LEAKTOP_FUZZ_PARSERS_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_parser {
	const char *name;	/* the target: fuzz_<name>, corpus/<name>, fixtures/fuzz/<name> */
	void (*run)(const uint8_t *data, size_t len);
};

extern const struct fuzz_parser fuzz_parsers[];
extern const size_t fuzz_parsers_n;

const struct fuzz_parser *fuzz_parser_find(const char *name);

#endif
