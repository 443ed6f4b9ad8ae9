/*
 * Private to store/: a second thread for the writer.  It derives children
 * (project_derive(): load the timeline, derive, normalise; and encode) a
 * few dozen ahead of the writer, which applies them in the same order
 * (project_apply()) in its write transaction, so that the projections are
 * those the serial code writes: every child in key order for a rebuild,
 * a batch's children for ingest.
 */
#ifndef IRK_DERIVE_H
#define IRK_DERIVE_H

#include "store/store_impl.h"

/* A child as derived: its name, its IRO (NULL when none), its points, and
 * those encoded (points_encode()). */
struct derived {
	const char *child;
	const char *iro;
	const struct points *pts;
	const char *enc;
	size_t enclen;
	/* Not derived: the batch's retractions may change its timeline
	 * (timeline_load(): unsure); the writer derives it. */
	bool unsure;
};

struct deriver;

/* A deriver for s's writer: *out is the caller's (deriver_free()).
 * Returns 0 or IRK_ENOMEM. */
int deriver_new(struct store *s, struct deriver **out);

/*
 * Start deriving the children after after ("": from the first) in a
 * thread with a read-only transaction of its own.  Only while the rebuild
 * holds the writer lock: the log's databases must not change.  Returns 0
 * or IRK_E*; on success deriver_stop() must follow.
 */
int deriver_start(struct deriver *d, const char *after);

/*
 * Start deriving names[0..n) in a thread with a read-only transaction of
 * its own, against the last commit with ov's events added (ingest: the
 * batch in the writer's transaction, store.c).  Only while the caller
 * holds the writer lock and does not commit before deriver_stop(); names
 * and ov must stay as they are until then.  Returns 0 or IRK_E*.
 */
int deriver_start_list(
    struct deriver *d, char *const *names, size_t n, const struct overlay *ov);
bool deriver_started(const struct deriver *d);

/*
 * The next child, in key order, into *out (valid until the next call or
 * deriver_stop()); the one before is given back.  Returns 0,
 * IRK_ENOTFOUND when every child was taken, or the deriver's error for
 * this child.
 */
int deriver_next(struct deriver *d, struct derived *out);

/* The writer committed: the thread takes a new snapshot before its next
 * child, so that its old one keeps no freed page from being reused. */
void deriver_renew(struct deriver *d);

/* Stop the thread, wherever it is, and end its transaction.  Idempotent. */
void deriver_stop(struct deriver *d);

/* Free what the largest children left in the ring and the thread's
 * buffers, so that a deriver kept between batches holds little.  Not while
 * started. */
void deriver_trim(struct deriver *d);

/* NULL-safe; sets *dp to NULL.  Not while started. */
void deriver_free(struct deriver **dp);

#endif
