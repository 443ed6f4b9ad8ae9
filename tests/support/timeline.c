/* Test helper: JSON lines -> one child's points.  See timeline.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/facts.h"
#include "proto/json.h"
#include "tests/support/timeline.h"

static int
cmp_events(const void *a, const void *b)
{
	return facts_event_cmp(
	    *(const struct event *const *)a, *(const struct event *const *)b);
}

void
derive_groups(struct points *out)
{
	struct points members = { 0 };
	size_t i, j;

	points_normalize(out); /* members now sorted by group */
	for (i = 0; i < out->n; i++)
		if (out->v[i].kind == PK_MEMBER)
			assert_int_equal(
			    points_member(&members, out->v[i].day, out->v[i].n,
				"%s", out->v[i].series),
			    0);
	for (i = 0; i < members.n; i = j) {
		for (j = i + 1; j < members.n && strcmp(members.v[j].series,
						     members.v[i].series) == 0;
		     j++)
			;
		assert_int_equal(facts_derive_group(members.v[i].series,
				     &members.v[i], j - i, out),
		    0);
	}
	points_normalize(out);
	points_free(&members);
}

void
derive_lines(const char *const *lines, size_t n, struct points *out)
{
	struct event **evs = calloc(n ? n : 1, sizeof(*evs));
	struct calendar *cal = NULL;
	struct timescale ts;
	struct irk_diag diag;
	size_t i;

	assert_non_null(evs);
	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);
	for (i = 0; i < n; i++) {
		evs[i] = malloc(sizeof(struct event));
		assert_non_null(evs[i]);
		if (json_decode_event(
			lines[i], strlen(lines[i]), evs[i], &diag) != 0)
			fail_msg(
			    "line %zu: %s: %s", i, diag.field, diag.reason);
	}
	qsort(evs, n, sizeof(evs[0]), cmp_events);
	assert_int_equal(facts_derive_child(&ts, cal,
			     (const struct event *const *)evs, n, out),
	    0);
	derive_groups(out);
	for (i = 0; i < n; i++)
		free(evs[i]);
	free(evs);
	calendar_free(&cal);
}

int64_t
points_sum(
    const struct points *ps, const char *series, int32_t from, int32_t to)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].kind == PK_BUCKET &&
		    strcmp(ps->v[i].series, series) == 0 &&
		    ps->v[i].day >= from && ps->v[i].day <= to)
			sum += ps->v[i].n;
	return sum;
}

int64_t
points_total(const struct points *ps, const char *series)
{
	return points_sum(ps, series, INT32_MIN, INT32_MAX);
}

int32_t
points_first_interval(
    const struct points *ps, const char *series, int32_t *until)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].kind == PK_INTERVAL &&
		    strcmp(ps->v[i].series, series) == 0) {
			*until = ps->v[i].until;
			return ps->v[i].day;
		}
	*until = DAY_NONE;
	return DAY_NONE;
}

int32_t
day_of(const char *s)
{
	int32_t d;

	if (date_parse(s, strlen(s), &d) != 0)
		fail_msg("bad date in test: %s", s);
	return d;
}
