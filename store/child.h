/*
 * One child's record as the child query shows it, read through a store
 * view: the timeline exactly as stored (retracted events included, and
 * marked) and the points the child last contributed to the projections.
 * Nothing here derives anything: it shows what the store holds, so that an
 * operator can see why a KPI counts a child the way it does.
 */
#ifndef IRK_CHILD_H
#define IRK_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/series.h"
#include "proto/event.h"
#include "store/store.h"

/* One event of a child's timeline. */
struct child_event {
	uint64_t seq;       /* its sequence number in the event log */
	int32_t day;        /* business date, the timeline's first key */
	enum evt_type type; /* its "type" */
	bool retracted;     /* an event.retracted names its id */
	char id[IRK_ID_MAX + 1];
	const char *raw; /* its msgpack map as received; borrowed from the
			    view, valid until store_view_end() */
	size_t rawlen;
};

/* A child's timeline.  Zero-initialise, then child_timeline_free(). */
struct child_timeline {
	struct child_event *v;
	size_t n, cap;
};

/*
 * Load child's timeline from view v into *tl (emptied first), in timeline
 * order (KPIS.md: business date, then type rank, then id): the order in
 * which the facts are derived.  Returns 0, IRK_ENOTFOUND for a child with
 * no event stored, IRK_ENOMEM, or IRK_ESTORE (a stored event that does not
 * read back).  The raw bytes of each event are borrowed from v.
 */
int child_timeline_load(
    struct store_view *v, const char *child, struct child_timeline *tl);

/* Release tl's memory and empty it; the struct stays usable. */
void child_timeline_free(struct child_timeline *tl);

/*
 * The points child contributes to the projections, as last derived
 * (normalised: see series.h), into *out, replacing what it held; empty when
 * the child contributes nothing.  out's memory is the caller's
 * (points_free()).  Returns 0, IRK_ENOMEM or IRK_ESTORE.
 */
int child_points(struct store_view *v, const char *child, struct points *out);

#endif
