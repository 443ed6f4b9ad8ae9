/*
 * A latency histogram that one thread fills and another reads without a
 * lock: each bucket, the count and the sum are atomics.  The buckets are
 * cumulative, as Prometheus exposes them.  The writer adds to the buckets
 * before the count, so a reader that loads the count first and caps each
 * bucket at it gets buckets that never decrease and end at the count.
 */
#ifndef IRK_HIST_H
#define IRK_HIST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Upper bounds in seconds, ascending; +Inf is the count. */
#define HIST_BOUNDS                                                        \
	{                                                                  \
		0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1 \
	}
#define HIST_NBOUNDS 10

struct hist {
	atomic_uint_fast64_t le[HIST_NBOUNDS]; /* observations <= bound */
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t sum_ns;
};

/* The bucket bounds in seconds (HIST_NBOUNDS of them). */
const double *hist_bounds(void);

/* Count one observation of ns nanoseconds.  Any thread. */
void hist_observe(struct hist *h, uint64_t ns);

/* Nanoseconds on the monotonic clock, for measuring what is observed. */
uint64_t hist_now_ns(void);

#endif
