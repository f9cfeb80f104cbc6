#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Two minutes of tests/soak/soak.sh: leaktop's TUI at 1 Hz with a 15-sample
# history under thousands of short loopback connections and hundreds of
# short-lived processes a second; its RSS must stay flat once the ring is
# full, its CPU steady, its screen free of errors, its keys answered.
set -eu
exec "${TOP_SRCDIR:-.}/tests/soak/soak.sh" 120 15
