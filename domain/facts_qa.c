/*
 * Quality assurance and harmful sexual behaviour (KPIS.md, "Quality
 * assurance and the service"): the points of the qa.* and hsb.* KPIs.
 *
 * QA alert events carry an `alert` id and are matched within the child by
 * it.  An alert is its first qa_alert.raised; a second one with the same id
 * changes nothing.  Its responses, escalations and resolution count from the
 * raised date on, wherever they fall among that day's events (same-day ties
 * go by event id, not by what happened first); one dated before the raising
 * counts nowhere.
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

/* hsb.journey: an initial meeting within 20 working days (KPIS.md). */
#define HSB_INITIAL_MEETING_WD 20

/* A value's name from one of series_qa.h's lists, NULL when out of range
 * (the validator makes that impossible; a bad value counts nowhere). */
static const char *
value_name(const char *const *names, size_t n, int64_t value)
{
	return value >= 0 && (uint64_t)value < n ? names[value] : NULL;
}

static bool
is_alert(const struct event *ev, enum evt_type type, const char *alert)
{
	const char *id;

	if (ev->type != type || (id = ev_str(ev, FLD_ALERT)) == NULL)
		return false;
	return strcmp(id, alert) == 0;
}

/* True when c->ev[i], a qa_alert.raised, is the first of its alert id. */
static bool
is_first_raised(const struct facts_ctx *c, size_t i)
{
	const char *alert = ev_str(c->ev[i], FLD_ALERT);
	size_t j;

	if (alert == NULL)
		return false;
	for (j = 0; j < i; j++)
		if (is_alert(c->ev[j], EVT_QA_ALERT_RAISED, alert))
			return false;
	return true;
}

/* The day of the earliest event of type for alert on or after from, or
 * DAY_NEVER. */
static int32_t
alert_first(const struct facts_ctx *c, enum evt_type type, const char *alert,
    int32_t from)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->at.day >= from &&
		    is_alert(c->ev[i], type, alert))
			return c->ev[i]->at.day;
	return DAY_NEVER;
}

/* qa.response_5wd: a concern alert is met when its earliest response is
 * within qa_response_wd working days of raising; pending until answered. */
static int
response(const struct facts_ctx *c, int32_t raised, const char *alert,
    struct points *out)
{
	int32_t due =
	    calendar_add_working_days(c->cal, raised, c->ts->qa_response_wd);
	int32_t responded =
	    alert_first(c, EVT_QA_ALERT_RESPONDED, alert, raised);
	int rc = 0;

	if (responded == DAY_NEVER)
		return points_interval(
		    out, raised, due, S_QA_RESPONSE_PENDING);
	rc |= points_bucket(out, raised, 1, S_QA_RESPONSE_DONE);
	if (responded <= due)
		rc |= points_bucket(out, raised, 1, S_QA_RESPONSE_MET);
	return rc != 0 ? IRK_ENOMEM : 0;
}

/*
 * qa.open_by_stage: a concern alert is open from the day it is raised to
 * the day it is resolved (not open on that day), at stage 1 until an
 * escalation takes it higher; an escalation to its stage or a lower one
 * changes nothing, since the KPI counts the highest stage reached.  Each
 * move is -1 on the old stage and +1 on the new one, on the day.
 */
static int
open_by_stage(const struct facts_ctx *c, int32_t raised, const char *alert,
    struct points *out)
{
	static const char *const stages[] = { QA_STAGE_NAMES };
	int32_t resolved =
	    alert_first(c, EVT_QA_ALERT_RESOLVED, alert, raised);
	int64_t stage = 1, to;
	size_t i;
	int rc = 0;

	rc |= points_bucket(out, raised, 1, S_QA_OPEN "%s", stages[0]);
	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];

		if (ev->at.day < raised || ev->at.day >= resolved ||
		    !is_alert(ev, EVT_QA_ALERT_ESCALATED, alert))
			continue;
		to = ev_num(ev, FLD_STAGE, 0);
		if (to <= stage || to > QA_STAGE_MAX)
			continue;
		rc |= points_bucket(
		    out, ev->at.day, -1, S_QA_OPEN "%s", stages[stage - 1]);
		rc |= points_bucket(
		    out, ev->at.day, 1, S_QA_OPEN "%s", stages[to - 1]);
		stage = to;
	}
	if (resolved != DAY_NEVER)
		rc |= points_bucket(
		    out, resolved, -1, S_QA_OPEN "%s", stages[stage - 1]);
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* qa.alerts on the raised date by area and kind; concern alerts go on to
 * qa.response_5wd and qa.open_by_stage. */
static int
alerts(const struct facts_ctx *c, struct points *out)
{
	static const char *const areas[] = { QA_AREA_NAMES };
	static const char *const kinds[] = { QA_ALERT_KIND_NAMES };
	const char *area, *kind, *alert;
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];
		int32_t day = ev->at.day;

		if (ev->type != EVT_QA_ALERT_RAISED || !is_first_raised(c, i))
			continue;
		alert = ev_str(ev, FLD_ALERT);
		area =
		    value_name(areas, NITEMS(areas), ev_num(ev, FLD_AREA, -1));
		kind = value_name(
		    kinds, NITEMS(kinds), ev_num(ev, FLD_ALERT_KIND, -1));
		if (area == NULL || kind == NULL)
			continue;
		if (points_bucket(
			out, day, 1, S_QA_ALERTS "%s:%s", area, kind) != 0)
			return IRK_ENOMEM;
		if (ev_num(ev, FLD_ALERT_KIND, -1) != ALERT_CONCERN)
			continue;
		if ((rc = response(c, day, alert, out)) != 0 ||
		    (rc = open_by_stage(c, day, alert, out)) != 0)
			return rc;
	}
	return 0;
}

/* hsb.meetings: every meeting held, on its date, by kind and category. */
static int
hsb_meetings(const struct facts_ctx *c, struct points *out)
{
	static const char *const kinds[] = { HSB_KIND_NAMES };
	static const char *const brooks[] = { HSB_BROOK_NAMES };
	const char *kind, *brook;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];

		if (ev->type != EVT_HSB_MEETING_HELD)
			continue;
		kind = value_name(
		    kinds, NITEMS(kinds), ev_num(ev, FLD_HSB_KIND, -1));
		brook = value_name(
		    brooks, NITEMS(brooks), ev_num(ev, FLD_BROOK_MEETING, -1));
		if (kind != NULL && brook != NULL)
			rc |= points_bucket(out, ev->at.day, 1,
			    S_HSB_MEETINGS "%s:%s", kind, brook);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* The day of the earliest initial hsb.meeting_held on or after from, or
 * DAY_NEVER. */
static int32_t
first_initial_meeting(const struct facts_ctx *c, int32_t from)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->type == EVT_HSB_MEETING_HELD &&
		    c->ev[i]->at.day >= from &&
		    ev_num(c->ev[i], FLD_HSB_KIND, -1) == CONF_INITIAL)
			return c->ev[i]->at.day;
	return DAY_NEVER;
}

/*
 * hsb.journey: identifications by Brook category on their date; an
 * amber_red or red one is met when an initial meeting follows on or after
 * it and within 20 working days, and is a deadline item (kpi_deadline)
 * until a meeting is held.
 */
static int
hsb_journey(const struct facts_ctx *c, struct points *out)
{
	static const char *const brooks[] = { HSB_BROOK_NAMES };
	const char *brook;
	int32_t day, due, held;
	int64_t category;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];

		if (ev->type != EVT_HSB_IDENTIFIED)
			continue;
		day = ev->at.day;
		category = ev_num(ev, FLD_BROOK, -1);
		if ((brook = value_name(brooks, NITEMS(brooks), category)) ==
		    NULL)
			continue;
		rc |= points_bucket(out, day, 1, S_HSB_IDENTIFIED "%s", brook);
		if (category != BROOK_AMBER_RED && category != BROOK_RED)
			continue;
		due = calendar_add_working_days(
		    c->cal, day, HSB_INITIAL_MEETING_WD);
		if ((held = first_initial_meeting(c, day)) == DAY_NEVER) {
			rc |= points_interval(
			    out, day, due, S_HSB_JOURNEY_PENDING);
			continue;
		}
		rc |= points_bucket(out, day, 1, S_HSB_JOURNEY_DONE);
		if (held <= due)
			rc |= points_bucket(out, day, 1, S_HSB_JOURNEY_MET);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

int
facts_qa(const struct facts_ctx *c, struct points *out)
{
	int rc;

	if ((rc = alerts(c, out)) != 0 || (rc = hsb_meetings(c, out)) != 0)
		return rc;
	return hsb_journey(c, out);
}
