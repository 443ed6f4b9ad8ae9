/*
 * The KPI catalogue: from summed series to numerator, denominator, value and
 * breakdowns.  The sums come through struct series_reader, so this code runs
 * the same over LMDB buckets (the daemon) and over an in-memory list of
 * points (the tests).  Pure: no allocation except the result's item list.
 */
#ifndef IRK_KPI_H
#define IRK_KPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/series.h"

/* What a KPI reads.  Every function returns 0 or a negative IRK_E*. */
struct series_reader {
	void *ctx;
	/* Sum of bucket points of `series` on days from..to inclusive. */
	int (*sum)(void *ctx, const char *series, int32_t from, int32_t to,
	    int64_t *out);
	/* Interval points of `series` due from..to and still open after at
	 * (until > at). */
	int (*open)(void *ctx, const char *series, int32_t from, int32_t to,
	    int32_t at, int64_t *out);
	/* For every series whose name starts with prefix, its sum from..to:
	 * fn(arg, name without the prefix, sum); sums of 0 may be skipped. */
	int (*each)(void *ctx, const char *prefix, int32_t from, int32_t to,
	    int (*fn)(void *arg, const char *suffix, int64_t sum), void *arg);
};

enum kpi_unit { KPI_PERCENT, KPI_COUNT };

/* One breakdown line: group "" for a top-level item, else its group name. */
struct kpi_item {
	char group[32];
	char key[SERIES_MAX];
	int64_t num, den;
	bool ratio; /* num / den, else a plain count in num */
};

struct kpi_def;

struct kpi_result {
	const struct kpi_def *def;
	int64_t num, den;
	bool has_value; /* false when den is 0 for a percentage */
	double value;   /* per cent to one decimal, or the count */
	struct kpi_item *items;
	size_t nitems, cap;
};

/* The query's period and its "today" (deadlines passed, outstanding). */
struct kpi_window {
	int32_t from, to, today;
};

/* The number of KPIs and the nth, in catalogue order. */
size_t kpi_count(void);
const struct kpi_def *kpi_at(size_t i);
const struct kpi_def *kpi_find(const char *id);
const char *kpi_id(const struct kpi_def *k);
const char *kpi_title(const struct kpi_def *k);
enum kpi_unit kpi_unit(const struct kpi_def *k);

/*
 * Compute one KPI over a window.  *res is reset first; its items are owned by
 * it: release with kpi_result_free().  Returns 0 or the reader's error.
 */
int kpi_compute(const struct kpi_def *k, const struct series_reader *r,
    const struct kpi_window *w, struct kpi_result *res);
void kpi_result_free(struct kpi_result *res);

/* Per cent rounded to one decimal, as every answer gives it. */
double kpi_percent(int64_t num, int64_t den);

#endif
