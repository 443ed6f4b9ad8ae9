/*
 * The KPI catalogue: from summed series to numerator, denominator, value,
 * target, RAG and breakdowns.  The sums come through struct series_reader,
 * so this code runs the same over LMDB buckets (the daemon) and over an
 * in-memory list of points (the tests).  Pure: no allocation except the
 * result's item list.
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
	/* Interval points of `series` whose day is in from..to and whose
	 * until is after at (until > at). */
	int (*open)(void *ctx, const char *series, int32_t from, int32_t to,
	    int32_t at, int64_t *out);
	/* For every series whose name starts with prefix, its sum from..to:
	 * fn(arg, name without the prefix, sum), in name order; sums of 0 may
	 * be skipped. */
	int (*each)(void *ctx, const char *prefix, int32_t from, int32_t to,
	    int (*fn)(void *arg, const char *suffix, int64_t sum), void *arg);
};

enum kpi_unit {
	KPI_PERCENT, /* num / den, per cent to one decimal */
	KPI_COUNT,   /* num */
	KPI_AVERAGE, /* num / den to one decimal */
};

enum kpi_better { KPI_BETTER_NONE, KPI_BETTER_HIGHER, KPI_BETTER_LOWER };
enum kpi_rag { KPI_RAG_NONE, KPI_RAG_GREEN, KPI_RAG_AMBER, KPI_RAG_RED };

/*
 * A KPI's target: green when the value is on the good side of target,
 * amber within `amber` of it on the bad side, red beyond.  better NONE (or
 * set false) means no target and no RAG.
 */
struct kpi_target {
	bool set;
	double target;
	enum kpi_better better;
	double amber;
};

/* What the configuration tells the catalogue. */
struct kpi_settings {
	int64_t child_population; /* children in the area; 0: unknown */
	double caseload_ceiling;  /* iro.caseload: weighted cases per IRO */
	double weight_lac;        /* caseload weight of a looked-after child */
	double weight_cp;         /* of a child on a plan only */
	/* kpi_count() targets by kpi_index(), or NULL for the defaults. */
	const struct kpi_target *targets;
};

/* KPIS.md defaults: population unknown, ceiling 105, weights 1.5 and 1. */
void kpi_settings_defaults(struct kpi_settings *s);

enum kpi_item_kind {
	KPI_ITEM_COUNT, /* a count, in num */
	KPI_ITEM_RATIO, /* num / den as a percentage */
	KPI_ITEM_VALUE, /* value, with num and den as the KPI defines them */
};

/* One breakdown line: group "" for a top-level item, else its group name. */
struct kpi_item {
	char group[32];
	char key[SERIES_MAX];
	enum kpi_item_kind kind;
	int64_t num, den;
	double value; /* KPI_ITEM_VALUE only */
};

struct kpi_def;

struct kpi_result {
	const struct kpi_def *def;
	int64_t num, den;
	bool has_value; /* false when den is 0 for a ratio */
	double value;   /* per cent or average to one decimal, or the count */
	struct kpi_target target; /* the one in force */
	enum kpi_rag rag;
	int32_t as_at; /* as-at KPIs: the day counted on; else DAY_NONE */
	struct kpi_item *items;
	size_t nitems, cap;
};

/*
 * A query: the window from..to, "today" (which deadlines have passed, what
 * is outstanding), and the settings (borrowed; NULL: the defaults).  As-at
 * KPIs are counted on min(to, today).
 */
struct kpi_query {
	int32_t from, to, today;
	const struct kpi_settings *settings;
};

/* The number of KPIs and the nth, in catalogue order. */
size_t kpi_count(void);
const struct kpi_def *kpi_at(size_t i);
size_t kpi_index(const struct kpi_def *k);
const struct kpi_def *kpi_find(const char *id);
const char *kpi_id(const struct kpi_def *k);
const char *kpi_title(const struct kpi_def *k);
enum kpi_unit kpi_unit(const struct kpi_def *k);
bool kpi_is_as_at(const struct kpi_def *k);
const struct kpi_target *kpi_default_target(const struct kpi_def *k);

/* The target in force for k under s (NULL: the defaults); borrowed from
 * s or the catalogue.  It has a RAG only when set with a direction. */
const struct kpi_target *kpi_target_of(
    const struct kpi_def *k, const struct kpi_settings *s);

/*
 * Compute one KPI.  *res is reset first; its items are owned by it: release
 * with kpi_result_free().  Returns 0 or the reader's error.
 */
int kpi_compute(const struct kpi_def *k, const struct series_reader *r,
    const struct kpi_query *q, struct kpi_result *res);
void kpi_result_free(struct kpi_result *res);

/* Per cent rounded to one decimal, as every answer gives it. */
double kpi_percent(int64_t num, int64_t den);

/* RAG of a value against a target. */
enum kpi_rag kpi_rag_of(const struct kpi_target *t, double value);
const char *kpi_rag_name(enum kpi_rag rag);     /* "green", ... or NULL */
const char *kpi_better_name(enum kpi_better b); /* "higher", "lower", NULL */

#endif
