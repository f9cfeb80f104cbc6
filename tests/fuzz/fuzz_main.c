/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libFuzzer entry point. One binary per parser: the build names the
 * parser with -DFUZZ_TARGET="meminfo"; the lookup is done once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_parser *p;

	if (!p) {
		p = fuzz_parser_find(FUZZ_TARGET);
		if (!p) {
			fprintf(stderr, "fuzz: no parser named %s\n", FUZZ_TARGET);
			abort();
		}
	}
	p->run(p, data, size);
	return 0;
}
