/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Memory tab: the partition of MemTotal (core/memderive) with each
 * class's change and rate, the unaccounted figure and how it was reached,
 * RAM-backed filesystems and SysV shared memory, then every meminfo field.
 * Deltas are against the previous sample, or B minus A in the diff view.
 */
#include "config.h"

#include <stdio.h>

#include "format.h"
#include "missing.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"

static void fmt_delta(const struct mem_delta *d, char *dbuf, size_t dsz, char *rbuf, size_t rsz)
{
	if (!d || !d->present) {
		snprintf(dbuf, dsz, "-");
		snprintf(rbuf, rsz, "-");
		return;
	}
	format_delta_bytes(d->d, dbuf, dsz);
	format_rate_bytes(d->rate_per_s, rbuf, rsz);
}

/* The same mount in the earlier sample, by device (bind mounts share it). */
static const struct tmpfs_mount *mount_before(const struct diff *d, const struct tmpfs_mount *t)
{
	if (!d || !d->a || !(d->a->sections & SNAP_TMPFS))
		return NULL;
	for (size_t i = 0; i < d->a->tmpfs.n; i++) {
		const struct tmpfs_mount *o = &d->a->tmpfs.v[i];

		if (o->dev_major == t->dev_major && o->dev_minor == t->dev_minor && o->has_usage)
			return o;
	}
	return NULL;
}

/* Change and rate of a mount's used bytes, "-" without an earlier sample. */
static void mount_change(const struct diff *d, const struct tmpfs_mount *t, char *dbuf, size_t dsz,
			 char *rbuf, size_t rsz)
{
	const struct tmpfs_mount *o = mount_before(d, t);
	struct mem_delta md = { 0 };

	if (o) {
		md.present = true;
		md.d = (int64_t)t->used_bytes - (int64_t)o->used_bytes;
		md.rate_per_s = d->interval_s > 0 ? (double)md.d / d->interval_s : 0;
	}
	fmt_delta(o ? &md : NULL, dbuf, dsz, rbuf, rsz);
}

/* One line on the first screen: the tmpfs total and change, and where the
 * table is. */
static void ramfs_summary(struct page *p, const struct snapshot *s, const struct diff *d)
{
	char used[32], dd[32];
	int64_t change = 0;
	bool any = false;

	if (missing_reason(s, SRC_TMPFS, SNAP_TMPFS))
		return;
	for (size_t i = 0; i < s->tmpfs.n; i++) {
		const struct tmpfs_mount *o = s->tmpfs.v[i].has_usage
						      ? mount_before(d, &s->tmpfs.v[i])
						      : NULL;

		if (o) {
			change += (int64_t)s->tmpfs.v[i].used_bytes - (int64_t)o->used_bytes;
			any = true;
		}
	}
	format_bytes(s->tmpfs.total_used_bytes, used, sizeof(used));
	if (any)
		format_delta_bytes(change, dd, sizeof(dd));
	else
		snprintf(dd, sizeof(dd), "-");
	page_add(p, change > 0 ? EL_WARN : EL_LABEL,
		 "tmpfs: %zu mounts, %s used, change %s (table below the classes: PgDn)",
		 s->tmpfs.n, used, dd);
}

static void classes(struct app *a, struct page *p, const struct snapshot *s, const struct diff *d)
{
	const struct mem_derived *m = &s->mem;
	char v[32], dd[32], rr[32];

	page_add(p, EL_HEADING, "Memory breakdown%s",
		 d && d->a ? (a->diff_mode ? " (B minus A)" : " (change since the previous sample)")
			   : "");
	ramfs_summary(p, s, d);
	page_add(p, EL_TABLE_HEAD, "%-26s %8s %7s %8s %10s", "CLASS", "BYTES", "%TOTAL", "DELTA",
		 "RATE");
	for (int c = 0; c < MEM_CLASS_COUNT; c++) {
		bool present = m->cls_present & (1u << c);
		double pct = m->extra[MEM_X_TOTAL] > 0
				     ? 100.0 * (double)m->cls[c] / (double)m->extra[MEM_X_TOTAL]
				     : 0;

		if (!present) {
			page_add(p, EL_MISSING, "%-26s %8s", mem_class_title(c), "-");
			continue;
		}
		tabs_fmt_sbytes(m->cls[c], v, sizeof(v));
		fmt_delta(d && d->a ? &d->cls[c] : NULL, dd, sizeof(dd), rr, sizeof(rr));
		page_add(p, c == MEM_UNACCOUNTED ? EL_WARN : EL_NORMAL,
			 "%-26s %8s %6.1f%% %8s %10s", mem_class_title(c), v, pct, dd, rr);
	}
	page_add(p, EL_NORMAL, "%s", "");
	for (int x = 0; x < MEM_X_COUNT; x++) {
		if (!(m->extra_present & (1u << x))) {
			page_add(p, EL_MISSING, "%-26s %8s", mem_extra_name(x), "-");
			continue;
		}
		tabs_fmt_sbytes(m->extra[x], v, sizeof(v));
		fmt_delta(d && d->a ? &d->extra[x] : NULL, dd, sizeof(dd), rr, sizeof(rr));
		page_add(p, EL_NORMAL, "%-26s %8s %7s %8s %10s", mem_extra_name(x), v, "", dd, rr);
	}
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_LABEL,
		 "unaccounted = MemTotal - MemFree - every class above; kernel stacks %s",
		 m->vmap_stacks ? "counted inside VmallocUsed" : "counted apart from VmallocUsed");
	page_add(p, EL_LABEL, "  (%s)", vmap_stack_rule_text(m->vmap_rule));
}

static void ramfs(struct page *p, const struct snapshot *s, const struct diff *d)
{
	char used[32], size[32], safe[256], dd[32], rr[32];
	const char *why;

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "RAM-backed filesystems (their files are Shmem)");
	why = missing_reason(s, SRC_TMPFS, SNAP_TMPFS);
	if (why) {
		page_add(p, EL_MISSING, "-  tmpfs: %s", why);
		return;
	}
	page_add(p, EL_TABLE_HEAD, "%-24s %-7s %8s %8s %8s %10s %8s", "MOUNT", "TYPE", "USED",
		 "SIZE", "CHANGE", "RATE", "INODES");
	for (size_t i = 0; i < s->tmpfs.n; i++) {
		const struct tmpfs_mount *t = &s->tmpfs.v[i];

		text_safe(t->mountpoint ? t->mountpoint : "?", safe, sizeof(safe));
		if (!t->has_usage) {
			page_add(p, EL_MISSING, "%-24s %-7s %8s", safe, t->fstype, "-");
			continue;
		}
		format_bytes(t->used_bytes, used, sizeof(used));
		format_bytes(t->size_bytes, size, sizeof(size));
		mount_change(d, t, dd, sizeof(dd), rr, sizeof(rr));
		page_add(p, EL_NORMAL, "%-24s %-7s %8s %8s %8s %10s %8llu", safe, t->fstype, used,
			 t->size_bytes ? size : "unlim", dd, rr, (unsigned long long)t->inodes_used);
	}
	format_bytes(s->tmpfs.total_used_bytes, used, sizeof(used));
	page_add(p, EL_VALUE, "%-24s %-7s %8s", "total", "", used);
	page_add(p, EL_NORMAL, "%s", "");
	why = missing_reason(s, SRC_SYSV_SHM, SNAP_TMPFS);
	if (why || !s->shm.present) {
		page_add(p, EL_MISSING, "-  SysV shm: %s", why ? why : "not present");
		return;
	}
	format_bytes(s->shm.rss_bytes, used, sizeof(used));
	format_bytes(s->shm.size_bytes, size, sizeof(size));
	page_add(p, EL_NORMAL, "SysV shm: %llu segments, size %s, resident %s",
		 (unsigned long long)s->shm.segments, size, used);
	format_bytes(s->shm.orphan_rss_bytes, used, sizeof(used));
	page_add(p, s->shm.orphan_segments ? EL_WARN : EL_NORMAL,
		 "  with nobody attached: %llu segments, resident %s",
		 (unsigned long long)s->shm.orphan_segments, used);
}

static void meminfo_fields(struct page *p, const struct snapshot *s, const struct diff *d)
{
	char v[32], dd[32], rr[32], name[64];

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Every meminfo field");
	for (size_t i = 0; i < s->meminfo.n; i++) {
		const struct meminfo_field *f = &s->meminfo.v[i];
		const struct mem_delta *md = d && d->a && d->meminfo ? &d->meminfo[i] : NULL;

		text_safe(f->name, name, sizeof(name));
		if (f->is_bytes) {
			format_bytes(f->value, v, sizeof(v));
			fmt_delta(md, dd, sizeof(dd), rr, sizeof(rr));
		} else {
			snprintf(v, sizeof(v), "%llu", (unsigned long long)f->value);
			if (md && md->present)
				format_delta_count(md->d, dd, sizeof(dd));
			else
				snprintf(dd, sizeof(dd), "-");
			snprintf(rr, sizeof(rr), "%s", "");
		}
		page_add(p, md && md->present && md->d ? EL_VALUE : EL_NORMAL,
			 "%-26s %8s %7s %8s %10s", name, v, "", dd, rr);
	}
}

static void memory_page(struct app *a, struct page *p)
{
	const struct diff *d = a->diff;
	const struct snapshot *s = d ? d->b : a->view;
	const char *why = missing_reason(s, SRC_MEMINFO, SNAP_MEM);

	if (why || !s->mem.valid) {
		page_add(p, EL_MISSING, "-  meminfo: %s",
			 why ? why : "MemTotal or MemFree missing");
		return;
	}
	classes(a, p, s, d);
	ramfs(p, s, d);
	meminfo_fields(p, s, d);
}

const struct tab tab_memory = {
	.name = "memory",
	.title = "Memory",
	.needs = SNAP_MEM | SNAP_TMPFS | SNAP_VMALLOC,
	.missing_src = SRC_MEMINFO,
	.build_page = memory_page,
};
