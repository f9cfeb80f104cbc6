/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Cgroups tab: the cgroups of one hierarchy (the one that charges
 * memory, until v picks the other) with every charge the memory controller
 * keeps, sorted by growth, flat or (t) as a tree. Enter opens a cgroup's
 * page (drill.c); from there its processes and sockets open as the
 * Processes and Sockets tabs narrowed to it (struct cgroup_filter), and Esc
 * on those comes back to the page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_join.h"
#include "drill.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"
#include "xalloc.h"

#define TREE_INDENT_MAX 32
#define NO_ROW SIZE_MAX

static const struct cgroup_entry *cg_of(const struct field_row *r)
{
	return fields_entity(r);
}

enum cgroup_hier tab_cgroups_hier(const struct app *a)
{
	const struct snapshot *s = a->view;

	if (a->cg_hier_set)
		return (enum cgroup_hier)a->cg_hier;
	return s ? cgroup_memory_hier(&s->cgroups) : CG_HIER_V2;
}

const struct cgroup_entry *tab_cgroups_find(const struct cgroup_table *t, uint8_t hier,
					    uint64_t id)
{
	if (hier == CG_HIER_V2)
		return cgroup_table_find_id(t, id);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].hier == hier && t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

/* Only the rows of the hierarchy shown. */
static size_t cgroup_rows(struct app *a, struct field_row **out)
{
	size_t n = fields_rows(&fields_cgroups, a->diff, a->view, a->diff_mode, a->diff_mode, out);
	enum cgroup_hier h = tab_cgroups_hier(a);
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (cg_of(&(*out)[i])->hier == h)
			(*out)[k++] = (*out)[i];
	return k;
}

static void cgroups_empty(const struct app *a, char *out, size_t sz)
{
	enum cgroup_hier h = tab_cgroups_hier(a);

	snprintf(out, sz, "no cgroup of the %s hierarchy in this sample (%s)", cgroup_hier_name(h),
		 a->view && a->view->cgroups.mount_off[h] != CG_NONE
			 ? "none readable"
			 : h == CG_HIER_V1 ? "no v1 memory hierarchy mounted; v shows v2"
					   : "cgroup2 not mounted; v shows v1");
}

/* A row's identity for the tree: its hierarchy and id. */
struct tree_key {
	uint64_t id;
	uint8_t hier;
	size_t row;
};

static int tree_key_cmp(const void *x, const void *y)
{
	const struct tree_key *a = x, *b = y;

	if (a->hier != b->hier)
		return a->hier < b->hier ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static size_t parent_row(const struct field_row *r, const struct field_ctx *c,
			 const struct tree_key *keys, size_t n)
{
	const struct snapshot *s = fields_snapshot(c, r);
	const struct cgroup_entry *e = cg_of(r), *p;
	struct tree_key k, *found;

	if (!s || e->parent == CG_NONE || e->parent >= s->cgroups.n)
		return NO_ROW;
	p = &s->cgroups.v[e->parent];
	k = (struct tree_key){ .id = p->id, .hier = p->hier };
	found = bsearch(&k, keys, n, sizeof(*keys), tree_key_cmp);
	return found ? found->row : NO_ROW;
}

/* Depth-first from row i: each row then its children in sort order. */
static void emit_subtree(size_t i, const size_t *first, const size_t *next, size_t *cursor,
			 size_t *stack, bool *done, size_t *order, size_t *k)
{
	size_t sp = 0;

	done[i] = true;
	order[(*k)++] = i;
	cursor[i] = first[i];
	stack[sp++] = i;
	while (sp) {
		size_t x = stack[sp - 1], ch = cursor[x];

		while (ch != NO_ROW && done[ch])
			ch = next[ch];
		if (ch == NO_ROW) {
			sp--;
			continue;
		}
		cursor[x] = next[ch];
		done[ch] = true;
		order[(*k)++] = ch;
		cursor[ch] = first[ch];
		stack[sp++] = ch;
	}
}

void tab_cgroups_tree(struct field_row *rows, size_t n, const struct field_ctx *c)
{
	struct tree_key *keys;
	size_t *parent, *first, *next, *cursor, *stack, *order, k = 0;
	struct field_row *tmp;
	bool *done;

	if (n < 2)
		return;
	keys = xcalloc(n, sizeof(*keys));
	parent = xcalloc(n, sizeof(*parent));
	first = xcalloc(n, sizeof(*first));
	next = xcalloc(n, sizeof(*next));
	cursor = xcalloc(n, sizeof(*cursor));
	stack = xcalloc(n, sizeof(*stack));
	order = xcalloc(n, sizeof(*order));
	done = xcalloc(n, sizeof(*done));
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct tree_key){ .id = cg_of(&rows[i])->id,
					     .hier = cg_of(&rows[i])->hier, .row = i };
	qsort(keys, n, sizeof(*keys), tree_key_cmp);
	for (size_t i = 0; i < n; i++) {
		parent[i] = parent_row(&rows[i], c, keys, n);
		first[i] = next[i] = NO_ROW;
	}
	/* Children lists in sort order: built back to front. */
	for (size_t i = n; i-- > 0;) {
		size_t p = parent[i];

		if (p != NO_ROW && p != i) {
			next[i] = first[p];
			first[p] = i;
		}
	}
	/* Roots (and rows whose parent is not shown) in sort order; then
	 * whatever a broken parent chain left unreached. */
	for (size_t i = 0; i < n; i++)
		if ((parent[i] == NO_ROW || parent[i] == i) && !done[i])
			emit_subtree(i, first, next, cursor, stack, done, order, &k);
	for (size_t i = 0; i < n; i++)
		if (!done[i])
			emit_subtree(i, first, next, cursor, stack, done, order, &k);
	tmp = xcalloc(n, sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		tmp[i] = rows[order[i]];
	memcpy(rows, tmp, n * sizeof(*rows));
	free(tmp);
	free(keys);
	free(parent);
	free(first);
	free(next);
	free(cursor);
	free(stack);
	free(order);
	free(done);
}

int tab_cgroups_indent(const struct field_row *r)
{
	int d = 2 * cg_of(r)->depth;

	return d > TREE_INDENT_MAX ? TREE_INDENT_MAX : d;
}

void tab_cgroups_set_tree(struct app *a, bool on)
{
	a->cg_tree = on;
	table_set_tree(&a->tables[TAB_CGROUPS], on ? tab_cgroups_tree : NULL,
		       on ? tab_cgroups_indent : NULL, fields_index(&fields_cgroups, "name"));
}

bool tab_cgroups_switch_hier(struct app *a)
{
	enum cgroup_hier h = tab_cgroups_hier(a) == CG_HIER_V2 ? CG_HIER_V1 : CG_HIER_V2;
	const struct snapshot *s = a->view;

	if (s && (s->sections & SNAP_CGROUPS) && s->cgroups.mount_off[h] == CG_NONE) {
		app_message(a, EL_WARN, "%s: %s", cgroup_hier_name(h),
			    h == CG_HIER_V1 ? "no v1 hierarchy with the memory controller is mounted"
					    : "cgroup2 is not mounted");
		return false;
	}
	a->cg_hier = (uint8_t)h;
	a->cg_hier_set = true;
	app_message(a, EL_NORMAL, "cgroups: the %s hierarchy%s", cgroup_hier_name(h),
		    s && !s->cgroups.memory[h] ? " (no memory controller there: charges are -)"
					       : "");
	return true;
}

static void cgroups_drill(struct app *a, const struct field_row *r)
{
	const struct cgroup_entry *e = cg_of(r);

	drill_push(a, DRILL_CGROUP, e->hier, e->id, NULL);
}

void tab_cgroups_open_members(struct app *a, int tab, uint8_t hier, uint64_t id)
{
	const struct snapshot *s = a->diff ? a->diff->b : a->view;
	const struct cgroup_entry *e = s ? tab_cgroups_find(&s->cgroups, hier, id) : NULL;
	struct cgroup_filter *f = &a->cgfilter;

	drill_clear(a);
	a->tab = tab;
	memset(f, 0, sizeof(*f));
	f->on = true;
	f->tab = tab;
	f->hier = hier;
	f->id = id;
	if (e)
		text_safe(cgroup_entry_name(&s->cgroups, e), f->name, sizeof(f->name));
	else
		snprintf(f->name, sizeof(f->name), "#%llu", (unsigned long long)id);
}

void tab_cgroups_back(struct app *a)
{
	struct cgroup_filter f = a->cgfilter;

	a->cgfilter.on = false;
	if (!f.on)
		return;
	a->tab = TAB_CGROUPS;
	drill_push(a, DRILL_CGROUP, f.hier, f.id, NULL);
}

static bool is_member(const struct snapshot *s, const struct field_table *ft, const void *e,
		      const struct cgroup_entry *cg)
{
	if (!cg)
		return false;
	if (ft == &fields_procs)
		return cgroup_of_process(s, e, cg->hier) == cg;
	return cgroup_of_socket_in(s, e, cg->hier) == cg;
}

size_t tab_cgroups_member_rows(struct app *a, struct field_row **out)
{
	const struct field_table *ft = tabs[a->tab]->fields;
	const struct cgroup_filter *f = &a->cgfilter;
	size_t n = fields_rows(ft, a->diff, a->view, a->diff_mode, a->diff_mode, out), k = 0;
	const struct cgroup_entry *cg_a = NULL, *cg_b;
	struct field_ctx c;

	if (!f->on || f->tab != a->tab)
		return n;
	fields_ctx(a->diff, a->view, &c);
	cg_b = tab_cgroups_find(&c.b->cgroups, f->hier, f->id);
	if (c.a)
		cg_a = tab_cgroups_find(&c.a->cgroups, f->hier, f->id);
	for (size_t i = 0; i < n; i++) {
		const struct field_row *r = &(*out)[i];
		const struct snapshot *s = fields_snapshot(&c, r);

		if (s && is_member(s, ft, fields_entity(r), s == c.b ? cg_b : cg_a))
			(*out)[k++] = *r;
	}
	return k;
}

const struct tab tab_cgroups = {
	.name = "cgroups",
	.title = "Cgroups",
	.needs = SNAP_CGROUPS,
	.missing_src = SRC_CGROUPS,
	.fields = &fields_cgroups,
	.diff_sort = "dcurrent",
	/* The name fits at 80 columns; c adds the other charges. */
	.columns = "current,dcurrent,anon,danon,kernel,dkernel,sock,procs,hier,name",
	.rows = cgroup_rows,
	.empty = cgroups_empty,
	.drill = cgroups_drill,
};
