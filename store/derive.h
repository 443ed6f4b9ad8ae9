/*
 * Private to store/: a rebuild's second thread.  It derives the children
 * of a chunk (project_derive(): load the timeline, derive, normalise; and
 * encode) a few ahead of the rebuild's own thread, which applies them in the
 * same order (project_apply()) in the chunk's write transaction, so that the
 * projections are those the serial code writes.
 */
#ifndef IRK_DERIVE_H
#define IRK_DERIVE_H

#include "store/store_impl.h"

/* A child as derived: its IRO (NULL when none), its points, and those
 * encoded (points_encode()). */
struct derived {
	const char *iro;
	const struct points *pts;
	const char *enc;
	size_t enclen;
};

struct deriver;

/* A deriver for s's rebuild: *out is the caller's (deriver_free()).
 * Returns 0 or IRK_ENOMEM. */
int deriver_new(struct store *s, struct deriver **out);

/*
 * Start deriving names (borrowed until deriver_stop()) in a thread with a
 * read-only transaction of its own, begun here, after the writer's
 * transaction began: the rebuild holds the writer lock, so the log's
 * databases are those the writer sees.  Returns 0 or IRK_E*; on success
 * deriver_stop() must follow.
 */
int deriver_start(struct deriver *d, const struct touched *names);

/*
 * The next child of names, in order, into *out (valid until the next call
 * or deriver_stop()); the one before is given back.  Returns 0, or the
 * deriver's error for this child.
 */
int deriver_next(struct deriver *d, struct derived *out);

/* Stop the thread, wherever it is, and end its transaction. */
void deriver_stop(struct deriver *d);

/* NULL-safe; sets *dp to NULL.  Not while started. */
void deriver_free(struct deriver **dp);

#endif
