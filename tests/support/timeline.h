/*
 * Test helper: a child's timeline from JSON lines, derived into points.
 */
#ifndef IRK_TEST_TIMELINE_H
#define IRK_TEST_TIMELINE_H

#include "domain/series.h"

/*
 * Decode the n JSON lines (each must be a valid event; the test fails
 * otherwise), sort them in timeline order, derive them as one child with the
 * default timescale and calendar, and normalise the points into *out (which
 * the caller frees with points_free()).  Group points (meetings) are
 * derived too, as if these were every member.
 */
void derive_lines(const char *const *lines, size_t n, struct points *out);

/* Normalise out, then add the points of every group (meeting) its member
 * points name, as if they were all the members, and normalise again. */
void derive_groups(struct points *out);

/* Sum of bucket points of a series over all days. */
int64_t points_total(const struct points *ps, const char *series);

/* Normalise out, then add the points of every group (meeting) its member
 * points name, as if they were all the members, and normalise again. */
void derive_groups(struct points *out);

/* Sum of bucket points of a series on from..to. */
int64_t points_sum(
    const struct points *ps, const char *series, int32_t from, int32_t to);

/* Day of the first interval point of a series, its until in *until. */
int32_t points_first_interval(
    const struct points *ps, const char *series, int32_t *until);

/* "YYYY-MM-DD" to a day; the test fails on a bad date. */
int32_t day_of(const char *s);

#endif
