/*
 * Timeline -> points: the driver.  It sorts out what every area needs (the
 * date of birth, the looked-after episodes, the child protection plans) once
 * per child, then lets each area of the catalogue emit its points.  The
 * statutory rules themselves live in the area files, each block naming the
 * KPI it implements.
 *
 * Only the event struct's layout is used from proto/ (no function of it), so
 * irk_domain still links nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts.h"
#include "domain/facts_impl.h"

int
facts_type_rank(enum evt_type t)
{
	switch (t) {
	case EVT_LAC_ENDED:
	case EVT_CP_PLAN_ENDED:
		return 0;
	case EVT_LAC_STARTED:
	case EVT_CP_PLAN_STARTED:
		return 1;
	case EVT_STRATEGY_HELD:
		return 2;
	case EVT_CHILD_REGISTERED:
		return 3;
	case EVT_IRO_ALLOCATED:
		return 4;
	default:
		return 5;
	}
}

int
facts_event_cmp(const struct event *a, const struct event *b)
{
	int ra, rb;

	if (a->at.day != b->at.day)
		return a->at.day < b->at.day ? -1 : 1;
	ra = facts_type_rank(a->type);
	rb = facts_type_rank(b->type);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a->id, b->id);
}

const struct episode *
episode_at(const struct episode *v, size_t n, int32_t day)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].start <= day && day < v[i].end)
			return &v[i];
	return NULL;
}

const char *
facts_age_band(int32_t dob, int32_t day)
{
	int age;

	if (dob == DAY_NONE)
		return "unknown";
	if (day < dob)
		return "unborn";
	age = date_age_years(dob, day);
	if (age < 1)
		return "under_1";
	if (age < 5)
		return "1_4";
	if (age < 10)
		return "5_9";
	if (age < 16)
		return "10_15";
	return "16_17";
}

static bool
is_short_breaks(const struct event *ev)
{
	const char *ls = ev_str(ev, FLD_LEGAL_STATUS);

	return ls != NULL && (strcmp(ls, "V3") == 0 || strcmp(ls, "V4") == 0);
}

/*
 * Episodes from start and end events (KPIS.md, "Episode").  *out is a new
 * array the caller frees, or NULL when there are none.
 */
static int
episodes(const struct event *const *ev, size_t n, enum evt_type start,
    enum evt_type end, struct episode **out, size_t *count)
{
	struct episode *v = NULL, *e;
	size_t i, k = 0, cap = 0;
	bool open = false;

	for (i = 0; i < n; i++) {
		if (ev[i]->type == start && !open) {
			if (k == cap) {
				cap = cap ? cap * 2 : 4;
				if ((e = realloc(v, cap * sizeof(*e))) ==
				    NULL) {
					free(v);
					return IRK_ENOMEM;
				}
				v = e;
			}
			e = &v[k++];
			e->start = ev[i]->at.day;
			e->end = DAY_NEVER;
			e->started = ev[i];
			e->ended = NULL;
			e->short_breaks = is_short_breaks(ev[i]);
			open = true;
		} else if (ev[i]->type == end && open) {
			v[k - 1].end = ev[i]->at.day;
			v[k - 1].ended = ev[i];
			open = false;
		}
	}
	*out = v;
	*count = k;
	return 0;
}

int
facts_derive_child(const struct timescale *ts, const struct calendar *cal,
    const struct event *const *ev, size_t n, struct points *out)
{
	struct facts_ctx c = {
		.ts = ts, .cal = cal, .ev = ev, .n = n, .dob = DAY_NONE
	};
	struct episode *lac = NULL, *cp = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if (ev[i]->type == EVT_CHILD_REGISTERED &&
		    ev[i]->f[FLD_DOB].present)
			c.dob = ev[i]->f[FLD_DOB].time.day;
	if ((rc = episodes(
		 ev, n, EVT_LAC_STARTED, EVT_LAC_ENDED, &lac, &c.nlac)) != 0 ||
	    (rc = episodes(ev, n, EVT_CP_PLAN_STARTED, EVT_CP_PLAN_ENDED, &cp,
		 &c.ncp)) != 0)
		goto done;
	c.lac = lac;
	c.cp = cp;
	if ((rc = facts_lac(&c, out)) != 0 || (rc = facts_cp(&c, out)) != 0 ||
	    (rc = facts_qa(&c, out)) != 0)
		goto done;
	rc = facts_iro(&c, out);
done:
	free(lac);
	free(cp);
	return rc;
}

int
facts_derive_group(const char *group, const struct point *members, size_t n,
    struct points *out)
{
	int rc;

	if (n == 0)
		return 0;
	if ((rc = facts_group_lac(group, members, n, out)) != 0)
		return rc;
	return facts_group_cp(group, members, n, out);
}
