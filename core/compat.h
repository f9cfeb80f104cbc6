/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small language helpers shared by every module. Nothing here knows about
 * /proc, netlink or curses.
 */
#ifndef LEAKTOP_COMPAT_H
#define LEAKTOP_COMPAT_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SPACESHIP(a, b) (((a) > (b)) - ((a) < (b)))
#define ATTR_FORMAT(f, a) __attribute__((format(printf, f, a)))
#define ATTR_NORETURN __attribute__((noreturn))
#define ATTR_UNUSED __attribute__((unused))

#endif
