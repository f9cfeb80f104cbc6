/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line per Check suite; check_main.c runs them all. */
#ifndef LEAKTOP_TEST_SUITES_H
#define LEAKTOP_TEST_SUITES_H

#include <check.h>

Suite *parse_suite(void);

#endif
