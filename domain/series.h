/*
 * Points: what a child (or a meeting) contributes to the KPI projections.
 *
 * Deriving a child's facts yields a list of points.  A bucket point adds n to
 * a named series on a day (the KPI's "counted on" date); an interval point
 * records a deadline that fell due on `day` and was resolved on `until`
 * (DAY_NEVER while open), for the "outstanding" counts; a member point says
 * that the child belongs to a group (a meeting of siblings) on `day`, with
 * flags.  The store keeps each owner's last list; when the owner is derived
 * again the difference between the old and the new list is applied to the
 * shared counters, so a late or retracted event changes exactly what it must.
 *
 * A list is normalised before it is stored or compared: sorted, equal points
 * merged, zero counts dropped.  Pure code, no I/O.
 */
#ifndef IRK_SERIES_H
#define IRK_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIES_MAX 112 /* bytes of a series or group name, NUL included */

struct name_ranks;

enum point_kind { PK_BUCKET = 0, PK_INTERVAL = 1, PK_MEMBER = 2 };

struct point {
	uint8_t kind;  /* enum point_kind */
	uint8_t len;   /* strlen(series): names are hashed, sorted and keyed */
	int32_t day;   /* counted-on date; for an interval the due date */
	int32_t until; /* interval: resolved on; 0 otherwise */
	int64_t n;     /* bucket and interval: count; member: flags */
	char series[SERIES_MAX];
};

/* A growable list of points.  Zero-initialise, then points_free(). */
struct points {
	struct point *v;
	size_t n, cap;
	/* points_normalize()'s buffers, kept for the next list */
	struct point *tmp;
	size_t tmpcap;
	void *scratch;
	size_t scratchlen;
	struct name_ranks *names; /* the names seen, ranked (names.h) */
};

/* Release the list's memory and empty it; the struct stays usable. */
void points_free(struct points *ps);
void points_clear(struct points *ps);

/*
 * Append a point.  The series name is printf-formatted and truncated to
 * SERIES_MAX - 1 bytes.  Returns 0 or IRK_ENOMEM.
 */
int points_bucket(struct points *ps, int32_t day, int64_t n, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
int points_interval(struct points *ps, int32_t day, int32_t until,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int points_member(struct points *ps, int32_t day, int64_t flags,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sort, merge equal points (counts add, member flags OR), drop zeros. */
void points_normalize(struct points *ps);

/*
 * Walk two normalised lists and call fn for every difference: for buckets and
 * intervals with delta = new - old; for members with delta -1 for a member
 * that went (p is the old point) and +1 for one that came (p is the new one);
 * a member whose flags or day changed gives both.  Stops at the first nonzero
 * return of fn and returns it; otherwise 0.
 */
int points_diff(const struct points *old, const struct points *new,
    int (*fn)(void *arg, const struct point *p, int64_t delta), void *arg);

/*
 * Compact byte form for storage.  points_encode appends to a growing buffer
 * (*buf is realloc'd; the caller frees it).  points_decode replaces the list
 * with what buf holds; IRK_EPROTO if the bytes are not a valid encoding.
 */
int points_encode(
    const struct points *ps, char **buf, size_t *len, size_t *cap);
int points_decode(const char *buf, size_t len, struct points *ps);

/*
 * A signed integer as the unsigned LEB128 of its zigzag form (small
 * magnitudes take one byte), also used by the store's month records.
 * varint_put writes at most VARINT_MAX bytes to q and returns how many;
 * varint_get reads one at buf + *off, advancing *off, and returns 0 or
 * IRK_EPROTO when it runs past len.
 */
#define VARINT_MAX 10
size_t varint_put(char *q, int64_t v);
int varint_get(const char *buf, size_t len, size_t *off, int64_t *v);

/* True when both normalised lists hold the same points. */
bool points_equal(const struct points *a, const struct points *b);

#endif
