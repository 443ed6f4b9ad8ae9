/*
 * hist.h: a latency histogram of atomics, in nanoseconds, with bounds in
 * seconds as Prometheus gives them.
 */
#include <time.h>

#include "daemon/hist.h"

static const double bounds[HIST_NBOUNDS] = HIST_BOUNDS;

const double *
hist_bounds(void)
{
	return bounds;
}

void
hist_observe(struct hist *h, uint64_t ns)
{
	size_t i;

	for (i = 0; i < HIST_NBOUNDS; i++)
		if ((double)ns <= bounds[i] * 1e9)
			atomic_fetch_add(&h->le[i], 1);
	atomic_fetch_add(&h->sum_ns, ns);
	atomic_fetch_add(&h->count, 1);
}

uint64_t
hist_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
