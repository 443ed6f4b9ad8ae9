/*
 * Private to the catalogue (kpi*.c): the definition of a KPI and the
 * helpers its compute function reads the series with.  Each area file
 * (kpi_lac.c, kpi_cp.c, kpi_qa.c) exports one table; kpi.c joins them.
 */
#ifndef IRK_KPI_IMPL_H
#define IRK_KPI_IMPL_H

#include "domain/kpi.h"

/* What a compute function sees: the reader and the query. */
struct kpi_ctx {
	const struct series_reader *r;
	const struct kpi_query *q;
	const struct kpi_settings *settings; /* never NULL */
	int32_t as_at;                       /* min(q->to, q->today) */
};

struct kpi_def {
	const char *id;
	const char *title;
	enum kpi_unit unit;
	bool as_at; /* counted on one day (kpi_ctx.as_at), not a window */
	struct kpi_target dflt;
	/* Fill res->num, res->den and the items; the caller adds the
	 * value (unless this sets has_value and value itself), the target
	 * and the RAG. */
	int (*compute)(const struct kpi_ctx *c, struct kpi_result *res);
};

/* The area tables, in KPIS.md order. */
extern const struct kpi_def kpi_lac_defs[];
extern const size_t kpi_lac_ndefs;
extern const struct kpi_def kpi_cp_defs[];
extern const size_t kpi_cp_ndefs;
extern const struct kpi_def kpi_qa_defs[];
extern const size_t kpi_qa_ndefs;

/* Target initialisers for the tables. */
#define TARGET_NONE                          \
	{                                    \
		false, 0, KPI_BETTER_NONE, 0 \
	}
#define TARGET_HIGHER(t, amber)                       \
	{                                             \
		true, (t), KPI_BETTER_HIGHER, (amber) \
	}
#define TARGET_LOWER(t, amber)                       \
	{                                            \
		true, (t), KPI_BETTER_LOWER, (amber) \
	}
/* A direction but no target until the configuration sets one, so that a
 * council that sets only `target` gets the right RAG. */
#define TARGET_DIRECTION(better)      \
	{                             \
		false, 0, (better), 0 \
	}

/* The first day of running totals: before any business date. */
int32_t kpi_epoch(void);

/* Sum of a series over the query's window. */
int kpi_sum(const struct kpi_ctx *c, const char *series, int64_t *out);

/* Sum of a series over from..to. */
int kpi_sum_range(const struct kpi_ctx *c, const char *series, int32_t from,
    int32_t to, int64_t *out);

/*
 * As-at: the running total of a series of +1/-1 changes, from the
 * beginning of time through day.  A count "open on D" is written as +1 on
 * the day it opens and -1 on the day it closes (KPIS.md: open on D when
 * started on or before D and not ended on or before D).
 */
int kpi_asat(
    const struct kpi_ctx *c, const char *series, int32_t day, int64_t *out);

/* Interval points of series with day in from..to still open after at. */
int kpi_open(const struct kpi_ctx *c, const char *series, int32_t from,
    int32_t to, int32_t at, int64_t *out);

/*
 * A deadline KPI (KPIS.md, "Deadline KPIs"): items counted on a day in the
 * window are in the denominator once done or once their deadline is before
 * today, and in the numerator when done by the deadline.  The facts write
 * each item as a bucket in met_series (done in time) and done_series (done
 * at all) on its counted-on day, and an interval in pending_series (day =
 * counted-on day, until = deadline) while it is not done.
 */
int kpi_deadline(const struct kpi_ctx *c, const char *met_series,
    const char *done_series, const char *pending_series, int64_t *num,
    int64_t *den);

/* Append a breakdown item: a count (ratio false) or num / den as a
 * percentage (ratio true).  Returns 0 or IRK_ENOMEM. */
int kpi_item(struct kpi_result *res, const char *group, const char *key,
    int64_t num, int64_t den, bool ratio);

/* Append an item with a value of its own (an average, a weighted load),
 * num and den as the KPI documents them.  Returns 0 or IRK_ENOMEM. */
int kpi_item_value(struct kpi_result *res, const char *group, const char *key,
    double value, int64_t num, int64_t den);

/* Items prefix+key for each fixed key, summed over the window (every key
 * listed, even at 0). */
int kpi_counts(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix, const char *const *keys,
    size_t nkeys);

/* As kpi_counts() for as-at series on c->as_at. */
int kpi_counts_asat(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix, const char *const *keys,
    size_t nkeys);

/* Items for every series under prefix with a nonzero sum over the window
 * (keys not known in advance, e.g. late reasons or agencies). */
int kpi_each(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix);

/* As kpi_each() for as-at series on c->as_at. */
int kpi_each_asat(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix);

#endif
