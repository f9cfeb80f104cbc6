/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings file, "key = value" per line, '#' comments:
 *   tab = sockets
 *   interval = 2
 *   sockets.sort = skmem      sockets.reverse = 0      sockets.columns = kind,state,...
 * Reading stops at nothing: a bad line is reported (file:line: why) and
 * skipped. Writing goes to a temporary file renamed over the old one, so a
 * crash never leaves half a file.
 */
#include "config.h"

#include "settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tabs.h"

#define SETTINGS_MAX_BYTES (64 * 1024)

int settings_path(char *out, size_t sz)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg)
		n = snprintf(out, sz, "%s/leaktop/leaktoprc", xdg);
	else if (home && *home)
		n = snprintf(out, sz, "%s/.config/leaktop/leaktoprc", home);
	else
		return -1;
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = 0;
	return s;
}

static void skip_rest_of_line(FILE *f)
{
	int c;

	while ((c = getc(f)) != EOF && c != '\n')
		;
}

/* Apply one key; returns NULL or why it was refused. */
static const char *apply(struct app *a, const char *key, const char *val)
{
	const char *dot = strchr(key, '.');
	struct table *t;
	char tabname[32];
	int ti, idx;

	if (!strcmp(key, "tab")) {
		ti = tabs_find(val);
		if (ti < 0)
			return "unknown tab";
		a->tab = ti;
		return NULL;
	}
	if (!strcmp(key, "interval")) {
		char *end;
		double v = strtod(val, &end);

		if (end == val || *end || !(v >= 0.1 && v <= 3600))
			return "interval must be seconds from 0.1 to 3600";
		a->delay_s = v;
		return NULL;
	}
	if (!dot || (size_t)(dot - key) >= sizeof(tabname))
		return "unknown key";
	snprintf(tabname, sizeof(tabname), "%.*s", (int)(dot - key), key);
	ti = tabs_find(tabname);
	if (ti < 0 || !tabs[ti]->fields)
		return "unknown table";
	t = &a->tables[ti];
	if (!strcmp(dot + 1, "sort")) {
		idx = fields_index(t->ft, val);
		if (idx < 0)
			return "unknown column";
		t->sort = idx;
		t->desc = t->ft->v[idx].desc;
		return NULL;
	}
	if (!strcmp(dot + 1, "reverse")) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return "expected 0 or 1";
		t->desc = t->ft->v[t->sort].desc != (val[0] == '1');
		return NULL;
	}
	if (!strcmp(dot + 1, "columns"))
		return table_columns_parse(t, val) ? "unknown column skipped" : NULL;
	return "unknown key";
}

int settings_load(struct app *a, char *msg, size_t msgsz)
{
	char path[4096], line[1024];
	unsigned int lineno = 0;
	int bad = 0;
	FILE *f;

	msg[0] = 0;
	if (settings_path(path, sizeof(path)) < 0)
		return 0;
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(msg, msgsz, "settings: %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s, *eq, *key, *val;
		const char *why;

		lineno++;
		if (ftell(f) > SETTINGS_MAX_BYTES) {
			snprintf(msg, msgsz, "settings: %s: larger than %d bytes, rest ignored",
				 path, SETTINGS_MAX_BYTES);
			bad++;
			break;
		}
		if (!strchr(line, '\n') && !feof(f)) {
			/* The rest of a long line must not be read as a line of
			 * its own (the tail of a comment would be applied). */
			why = "line too long, skipped";
			skip_rest_of_line(f);
		} else {
			s = trim(line);
			if (!*s || *s == '#')
				continue;
			eq = strchr(s, '=');
			if (!eq) {
				why = "expected key = value";
			} else {
				*eq = 0;
				key = trim(s);
				val = trim(eq + 1);
				why = apply(a, key, val);
			}
		}
		if (why && !bad++)
			snprintf(msg, msgsz, "settings line %u: %s (%s)", lineno, why, path);
	}
	/* A directory or an I/O error reads as an empty file otherwise. */
	if (ferror(f) && !bad++)
		snprintf(msg, msgsz, "settings: %s: %s", path, strerror(errno));
	fclose(f);
	return bad ? -1 : 0;
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return 0;
}

int settings_save(const struct app *a, char *msg, size_t msgsz)
{
	char path[4096], tmp[4200], cols[1024];
	FILE *f;
	int r;

	if (a->no_config) {
		snprintf(msg, msgsz, "settings not saved: --no-config");
		return -1;
	}
	if (settings_path(path, sizeof(path)) < 0) {
		snprintf(msg, msgsz, "settings not saved: neither XDG_CONFIG_HOME nor HOME is set");
		return -1;
	}
	r = mkdirs(path);
	if (r < 0) {
		snprintf(msg, msgsz, "settings not saved: %s: %s", path, strerror(-r));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(msg, msgsz, "settings not saved: %s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# leaktop settings, written by S\n");
	fprintf(f, "tab = %s\n", tabs[a->tab]->name);
	fprintf(f, "interval = %g\n", a->delay_s);
	for (int i = 0; i < TAB_COUNT; i++) {
		const struct table *t = &a->tables[i];
		int sort = a->diff_mode ? a->saved_sort[i] : t->sort;
		bool desc = a->diff_mode ? a->saved_desc[i] : t->desc;

		if (!tabs[i]->fields)
			continue;
		table_columns_string(t, cols, sizeof(cols));
		fprintf(f, "%s.sort = %s\n", tabs[i]->name, t->ft->v[sort].id);
		fprintf(f, "%s.reverse = %d\n", tabs[i]->name, desc != t->ft->v[sort].desc);
		fprintf(f, "%s.columns = %s\n", tabs[i]->name, cols);
	}
	if (fflush(f) != 0 || ferror(f)) {
		snprintf(msg, msgsz, "settings not saved: %s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		snprintf(msg, msgsz, "settings not saved: %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	snprintf(msg, msgsz, "settings saved to %s", path);
	return 0;
}
