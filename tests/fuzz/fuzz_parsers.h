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

struct notes;
struct proc_entry;
struct sock_table;
struct tcpmem;

/* The signatures several parsers share: one adapter serves each group. */
typedef int fuzz_tcpmem_fn(const char *buf, size_t len, const char *source, struct tcpmem *t,
			   struct notes *notes);
typedef int fuzz_procnet_fn(const char *buf, size_t len, const char *source,
			    struct sock_table *t, struct notes *notes);
typedef int fuzz_proc_fn(const char *buf, size_t len, struct proc_entry *p);

struct fuzz_parser {
	const char *name;	/* the target: fuzz_<name>, corpus/<name>, fixtures/fuzz/<name> */
	void (*run)(const struct fuzz_parser *p, const uint8_t *data, size_t len);
	union {			/* the parser, for the adapters of a group */
		fuzz_tcpmem_fn *tcpmem;
		fuzz_procnet_fn *procnet;
		fuzz_proc_fn *proc;
		int sock_kind;	/* enum sock_kind of a sock_diag dump */
	} fn;
};

extern const struct fuzz_parser fuzz_parsers[];
extern const size_t fuzz_parsers_n;

const struct fuzz_parser *fuzz_parser_find(const char *name);

#endif
