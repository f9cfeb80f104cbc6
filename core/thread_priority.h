/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Background threads (sampling, decoding ahead) yield to the thread that
 * answers keys: on a two-core box under load they would otherwise take the
 * CPU a key needs. Nice is per thread on Linux; threads started from a
 * lowered one inherit its nice.
 */
#ifndef LEAKTOP_THREAD_PRIORITY_H
#define LEAKTOP_THREAD_PRIORITY_H

#define BACKGROUND_THREAD_NICE 5

/* The calling thread BACKGROUND_THREAD_NICE nicer (capped at 19 by the
 * kernel). Failure leaves the priority as it was. */
void thread_lower_priority(void);

#endif
