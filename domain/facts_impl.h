/*
 * Private to the fact derivation (facts*.c): the context every area of the
 * catalogue derives from, and what they share.  facts.c builds the context
 * once per child (its timeline, date of birth, looked-after episodes and
 * child protection plans) and hands it to each area in turn; each area
 * (facts_lac.c, facts_cp.c, facts_qa.c, facts_iro.c) appends its points.
 */
#ifndef IRK_FACTS_IMPL_H
#define IRK_FACTS_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "domain/series.h"
#include "domain/timescale.h"
#include "proto/event.h"

/*
 * A looked-after episode or a child protection plan (KPIS.md, "Episode"):
 * from its start event to its end, DAY_NEVER while open.  A start inside an
 * open one, or an end outside one, changes nothing.  It is open on day D
 * when start <= D < end.
 */
struct episode {
	int32_t start, end;
	const struct event *started; /* lac.started or cp_plan.started */
	const struct event *ended;   /* lac.ended or cp_plan.ended, or NULL */
	bool short_breaks;           /* LAC with legal_status V3 or V4 */
};

struct facts_ctx {
	const struct timescale *ts;
	const struct calendar *cal;
	const struct event *const *ev; /* timeline order, no retracted */
	size_t n;
	int32_t dob; /* latest child.registered dob, or DAY_NONE */
	const struct episode *lac;
	size_t nlac;
	const struct episode *cp;
	size_t ncp;
};

/* The episode of v[0..n) open on day, or NULL. */
const struct episode *episode_at(
    const struct episode *v, size_t n, int32_t day);

/* The DfE age band on day: unborn, under_1, 1_4, 5_9, 10_15, 16_17 (16 and
 * over), or unknown without a date of birth. */
const char *facts_age_band(int32_t dob, int32_t day);

/* Field accessors: absent or null gives NULL, DAY_NONE, or dflt. */
static inline const char *
ev_str(const struct event *ev, enum evt_field f)
{
	return ev->f[f].present && !ev->f[f].null ? ev->f[f].str : NULL;
}

static inline int32_t
ev_day(const struct event *ev, enum evt_field f)
{
	return ev->f[f].present && !ev->f[f].null ? ev->f[f].time.day
						  : DAY_NONE;
}

static inline int64_t
ev_num(const struct event *ev, enum evt_field f, int64_t dflt)
{
	return ev->f[f].present && !ev->f[f].null ? ev->f[f].num : dflt;
}

/* The areas.  Each returns 0 or IRK_ENOMEM. */
int facts_lac(const struct facts_ctx *c, struct points *out);
int facts_cp(const struct facts_ctx *c, struct points *out);
int facts_qa(const struct facts_ctx *c, struct points *out);
int facts_iro(const struct facts_ctx *c, struct points *out);

/* Group derivations; each ignores groups that are not its own (returns 0
 * and adds nothing). */
int facts_group_lac(const char *group, const struct point *members, size_t n,
    struct points *out);
int facts_group_cp(const char *group, const struct point *members, size_t n,
    struct points *out);

#endif
