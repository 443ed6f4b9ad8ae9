/*
 * A child's facts: the pure function from the child's timeline to the points
 * it contributes to the KPI projections (series.h).  This is where the
 * statutory rules live.  It sees no LMDB, no socket and no clock, so the same
 * timeline always gives the same points, whatever order its events arrived
 * in; rebuild-equals-incremental rests on that.
 *
 * Series names are "<kpi id>:<part>", listed in series_names.h.
 */
#ifndef IRK_FACTS_H
#define IRK_FACTS_H

#include <stddef.h>

#include "domain/calendar.h"
#include "domain/series.h"
#include "domain/timescale.h"
#include "proto/event.h"

/*
 * Rank of a type among events of one child on one business date (KPIS.md,
 * "Order within a child"): ends, then starts, strategy, registration and
 * allocation, then everything else.  Ties after that go by id, bytewise.
 */
int facts_type_rank(enum evt_type t);

/* The full timeline order of KPIS.md; qsort-compatible on struct event *. */
int facts_event_cmp(const struct event *a, const struct event *b);

/*
 * Derive the points of one child from its timeline: n events in timeline
 * order (facts_event_cmp), retracted events already left out.  Appends to
 * *out, which the caller normalises.  Returns 0 or IRK_ENOMEM.
 */
int facts_derive_child(const struct timescale *ts, const struct calendar *cal,
    const struct event *const *ev, size_t n, struct points *out);

/*
 * Derive the points of one group (a meeting of siblings) from its members:
 * the member points the children emitted for it, any order.  Appends to
 * *out.  Returns 0 or IRK_ENOMEM.
 */
int facts_derive_group(const char *group, const struct point *members,
    size_t n, struct points *out);

#endif
