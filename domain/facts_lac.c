/*
 * Children in care (KPIS.md, "Children in care (LAC)"): the points of the
 * lac.* KPIs.  Reviews are numbered within their episode; a review outside
 * any episode, or in a short-breaks episode (V3/V4), counts in no LAC KPI.
 *
 * Most KPIs here are window sums of what happened at a review.  Three are
 * not: lac.pep counts distinct children over a period and
 * lac.health_assessment and lac.dental_check a cohort at the period's end,
 * which day buckets cannot sum.  They are computed for the 12 months ending
 * on the window's last day T (exact for fyYYYY and rolling12, the windows
 * they are reported on; any other window gives the 12 months to its end).
 * Whether a child counts is then a function of T alone, a union of runs of
 * days; the facts work those runs out (struct spans) and write them as
 * running totals, +1 on a run's first T and -1 on the day after its last,
 * so that kpi_asat(series, T) is the exact count.  "12 months" there is the
 * calendar one of the windows (date_add_months), whatever month_mode says
 * about statutory timescales.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

#define SECS_PER_DAY 86400

static bool
in_episode(const struct episode *ep, int32_t day)
{
	return ep->start <= day && day < ep->end;
}

/* lac.review_timeliness, one episode: its reviews in order, each against its
 * due date; an unmet due date is outstanding until held or the episode ends.
 */
static int
review_timeliness(
    const struct facts_ctx *c, const struct episode *ep, struct points *out)
{
	static const char *const number_names[] = { "first", "second",
		"later" };
	int32_t due = timescale_lac_review_due(c->ts, c->cal, 1, ep->start);
	const char *meeting, *reason;
	size_t i;
	int number = 0, rc = 0;
	bool late;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];
		int32_t day = ev->at.day;

		if (ev->type != EVT_REVIEW_HELD || !in_episode(ep, day))
			continue;
		number++;
		late = day > due;
		rc |= points_bucket(out, day, 1, S_LAC_REVIEWS);
		if (!late)
			rc |= points_bucket(out, day, 1, S_LAC_REVIEWS_TIMELY);
		else {
			rc |= points_interval(out, due, day, S_LAC_DUE);
			rc |= points_bucket(out, day, 1,
			    S_LAC_LATE_BY_NUMBER "%s",
			    number_names[number > 3 ? 2 : number - 1]);
			reason = ev_str(ev, FLD_LATE_REASON);
			rc |= points_bucket(out, day, 1,
			    S_LAC_LATE_BY_REASON "%s",
			    reason != NULL ? reason : "unknown");
		}
		if ((meeting = ev_str(ev, FLD_MEETING)) != NULL) {
			rc |= points_member(out, day,
			    MEMBER_SEEN | (late ? MEMBER_LATE : 0),
			    G_LAC_MEETING "%s", meeting);
		} else {
			rc |= points_bucket(out, day, 1, S_LAC_MEETINGS);
			if (!late)
				rc |= points_bucket(
				    out, day, 1, S_LAC_MEETINGS_TIMELY);
		}
		due = timescale_lac_review_due(c->ts, c->cal, number + 1, day);
	}
	/* The next due date: outstanding from it until the episode ends,
	 * which closes it without meeting it. */
	if (ep->end > due) {
		rc |= points_interval(out, due, ep->end, S_LAC_DUE);
		if (ep->end != DAY_NEVER)
			rc |= points_bucket(out, ep->end, 1, S_LAC_DUE_LAPSED);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* lac.participation: every code is counted, PN0 too, so that the KPI can
 * leave it out and still list it. */
static int
participation(const struct event *review, struct points *out)
{
	int64_t code = ev_num(review, FLD_PARTICIPATION, -1);

	if (code < 0 || code > 7)
		return 0;
	return points_bucket(
	    out, review->at.day, 1, S_LAC_PARTICIPATION "PN%d", (int)code);
}

/*
 * lac.sw_report_24h: the report is in time when its business date is at
 * least sw_report_days before the review's, or, when both carry a time of
 * day, at least that many 24 hours before it.  Null: never received.
 */
static int
sw_report(
    const struct facts_ctx *c, const struct event *review, struct points *out)
{
	const struct event_value *sw = &review->f[FLD_SW_REPORT_AT];
	int32_t day = review->at.day;
	bool in_time;

	if (!sw->present || sw->null)
		return points_bucket(
		    out, day, 1, S_LAC_SW_REPORT_NOT_RECEIVED);
	if (sw->time.has_time && review->at.has_time)
		in_time = date_time_instant(&sw->time) <=
			  date_time_instant(&review->at) -
			      (int64_t)c->ts->sw_report_days * SECS_PER_DAY;
	else
		in_time = sw->time.day <= day - c->ts->sw_report_days;
	return points_bucket(out, day, 1,
	    in_time ? S_LAC_SW_REPORT_IN_TIME : S_LAC_SW_REPORT_LATE);
}

/* The earliest upload of type for the review held on day (its review_at),
 * or NULL.  The timeline is in business date order. */
static const struct event *
earliest_upload(const struct facts_ctx *c, enum evt_type type, int32_t day)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->type == type &&
		    ev_day(c->ev[i], FLD_REVIEW_AT) == day)
			return c->ev[i];
	return NULL;
}

/*
 * lac.record_20wd and lac.decisions_5wd (KPIS.md, "Deadline KPIs"): the
 * earliest upload for the review against the wd-th working day after it.
 * Counted on the review's day; pending until the deadline while none is in.
 */
static int
upload_deadline(const struct facts_ctx *c, const struct event *review,
    enum evt_type type, int wd, const char *met, const char *done,
    const char *pending, struct points *out)
{
	int32_t day = review->at.day;
	int32_t deadline = calendar_add_working_days(c->cal, day, wd);
	const struct event *up = earliest_upload(c, type, day);
	int rc;

	if (up == NULL)
		return points_interval(out, day, deadline, "%s", pending);
	rc = points_bucket(out, day, 1, "%s", done);
	if (up->at.day <= deadline)
		rc |= points_bucket(out, day, 1, "%s", met);
	return rc;
}

/* lac.permanence_second_review and lac.permanence_later_reviews: the
 * review's number within its episode decides which (the first is in
 * neither). */
static int
permanence(const struct event *review, int number, struct points *out)
{
	int32_t day = review->at.day;
	bool plan = ev_num(review, FLD_PERMANENCE_PLAN, 0) != 0;
	int rc;

	if (number == 2) {
		rc = points_bucket(out, day, 1, S_LAC_PERM_SECOND);
		if (plan)
			rc |= points_bucket(
			    out, day, 1, S_LAC_PERM_SECOND_WITH_PLAN);
		return rc;
	}
	if (number >= 3) {
		rc = points_bucket(out, day, 1, S_LAC_PERM_LATER);
		if (plan)
			rc |= points_bucket(
			    out, day, 1, S_LAC_PERM_LATER_WITH_PLAN);
		return rc;
	}
	return 0;
}

/* The per-review KPIs other than timeliness, one episode. */
static int
review_measures(
    const struct facts_ctx *c, const struct episode *ep, struct points *out)
{
	size_t i;
	int number = 0, rc = 0;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];

		if (ev->type != EVT_REVIEW_HELD || !in_episode(ep, ev->at.day))
			continue;
		number++;
		rc |= participation(ev, out);
		rc |= sw_report(c, ev, out);
		rc |= upload_deadline(c, ev, EVT_REVIEW_RECORD_UPLOADED,
		    c->ts->review_record_wd, S_LAC_RECORD_MET,
		    S_LAC_RECORD_DONE, S_LAC_RECORD_PENDING, out);
		rc |= upload_deadline(c, ev, EVT_REVIEW_DECISIONS_UPLOADED,
		    c->ts->review_decisions_wd, S_LAC_DECISIONS_MET,
		    S_LAC_DECISIONS_DONE, S_LAC_DECISIONS_PENDING, out);
		rc |= permanence(ev, number, out);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* lac.population: looked after from the episode's first day to the day
 * before its end (KPIS.md, "Open on a date D"). */
static int
population(const struct episode *ep, struct points *out)
{
	int rc = points_bucket(out, ep->start, 1, S_LAC_POPULATION);

	if (ep->end != DAY_NEVER)
		rc |= points_bucket(out, ep->end, -1, S_LAC_POPULATION);
	return rc;
}

/*
 * A set of end days T: sorted, disjoint, inclusive runs of days; a run
 * whose `to` is DAY_NEVER has no end.  Zero-initialise; spans_free().
 */
struct span {
	int32_t from, to;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

static void
spans_free(struct spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Append a run (an empty one, from > to, is dropped); spans_union() then
 * restores the invariant. */
static int
spans_add(struct spans *s, int32_t from, int32_t to)
{
	struct span *v;

	if (from > to)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;

		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return IRK_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct span){ from, to };
	return 0;
}

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

/* Sort and merge overlapping or touching runs, so that a child whose runs
 * overlap is counted once. */
static void
spans_union(struct spans *s)
{
	size_t i, k = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(s->v[0]), span_cmp);
	for (i = 1; i < s->n; i++) {
		struct span *last = &s->v[k];

		if (last->to == DAY_NEVER || s->v[i].from <= last->to + 1) {
			if (s->v[i].to > last->to)
				last->to = s->v[i].to;
		} else
			s->v[++k] = s->v[i];
	}
	s->n = k + 1;
}

/* out = a and b (both normalised); out is normalised too. */
static int
spans_intersect(
    const struct spans *a, const struct spans *b, struct spans *out)
{
	size_t i = 0, j = 0;
	int32_t from, to;

	while (i < a->n && j < b->n) {
		from =
		    a->v[i].from > b->v[j].from ? a->v[i].from : b->v[j].from;
		to = a->v[i].to < b->v[j].to ? a->v[i].to : b->v[j].to;
		if (spans_add(out, from, to) != 0)
			return IRK_ENOMEM;
		if (a->v[i].to < b->v[j].to)
			i++;
		else
			j++;
	}
	return 0;
}

/* The running total of a set: +1 on each run's first day, -1 on the day
 * after its last. */
static int
spans_emit(const struct spans *s, const char *series, struct points *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n; i++) {
		rc |= points_bucket(out, s->v[i].from, 1, "%s", series);
		if (s->v[i].to != DAY_NEVER)
			rc |= points_bucket(
			    out, s->v[i].to + 1, -1, "%s", series);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/*
 * The first T at least 12 months after day: date_add_months(T, -12) >= day.
 * date_add_months(day, 12) is it but for 29 February, which it clamps back
 * to the 28th, a day short.  The 12 months ending T (a rolling12 or fy
 * window) hold day exactly when day <= T < year_after(day).
 */
static int32_t
year_after(int32_t day)
{
	int32_t t = date_add_months(day, 12);

	while (date_add_months(t, -12) < day)
		t++;
	return t;
}

/* The first day on which a child born on dob is `years` old; the clamped
 * month arithmetic is a day early for 29 February. */
static int32_t
first_day_aged(int32_t dob, int years)
{
	int32_t t = date_add_months(dob, 12 * years);

	while (date_age_years(dob, t) < years)
		t++;
	return t;
}

/* The T whose 12 months hold a completion of type: a run from each. */
static int
completions(const struct facts_ctx *c, enum evt_type type, struct spans *s)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->type == type &&
		    spans_add(s, c->ev[i]->at.day,
			year_after(c->ev[i]->at.day) - 1) != 0)
			return IRK_ENOMEM;
	spans_union(s);
	return 0;
}

/* Emit cohort as cohort_series (unless NULL), and as done_series the T of
 * it whose 12 months hold a completion of type. */
static int
cohort_with(const struct facts_ctx *c, const struct spans *cohort,
    enum evt_type type, const char *cohort_series, const char *done_series,
    struct points *out)
{
	struct spans done = { 0 }, all = { 0 };
	int rc;

	if ((rc = completions(c, type, &done)) != 0 ||
	    (rc = spans_intersect(cohort, &done, &all)) != 0 ||
	    (cohort_series != NULL &&
		(rc = spans_emit(cohort, cohort_series, out)) != 0))
		goto done;
	rc = spans_emit(&all, done_series, out);
done:
	spans_free(&done);
	spans_free(&all);
	return rc;
}

/*
 * lac.pep: the T for which the child was looked after at some time in the
 * 12 months ending T, aged 5-15 at T, and (numerator) had a pep.completed
 * in those 12 months.  Looked after on some day of (T - 12 months, T]
 * means an episode that started on or before T and whose last day
 * (end - 1) is in those 12 months or after them.  Without a date of birth
 * the age is unknown and the child is in neither count.
 */
static int
pep(const struct facts_ctx *c, struct points *out)
{
	struct spans lac = { 0 }, age = { 0 }, cohort = { 0 };
	size_t i;
	int rc = 0;

	if (c->dob == DAY_NONE)
		return 0;
	for (i = 0; i < c->nlac && rc == 0; i++)
		if (!c->lac[i].short_breaks)
			rc = spans_add(&lac, c->lac[i].start,
			    c->lac[i].end == DAY_NEVER
				? DAY_NEVER
				: year_after(c->lac[i].end - 1) - 1);
	if (rc != 0 || (rc = spans_add(&age, first_day_aged(c->dob, 5),
			    first_day_aged(c->dob, 16) - 1)) != 0)
		goto done;
	spans_union(&lac);
	if ((rc = spans_intersect(&lac, &age, &cohort)) != 0)
		goto done;
	rc = cohort_with(c, &cohort, EVT_PEP_COMPLETED, S_LAC_PEP_COHORT,
	    S_LAC_PEP_DONE, out);
done:
	spans_free(&lac);
	spans_free(&age);
	spans_free(&cohort);
	return rc;
}

/* Add the T on which a stretch in care from start to end (DAY_NEVER: still
 * open) had lasted 12 months: open on T, started on or before T - 12
 * months. */
static int
continuous_12m(struct spans *s, int32_t start, int32_t end)
{
	return spans_add(
	    s, year_after(start), end == DAY_NEVER ? DAY_NEVER : end - 1);
}

/*
 * lac.health_assessment and lac.dental_check: the T on which the child had
 * been looked after continuously for 12 months or more (open on T, started
 * on or before T - 12 months), and (numerator) had the check in the 12
 * months ending T.  An episode that ends on the day the next one starts
 * leaves no day out of care, so the two are one continuous stretch.
 */
static int
health_checks(const struct facts_ctx *c, struct points *out)
{
	struct spans cohort = { 0 };
	int32_t start = DAY_NONE, end = DAY_NONE;
	size_t i;
	int rc;

	for (i = 0; i < c->nlac; i++) {
		const struct episode *ep = &c->lac[i];

		if (ep->short_breaks)
			continue;
		if (start != DAY_NONE && ep->start == end) {
			end = ep->end;
			continue;
		}
		if (start != DAY_NONE &&
		    (rc = continuous_12m(&cohort, start, end)) != 0)
			goto done;
		start = ep->start;
		end = ep->end;
	}
	if (start != DAY_NONE &&
	    (rc = continuous_12m(&cohort, start, end)) != 0)
		goto done;
	spans_union(&cohort);
	if ((rc = cohort_with(c, &cohort, EVT_HEALTH_ASSESSMENT_COMPLETED,
		 S_LAC_CONTINUOUS_12M, S_LAC_HEALTH_DONE, out)) != 0)
		goto done;
	rc = cohort_with(c, &cohort, EVT_DENTAL_CHECK_COMPLETED, NULL,
	    S_LAC_DENTAL_DONE, out);
done:
	spans_free(&cohort);
	return rc;
}

int
facts_lac(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < c->nlac; i++) {
		if (c->lac[i].short_breaks)
			continue;
		if ((rc = review_timeliness(c, &c->lac[i], out)) != 0 ||
		    (rc = review_measures(c, &c->lac[i], out)) != 0)
			return rc;
		if (population(&c->lac[i], out) != 0)
			return IRK_ENOMEM;
	}
	if ((rc = pep(c, out)) != 0)
		return rc;
	return health_checks(c, out);
}

/* lac.review_timeliness counts a meeting of siblings once, on its earliest
 * day, and as timely only when every child's review in it was timely. */
int
facts_group_lac(const char *group, const struct point *members, size_t n,
    struct points *out)
{
	int32_t day = DAY_NEVER;
	bool late = false;
	size_t i;
	int rc = 0;

	if (strncmp(group, G_LAC_MEETING, strlen(G_LAC_MEETING)) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (members[i].day < day)
			day = members[i].day;
		if (members[i].n & MEMBER_LATE)
			late = true;
	}
	rc |= points_bucket(out, day, 1, S_LAC_MEETINGS);
	if (!late)
		rc |= points_bucket(out, day, 1, S_LAC_MEETINGS_TIMELY);
	return rc != 0 ? IRK_ENOMEM : 0;
}
