/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cgroup's name as its user knows it, from its path: a systemd unit
 * ("system.slice/ssh.service" is "ssh.service"), a container ("docker:
 * 3f2a9c1b7d4e" from /docker/<64 hex> or docker-<64 hex>.scope,
 * "containerd:<12 hex>", "crio:<12 hex>") or a Kubernetes pod and container
 * ("pod 1b4e5c2a…/9c0d1e2f3a4b" from kubepods/.../pod<uid>/<container>).
 * Anything else is its last path component; the root is "/". The rules are
 * a table, first match wins. The name is raw: views sanitize it.
 */
#ifndef LEAKTOP_CGROUP_NAME_H
#define LEAKTOP_CGROUP_NAME_H

#include <stddef.h>

/* Writes the name of path into out (always NUL-terminated when sz > 0). */
void cgroup_name(const char *path, char *out, size_t sz);

#endif
