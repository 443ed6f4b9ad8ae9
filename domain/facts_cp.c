/*
 * Child protection (KPIS.md, "Child protection (CP)"): the points of the
 * cp.* KPIs, one function per KPI, run in catalogue order by facts_cp().
 *
 * Plans are the child's cp_plan episodes.  A conference belongs to the plan
 * whose start..end holds its day, both days included, because the review
 * conference that ends a plan is held on the plan's last day (and
 * cp_plan.ended sorts before it); on a day that ends one plan and starts the
 * next it belongs to the plan that ends.  Review conferences are numbered
 * within their plan; one outside every plan counts in no KPI about plans
 * (timeliness, chairs, reviews per plan) but still in those about
 * conferences as such (reports, records, attendance, disruption).
 *
 * Plan lengths (9 and 18 months, the duration bands) are calendar months,
 * as the DfE counts them; only the review conference timescale follows
 * the configured month_mode (timescale_rcpc_due()).
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

/*
 * Member flags of a stood-down meeting (cp.conferences_disrupted): besides
 * MEMBER_SEEN, one bit per stood-down reason, so that the group sees every
 * child's reason.
 */
#define REASON_FLAG_SHIFT 8

static const char *const category_keys[] = { CP_CATEGORY_KEYS };
static const char *const outcome_keys[] = { CP_OUTCOME_KEYS };
static const char *const reason_keys[] = { CP_STOOD_DOWN_REASON_KEYS };
static const char *const gender_keys[] = { CP_GENDER_KEYS };

/* keys[v], or "unknown" for a value outside the table. */
static const char *
key_of(const char *const *keys, size_t n, int64_t v)
{
	return v >= 0 && (uint64_t)v < n ? keys[v] : "unknown";
}

static bool
is_conference(const struct event *ev, enum conf_kind kind)
{
	return ev->type == EVT_CONFERENCE_HELD &&
	       ev_num(ev, FLD_CONF_KIND, -1) == kind;
}

/* The plan a conference on day belongs to (see the top of the file). */
static const struct episode *
plan_of(const struct facts_ctx *c, int32_t day)
{
	size_t i;

	for (i = 0; i < c->ncp; i++)
		if (c->cp[i].start <= day && day <= c->cp[i].end)
			return &c->cp[i];
	return NULL;
}

static bool
is_review_in(
    const struct facts_ctx *c, const struct event *ev, const struct episode *p)
{
	return is_conference(ev, CONF_REVIEW) && plan_of(c, ev->at.day) == p;
}

/*
 * A running total of series prefix+key: +1 on from, -1 on until (never
 * while open).  Counted "on D" when from <= D < until.
 */
static int
span(struct points *out, int32_t from, int32_t until, const char *prefix,
    const char *key)
{
	int rc = 0;

	if (from >= until)
		return 0;
	rc |= points_bucket(out, from, 1, "%s%s", prefix, key);
	if (until != DAY_NEVER)
		rc |= points_bucket(out, until, -1, "%s%s", prefix, key);
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.icpc_timeliness: an initial conference is timely within icpc_wd
 * working days of the latest strategy discussion on or before it (the
 * timeline puts a strategy before a conference of the same day). */
static int
icpc_timeliness(const struct facts_ctx *c, struct points *out)
{
	int32_t strategy = DAY_NONE, day;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		day = c->ev[i]->at.day;
		if (c->ev[i]->type == EVT_STRATEGY_HELD)
			strategy = day;
		if (!is_conference(c->ev[i], CONF_INITIAL))
			continue;
		if (strategy == DAY_NONE) {
			rc |=
			    points_bucket(out, day, 1, S_CP_ICPC_NO_STRATEGY);
			continue;
		}
		rc |= points_bucket(out, day, 1, S_CP_ICPC);
		if (day <= calendar_add_working_days(
			       c->cal, strategy, c->ts->icpc_wd))
			rc |= points_bucket(out, day, 1, S_CP_ICPC_TIMELY);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.rcpc_timeliness, one plan: its review conferences in order, each
 * against its due date; an unmet due date is outstanding until the
 * conference is held or the plan ends (as lac.review_timeliness). */
static int
rcpc_plan(
    const struct facts_ctx *c, const struct episode *p, struct points *out)
{
	int32_t due = timescale_rcpc_due(c->ts, 1, p->start), day;
	const char *reason;
	size_t i;
	int number = 0, rc = 0;

	for (i = 0; i < c->n; i++) {
		if (!is_review_in(c, c->ev[i], p))
			continue;
		day = c->ev[i]->at.day;
		number++;
		rc |= points_bucket(out, day, 1, S_CP_RCPC);
		if (day <= due)
			rc |= points_bucket(out, day, 1, S_CP_RCPC_TIMELY);
		else {
			reason = ev_str(c->ev[i], FLD_LATE_REASON);
			rc |= points_interval(out, due, day, S_CP_RCPC_DUE);
			rc |= points_bucket(out, day, 1,
			    S_CP_RCPC_LATE_BY_NUMBER "%s",
			    number == 1 ? "first" : "later");
			rc |= points_bucket(out, day, 1,
			    S_CP_RCPC_LATE_BY_REASON "%s",
			    reason != NULL ? reason : "unknown");
		}
		due = timescale_rcpc_due(c->ts, number + 1, day);
	}
	/* The next due date: outstanding from it until the plan ends,
	 * which closes it without meeting it. */
	if (p->end > due) {
		rc |= points_interval(out, due, p->end, S_CP_RCPC_DUE);
		if (p->end != DAY_NEVER)
			rc |= points_bucket(out, p->end, 1, S_CP_RCPC_LAPSED);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

static int
rcpc_timeliness(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < c->ncp; i++)
		if ((rc = rcpc_plan(c, &c->cp[i], out)) != 0)
			return rc;
	return 0;
}

/* cp.icpc_no_plan: every child at an initial conference, by outcome. */
static int
icpc_no_plan(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++)
		if (is_conference(c->ev[i], CONF_INITIAL))
			rc |= points_bucket(out, c->ev[i]->at.day, 1,
			    S_CP_ICPC_OUTCOME "%s",
			    key_of(outcome_keys, NITEMS(outcome_keys),
				ev_num(c->ev[i], FLD_OUTCOME, -1)));
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.report_to_parents: initial and review conferences (not transfer-in
 * ones); in time on or before the parents_report_*_wd-th working day
 * before; and when the report came: before the day, on it, or none (null
 * or after the conference). */
static int
report_to_parents(const struct facts_ctx *c, struct points *out)
{
	const char *kind, *received;
	int32_t day, report, deadline;
	size_t i;
	int rc = 0, wd;

	for (i = 0; i < c->n; i++) {
		if (is_conference(c->ev[i], CONF_INITIAL)) {
			kind = "initial";
			wd = c->ts->parents_report_icpc_wd;
		} else if (is_conference(c->ev[i], CONF_REVIEW)) {
			kind = "review";
			wd = c->ts->parents_report_rcpc_wd;
		} else
			continue;
		day = c->ev[i]->at.day;
		report = ev_day(c->ev[i], FLD_REPORT_TO_PARENTS_AT);
		deadline = calendar_add_working_days(c->cal, day, -wd);
		if (report == DAY_NONE || report > day)
			received = "none";
		else
			received = report < day ? "before" : "on_the_day";
		rc |= points_bucket(
		    out, day, 1, S_CP_REPORT_CONFERENCES "%s", kind);
		if (report != DAY_NONE && report <= deadline)
			rc |= points_bucket(
			    out, day, 1, S_CP_REPORT_TIMELY "%s", kind);
		rc |= points_bucket(
		    out, day, 1, S_CP_REPORT_RECEIVED "%s", received);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.repeat_plans: a plan is a repeat when an earlier plan is in the log or
 * the case system counts previous plans; broken down by the time since the
 * previous plan ended and by age at the start. */
static int
repeat_plans(const struct facts_ctx *c, struct points *out)
{
	const char *since;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		const struct episode *p = &c->cp[i];
		int32_t day = p->start, prev_end;
		bool repeat =
		    i > 0 || ev_num(p->started, FLD_PREVIOUS_PLANS, 0) > 0;

		rc |= points_bucket(out, day, 1, S_CP_PLANS);
		if (!repeat)
			continue;
		prev_end = i > 0 ? c->cp[i - 1].end : DAY_NONE;
		if (prev_end == DAY_NONE || prev_end == DAY_NEVER)
			since = "unknown";
		else if (day < date_add_months(prev_end, 6))
			since = "under_6m";
		else if (day < date_add_months(prev_end, 12))
			since = "6_12m";
		else if (day < date_add_months(prev_end, 24))
			since = "1_2y";
		else
			since = "over_2y";
		rc |= points_bucket(out, day, 1, S_CP_REPEAT);
		rc |=
		    points_bucket(out, day, 1, S_CP_REPEAT_SINCE "%s", since);
		rc |= points_bucket(out, day, 1, S_CP_REPEAT_AGE "%s",
		    facts_age_band(c->dob, day));
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* The nth birthday: the first day date_age_years() gives n (1 March in a
 * common year for a child born on 29 February). */
static int32_t
birthday(int32_t dob, int n)
{
	int32_t day = date_add_months(dob, 12 * n);

	return date_age_years(dob, day) < n ? day + 1 : day;
}

/* The plan's days cut where facts_age_band() changes (birth and the 1st,
 * 5th, 10th and 16th birthdays), each piece a running total of its band. */
static int
age_bands(
    const struct facts_ctx *c, const struct episode *p, struct points *out)
{
	int32_t edge[6], from = p->start, to;
	size_t k;
	int rc;

	if (c->dob == DAY_NONE)
		return span(out, p->start, p->end, S_CP_OPEN_AGE, "unknown");
	edge[0] = c->dob;
	edge[1] = birthday(c->dob, 1);
	edge[2] = birthday(c->dob, 5);
	edge[3] = birthday(c->dob, 10);
	edge[4] = birthday(c->dob, 16);
	edge[5] = DAY_NEVER;
	for (k = 0; k < NITEMS(edge) && from < p->end; k++) {
		if (edge[k] <= from)
			continue;
		to = edge[k] < p->end ? edge[k] : p->end;
		if ((rc = span(out, from, to, S_CP_OPEN_AGE,
			 facts_age_band(c->dob, from))) != 0)
			return rc;
		from = to;
	}
	return 0;
}

/* The latest child.registered gender, "unknown" without one. */
static const char *
gender_of(const struct facts_ctx *c)
{
	const char *gender = "unknown";
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->type == EVT_CHILD_REGISTERED)
			gender = key_of(gender_keys, NITEMS(gender_keys) - 1,
			    ev_num(c->ev[i], FLD_GENDER, -1));
	return gender;
}

/* cp.plans_open: open from start to end, by age band on the day, gender
 * and the category the plan started with. */
static int
plans_open(const struct facts_ctx *c, struct points *out)
{
	const char *gender = gender_of(c), *category;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		const struct episode *p = &c->cp[i];

		category = key_of(category_keys, NITEMS(category_keys),
		    ev_num(p->started, FLD_CATEGORY, -1));
		rc |= span(out, p->start, p->end, S_CP_OPEN, "");
		rc |= age_bands(c, p, out);
		rc |= span(out, p->start, p->end, S_CP_OPEN_GENDER, gender);
		rc |=
		    span(out, p->start, p->end, S_CP_OPEN_CATEGORY, category);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* The deadline of plan p reaching `months` (breaches only; no KPI reads
 * it): due on that day if the plan is still open then. */
static int
plan_reaching(const struct episode *p, int months, const char *due,
    const char *lapsed, struct points *out)
{
	int32_t day = date_add_months(p->start, months);
	int rc = 0;

	if (p->end <= day)
		return 0;
	rc |= points_interval(out, day, p->end, "%s", due);
	if (p->end != DAY_NEVER)
		rc |= points_bucket(out, p->end, 1, "%s", lapsed);
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.plans_over_18m: open on D and started more than 18 months before D,
 * so from the day after start + 18 months. */
static int
plans_over_18m(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < c->ncp; i++)
		if ((rc = span(out, date_add_months(c->cp[i].start, 18) + 1,
			 c->cp[i].end, S_CP_OVER_18M, "")) != 0 ||
		    (rc = plan_reaching(&c->cp[i], 18, S_CP_PLAN_18M_DUE,
			 S_CP_PLAN_18M_LAPSED, out)) != 0)
			return rc;
	return 0;
}

/* cp.plans_at_9m: open on D and run 9 months or more, so from start + 9
 * months. */
static int
plans_at_9m(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < c->ncp; i++)
		if ((rc = span(out, date_add_months(c->cp[i].start, 9),
			 c->cp[i].end, S_CP_AT_9M, "")) != 0 ||
		    (rc = plan_reaching(&c->cp[i], 9, S_CP_PLAN_9M_DUE,
			 S_CP_PLAN_9M_LAPSED, out)) != 0)
			return rc;
	return 0;
}

/* cp.plan_duration: ended plans by the DfE's bands, on the end day; the
 * first two bands include their last day, the others do not (KPIS.md). */
static int
plan_duration(const struct facts_ctx *c, struct points *out)
{
	const char *band;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		int32_t start = c->cp[i].start, end = c->cp[i].end;

		if (end == DAY_NEVER)
			continue;
		if (end <= date_add_months(start, 3))
			band = "up_to_3m";
		else if (end <= date_add_months(start, 6))
			band = "3_6m";
		else if (end < date_add_months(start, 12))
			band = "6_12m";
		else if (end < date_add_months(start, 24))
			band = "1_2y";
		else
			band = "2y_plus";
		rc |= points_bucket(out, end, 1, S_CP_DURATION "%s", band);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.ended_at_first_review: ended plans, and those with at most one review
 * conference from start to end, both days included. */
static int
ended_at_first_review(const struct facts_ctx *c, struct points *out)
{
	size_t i, j, reviews;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		const struct episode *p = &c->cp[i];

		if (p->end == DAY_NEVER)
			continue;
		for (j = reviews = 0; j < c->n; j++)
			if (is_review_in(c, c->ev[j], p))
				reviews++;
		rc |= points_bucket(out, p->end, 1, S_CP_ENDED);
		if (reviews <= 1)
			rc |= points_bucket(out, p->end, 1,
			    S_CP_ENDED_BY_REVIEWS "%s",
			    reviews == 0 ? "none" : "one");
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.categories: plans started, by category, on the start day. */
static int
categories(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < c->ncp; i++)
		rc |= points_bucket(out, c->cp[i].start, 1, S_CP_CATEGORY "%s",
		    key_of(category_keys, NITEMS(category_keys),
			ev_num(c->cp[i].started, FLD_CATEGORY, -1)));
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.conferences_disrupted: children and meetings, held and stood down; a
 * conference with `meeting` makes the child a member of the meeting, which
 * facts_group_cp() counts once; one without is a meeting of its own. */
static int
conferences_disrupted(const struct facts_ctx *c, struct points *out)
{
	const char *meeting, *reason;
	int64_t r;
	int32_t day;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		const struct event *ev = c->ev[i];

		day = ev->at.day;
		meeting = ev_str(ev, FLD_MEETING);
		if (ev->type == EVT_CONFERENCE_HELD) {
			rc |= points_bucket(out, day, 1, S_CP_CHILDREN_HELD);
			if (meeting != NULL)
				rc |= points_member(out, day, MEMBER_SEEN,
				    G_CP_HELD_MEETING "%s", meeting);
			else
				rc |= points_bucket(
				    out, day, 1, S_CP_MEETINGS_HELD);
		} else if (ev->type == EVT_CONFERENCE_STOOD_DOWN) {
			r = ev_num(ev, FLD_STOOD_DOWN_REASON, -1);
			if (r < 0 || (size_t)r >= NITEMS(reason_keys))
				r = SDR_UNKNOWN;
			rc |= points_bucket(
			    out, day, 1, S_CP_CHILDREN_STOOD_DOWN);
			if (meeting != NULL) {
				rc |= points_member(out, day,
				    MEMBER_SEEN |
					((int64_t)1
					    << (REASON_FLAG_SHIFT + r)),
				    G_CP_STOOD_DOWN_MEETING "%s", meeting);
				continue;
			}
			reason = reason_keys[r];
			rc |= points_bucket(
			    out, day, 1, S_CP_MEETINGS_STOOD_DOWN);
			rc |= points_bucket(
			    out, day, 1, S_CP_STOOD_DOWN_REASON "%s", reason);
		}
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.record_distribution: each conference against the earliest record
 * distributed for its day, within conference_record_wd working days. */
static int
record_distribution(const struct facts_ctx *c, struct points *out)
{
	int32_t day, deadline, sent;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		if (c->ev[i]->type != EVT_CONFERENCE_HELD)
			continue;
		day = c->ev[i]->at.day;
		deadline = calendar_add_working_days(
		    c->cal, day, c->ts->conference_record_wd);
		sent = DAY_NONE;
		for (j = 0; j < c->n && sent == DAY_NONE; j++)
			if (c->ev[j]->type ==
				EVT_CONFERENCE_RECORD_DISTRIBUTED &&
			    ev_day(c->ev[j], FLD_CONFERENCE_AT) == day)
				sent = c->ev[j]->at.day;
		if (sent == DAY_NONE) {
			rc |= points_interval(
			    out, day, deadline, S_CP_RECORD_PENDING);
			continue;
		}
		rc |= points_bucket(out, day, 1, S_CP_RECORD_DONE);
		if (sent <= deadline)
			rc |= points_bucket(out, day, 1, S_CP_RECORD_MET);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.plan_shared_5wd: each plan against the earliest cp_plan.shared on or
 * after its start (and before the next plan's start, whose it would be),
 * within plan_shared_wd working days. */
static int
plan_shared(const struct facts_ctx *c, struct points *out)
{
	int32_t start, limit, deadline, shared, day;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		start = c->cp[i].start;
		limit = i + 1 < c->ncp ? c->cp[i + 1].start : DAY_NEVER;
		deadline = calendar_add_working_days(
		    c->cal, start, c->ts->plan_shared_wd);
		shared = DAY_NONE;
		for (j = 0; j < c->n && shared == DAY_NONE; j++) {
			day = c->ev[j]->at.day;
			if (c->ev[j]->type == EVT_CP_PLAN_SHARED &&
			    day >= start && day < limit)
				shared = day;
		}
		if (shared == DAY_NONE) {
			rc |= points_interval(
			    out, start, deadline, S_CP_SHARED_PENDING);
			continue;
		}
		rc |= points_bucket(out, start, 1, S_CP_SHARED_DONE);
		if (shared <= deadline)
			rc |= points_bucket(out, start, 1, S_CP_SHARED_MET);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* The conference that started plan p: the first initial or transfer-in
 * conference on its start day, or NULL. */
static const struct event *
starting_conference(const struct facts_ctx *c, const struct episode *p)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ev[i]->at.day == p->start &&
		    (is_conference(c->ev[i], CONF_INITIAL) ||
			is_conference(c->ev[i], CONF_TRANSFER_IN)))
			return c->ev[i];
	return NULL;
}

/* cp.chair_consistency: review conferences chaired by the IRO who chaired
 * the conference that started their plan. */
static int
chair_consistency(const struct facts_ctx *c, struct points *out)
{
	const struct event *first;
	const char *chair, *iro;
	int32_t day;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		first = starting_conference(c, &c->cp[i]);
		chair = first != NULL ? ev_str(first, FLD_IRO) : NULL;
		for (j = 0; j < c->n; j++) {
			if (!is_review_in(c, c->ev[j], &c->cp[i]))
				continue;
			day = c->ev[j]->at.day;
			if (first == NULL) {
				rc |= points_bucket(
				    out, day, 1, S_CP_CHAIR_NO_START);
				continue;
			}
			iro = ev_str(c->ev[j], FLD_IRO);
			rc |= points_bucket(out, day, 1, S_CP_CHAIR_REVIEWS);
			if (chair != NULL && iro != NULL &&
			    strcmp(chair, iro) == 0)
				rc |= points_bucket(
				    out, day, 1, S_CP_CHAIR_SAME);
		}
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* True when the string array v holds s among its first n items. */
static bool
strs_has(const struct event_value *v, size_t n, const char *s)
{
	size_t i;

	if (!v->present)
		return false;
	for (i = 0; i < n && i < v->nstrs; i++)
		if (strcmp(v->strs[i], s) == 0)
			return true;
	return false;
}

/* One agency at one conference: invited, and attended or not. */
static int
agency(struct points *out, int32_t day, const char *code, bool attended)
{
	int rc = 0;

	rc |= points_bucket(out, day, 1, S_CP_AGENCY_INVITATIONS);
	rc |= points_bucket(out, day, 1, S_CP_AGENCY_INVITED "%s", code);
	if (attended) {
		rc |= points_bucket(out, day, 1, S_CP_AGENCY_ATTENDANCES);
		rc |= points_bucket(
		    out, day, 1, S_CP_AGENCY_ATTENDED "%s", code);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.agency_attendance: every agency invited to or attending a conference,
 * once each; one that came uninvited counts as invited. */
static int
agency_attendance(const struct facts_ctx *c, struct points *out)
{
	const struct event_value *inv, *att;
	int32_t day;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		if (c->ev[i]->type != EVT_CONFERENCE_HELD)
			continue;
		day = c->ev[i]->at.day;
		inv = &c->ev[i]->f[FLD_AGENCIES_INVITED];
		att = &c->ev[i]->f[FLD_AGENCIES_ATTENDED];
		for (k = 0; inv->present && k < inv->nstrs; k++)
			if (!strs_has(inv, k, inv->strs[k]))
				rc |= agency(out, day, inv->strs[k],
				    strs_has(att, att->nstrs, inv->strs[k]));
		for (k = 0; att->present && k < att->nstrs; k++)
			if (!strs_has(inv, inv->nstrs, att->strs[k]) &&
			    !strs_has(att, k, att->strs[k]))
				rc |= agency(out, day, att->strs[k], true);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* cp.child_voice: conferences, those the child attended, those with
 * advocacy. */
static int
child_voice(const struct facts_ctx *c, struct points *out)
{
	int32_t day;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		if (c->ev[i]->type != EVT_CONFERENCE_HELD)
			continue;
		day = c->ev[i]->at.day;
		rc |= points_bucket(out, day, 1, S_CP_VOICE_CONFERENCES);
		if (ev_num(c->ev[i], FLD_CHILD_ATTENDED, 0))
			rc |= points_bucket(out, day, 1, S_CP_VOICE_ATTENDED);
		if (ev_num(c->ev[i], FLD_ADVOCACY, 0))
			rc |= points_bucket(out, day, 1, S_CP_VOICE_ADVOCACY);
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* KPIS.md order. */
static int (*const cp_facts[])(const struct facts_ctx *, struct points *) = {
	icpc_timeliness,
	rcpc_timeliness,
	icpc_no_plan,
	report_to_parents,
	repeat_plans,
	plans_open,
	plans_over_18m,
	plans_at_9m,
	plan_duration,
	ended_at_first_review,
	categories,
	conferences_disrupted,
	record_distribution,
	plan_shared,
	chair_consistency,
	agency_attendance,
	child_voice,
};

int
facts_cp(const struct facts_ctx *c, struct points *out)
{
	size_t i;
	int rc;

	for (i = 0; i < NITEMS(cp_facts); i++)
		if ((rc = cp_facts[i](c, out)) != 0)
			return rc;
	return 0;
}

/* cp.conferences_disrupted counts a meeting of siblings once, on its
 * earliest day; a stood-down one under the first reason (in EVENTS.md
 * order) any of its children gives. */
int
facts_group_cp(const char *group, const struct point *members, size_t n,
    struct points *out)
{
	int32_t day = DAY_NEVER;
	int64_t flags = 0;
	size_t i, r;
	int rc = 0;
	bool stood_down;

	if (strncmp(group, G_CP_STOOD_DOWN_MEETING,
		strlen(G_CP_STOOD_DOWN_MEETING)) == 0)
		stood_down = true;
	else if (strncmp(
		     group, G_CP_HELD_MEETING, strlen(G_CP_HELD_MEETING)) == 0)
		stood_down = false;
	else
		return 0;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (members[i].day < day)
			day = members[i].day;
		flags |= members[i].n;
	}
	if (!stood_down)
		return points_bucket(out, day, 1, S_CP_MEETINGS_HELD);
	for (r = 0; r < NITEMS(reason_keys); r++)
		if (flags & ((int64_t)1 << (REASON_FLAG_SHIFT + r)))
			break;
	if (r == NITEMS(reason_keys))
		r = SDR_UNKNOWN; /* no member said why */
	rc |= points_bucket(out, day, 1, S_CP_MEETINGS_STOOD_DOWN);
	rc |= points_bucket(
	    out, day, 1, S_CP_STOOD_DOWN_REASON "%s", reason_keys[r]);
	return rc != 0 ? IRK_ENOMEM : 0;
}
