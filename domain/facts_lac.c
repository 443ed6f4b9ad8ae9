/*
 * Children in care (KPIS.md, "Children in care (LAC)"): the points of the
 * lac.* KPIs.  Reviews are numbered within their episode; a review outside
 * any episode, or in a short-breaks episode (V3/V4), counts in no LAC KPI.
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

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

		if (ev->type != EVT_REVIEW_HELD || day < ep->start ||
		    day >= ep->end)
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
	/* The next due date: outstanding from it until the episode ends. */
	if (ep->end > due)
		rc |= points_interval(out, due, ep->end, S_LAC_DUE);
	return rc != 0 ? IRK_ENOMEM : 0;
}

int
facts_lac(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < c->nlac; i++) {
		if (c->lac[i].short_breaks)
			continue;
		if ((rc = review_timeliness(c, &c->lac[i], out)) != 0)
			return rc;
	}
	return 0;
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
