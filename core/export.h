/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch output of one sample: the snapshot B of a diff(A, B), with deltas
 * against A (the previous sample), as one JSON object on one line or as a
 * plain-text report (export_json.c, export_text.c). The JSON schema is
 * documented in doc/json-schema.md; entity tables use the column ids of
 * fields.h as keys, so a column's JSON key is its --sort name.
 */
#ifndef LEAKTOP_EXPORT_H
#define LEAKTOP_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "diff.h"
#include "fields.h"
#include "kstack.h"

struct export_opts {
	const struct field *sock_sort;	/* column to sort sockets by */
	bool sock_reverse;		/* ascending instead of the column's default */
	size_t top;			/* sockets and processes shown; 0 = all */
	const struct kstack_proc *stacks;	/* --stack PID: kernel stacks read for this sample */
	size_t nstacks;
	const struct suspect_list *suspects;	/* --sections suspects: built for this sample */
};

struct json;
struct suspect_list;
/* The suspects section (core/export_suspects.c). */
void export_suspects_json(struct json *j, const struct suspect_list *l);
void export_suspects_text(FILE *f, const struct suspect_list *l);

void export_json(FILE *f, const struct diff *d, const struct export_opts *o);
void export_text(FILE *f, const struct diff *d, const struct export_opts *o);

#endif
