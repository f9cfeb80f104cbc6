/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroup_name.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"

#define CG_NAME_MAX_COMPONENTS 64
/* Container ids are shown as docker ps shows them: 12 hex digits. */
#define CG_SHORT_ID 12
/* Pod uids are shown by their first 8 characters. */
#define CG_SHORT_UID 8

struct comp {
	const char *s;
	size_t n;
};

struct cg_path {
	struct comp c[CG_NAME_MAX_COMPONENTS];
	size_t n;
};

static void split_path(const char *path, struct cg_path *p)
{
	const char *s = path;

	p->n = 0;
	while (*s && p->n < ARRAY_SIZE(p->c)) {
		const char *e;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		p->c[p->n].s = s;
		p->c[p->n].n = (size_t)(e - s);
		p->n++;
		s = e;
	}
}

static bool has_prefix(const struct comp *c, const char *pre)
{
	size_t n = strlen(pre);

	return c->n >= n && !memcmp(c->s, pre, n);
}

static bool has_suffix(const struct comp *c, const char *suf)
{
	size_t n = strlen(suf);

	return c->n >= n && !memcmp(c->s + c->n - n, suf, n);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return n > 0;
}

/* The container id in c: "<64 hex>", or "<prefix><64 hex>.scope" for one
 * of the runtimes' systemd scope prefixes. Sets *runtime to its label. */
static bool container_id(const struct comp *c, struct comp *id, const char **runtime)
{
	static const struct {
		const char *prefix, *label;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "crio" },
		{ "libpod-", "podman" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++) {
		size_t pre = strlen(scopes[i].prefix);

		if (has_prefix(c, scopes[i].prefix) && has_suffix(c, ".scope") &&
		    all_hex(c->s + pre, c->n - pre - 6)) {
			id->s = c->s + pre;
			id->n = c->n - pre - 6;
			*runtime = scopes[i].label;
			return true;
		}
	}
	if (c->n == 64 && all_hex(c->s, c->n)) {
		*id = *c;
		*runtime = NULL;
		return true;
	}
	return false;
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* kubepods/<qos>/pod<uid>/<container> (cgroupfs driver) or
 * kubepods-<qos>-pod<uid_with_underscores>.slice/<runtime>-<id>.scope
 * (systemd driver). */
static bool rule_kubepods(const struct cg_path *p, char *out, size_t sz)
{
	char uid[CG_SHORT_UID + 1];
	size_t i, k = 0, ulen;
	const char *u = NULL;
	bool kube = false;

	for (i = 0; i < p->n; i++) {
		const struct comp *c = &p->c[i];
		const char *pod = NULL;

		if (has_prefix(c, "kubepods"))
			kube = true;
		if (!kube)
			continue;
		if (has_prefix(c, "pod"))
			pod = c->s + 3;
		else if (has_suffix(c, ".slice"))
			for (size_t j = 0; j + 4 < c->n; j++)
				if (!memcmp(c->s + j, "-pod", 4))
					pod = c->s + j + 4;
		if (pod) {
			u = pod;
			ulen = (size_t)(c->s + c->n - pod) -
			       (has_suffix(c, ".slice") ? 6 : 0);
			break;
		}
	}
	if (!u || !ulen)
		return false;
	for (k = 0; k < min_sz(ulen, CG_SHORT_UID); k++)
		uid[k] = u[k] == '_' ? '-' : u[k];
	uid[k] = '\0';
	if (i + 1 < p->n) {
		struct comp id;
		const char *rt;

		if (container_id(&p->c[i + 1], &id, &rt)) {
			snprintf(out, sz, "pod %s…/%.*s", uid, (int)min_sz(id.n, CG_SHORT_ID), id.s);
			return true;
		}
		snprintf(out, sz, "pod %s…/%.*s", uid, (int)p->c[i + 1].n, p->c[i + 1].s);
		return true;
	}
	snprintf(out, sz, "pod %s…", uid);
	return true;
}

/* A container id as the last component, under docker/ (cgroupfs driver)
 * or as a runtime's scope (systemd driver). */
static bool rule_container(const struct cg_path *p, char *out, size_t sz)
{
	const struct comp *last;
	struct comp id;
	const char *rt;

	if (!p->n)
		return false;
	last = &p->c[p->n - 1];
	if (!container_id(last, &id, &rt))
		return false;
	if (!rt) {
		if (p->n < 2)
			return false;
		if (p->c[p->n - 2].n == 6 && !memcmp(p->c[p->n - 2].s, "docker", 6))
			rt = "docker";
		else if (p->c[p->n - 2].n == 10 && !memcmp(p->c[p->n - 2].s, "containerd", 10))
			rt = "containerd";
		else
			return false;
	}
	snprintf(out, sz, "%s:%.*s", rt, (int)min_sz(id.n, CG_SHORT_ID), id.s);
	return true;
}

/* The last component: a systemd unit ("ssh.service", "user-1000.slice")
 * is named by it, and so is anything no rule above knows. */
static bool rule_last(const struct cg_path *p, char *out, size_t sz)
{
	if (!p->n) {
		snprintf(out, sz, "/");
		return true;
	}
	snprintf(out, sz, "%.*s", (int)p->c[p->n - 1].n, p->c[p->n - 1].s);
	return true;
}

static bool (*const rules[])(const struct cg_path *p, char *out, size_t sz) = {
	rule_kubepods,
	rule_container,
	rule_last,
};

void cgroup_name(const char *path, char *out, size_t sz)
{
	struct cg_path p;

	if (!sz)
		return;
	out[0] = '\0';
	split_path(path ? path : "", &p);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i](&p, out, sz))
			return;
}
