/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix,packet,netlink} text parsers:
 * the fallback where sock_diag is unavailable (no diag handler, EPERM, or a
 * captured tree). They give addresses, states, queues and inodes but no
 * skmem (packet and netlink give rmem only); the entries are marked
 * SOCK_SRC_PROCNET and views say which figures are missing.
 */
#ifndef LEAKTOP_PROCNET_H
#define LEAKTOP_PROCNET_H

#include <stddef.h>

#include "notes.h"
#include "root.h"
#include "sock.h"

int procnet_parse_inet(const char *buf, size_t len, const char *source, enum sock_kind kind,
		       int family, struct sock_table *t, struct notes *notes);
int procnet_parse_unix(const char *buf, size_t len, const char *source, struct sock_table *t,
		       struct notes *notes);
int procnet_parse_packet(const char *buf, size_t len, const char *source, struct sock_table *t,
			 struct notes *notes);
int procnet_parse_netlink(const char *buf, size_t len, const char *source, struct sock_table *t,
			  struct notes *notes);
/* Fill every kind for which t->kind_ok is false from <proc>/net/ (v4 and v6
 * files of a kind together); notes use the file as source ("net/tcp6"). A
 * kind is marked ok with SOCK_SRC_PROCNET when one of its files parsed. */
void procnet_fill(const struct root *r, struct sock_table *t, struct notes *notes);

#endif
