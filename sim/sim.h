/*
 * A scenario generator: a realistic stream of irokpi events (EVENTS.md) for a
 * council, as JSON lines.  Families of one to three children enter care or
 * come onto child protection plans, are reviewed mostly on time, leave, and
 * sometimes come back; siblings are reviewed in one meeting.  The stream
 * carries what real feeds carry: events out of order within a child,
 * duplicates, and mistakes corrected by a retraction and a new event.
 *
 * It serves the demo, the tests and the benchmarks.  Deterministic for a
 * seed.  Pure apart from the callback it writes through.
 */
#ifndef IRK_SIM_H
#define IRK_SIM_H

#include <stddef.h>
#include <stdint.h>

struct sim_config {
	uint64_t seed;
	int first_year;      /* business dates start on 1 April of it */
	int years;           /* and run for this many years */
	uint64_t max_events; /* stop after this many lines (0: no limit) */
	uint64_t families;   /* stop after this many families (0: no limit) */
	double duplicate_rate; /* share of events sent twice */
	double retract_rate;   /* share of events entered wrongly first */
	double shuffle_rate;   /* share of events that arrive late */
	double
	    late_review_rate; /* share of reviews held after their due date */
};

/* Defaults: seed 1, 2017 for 3 years, 1,000 families, 1% duplicates, 0.5%
 * retractions, 10% shuffled, 2% late reviews. */
void sim_defaults(struct sim_config *cfg);

/*
 * Generate, calling emit once per JSON line (no newline; the text is valid
 * only during the call).  Stops early when emit returns nonzero and returns
 * that value; else 0 (IRK_ENOMEM on allocation failure).
 */
int sim_run(const struct sim_config *cfg,
    int (*emit)(void *arg, const char *line, size_t len), void *arg);

#endif
