/*
 * proto/event.c: the tables (every type named and with a body, every enum
 * name mapping back to its value, no wire name twice in one type) and the
 * life of a struct event (reset, arena, copy, accessors, time format).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/err.h"
#include "proto/event.h"

static struct event ev1, ev2;

static void
test_type_names_round_trip(void **state)
{
	enum evt_type t;
	size_t i;

	(void)state;
	assert_int_equal(EVT__COUNT, 24);
	for (i = 0; i < EVT__COUNT; i++) {
		const char *name = event_type_name((enum evt_type)i);

		assert_non_null(name);
		assert_int_equal(
		    event_type_from_name(name, strlen(name), &t), 0);
		assert_int_equal(t, i);
	}
	assert_int_equal(
	    event_type_from_name("review.hold", 11, &t), IRK_ENOTFOUND);
	assert_int_equal(
	    event_type_from_name("Review.held", 11, &t), IRK_ENOTFOUND);
	/* A prefix of a name is not the name. */
	assert_int_equal(
	    event_type_from_name("review.held", 6, &t), IRK_ENOTFOUND);
	assert_false(event_type_needs_child(EVT_EVENT_RETRACTED));
	assert_true(event_type_needs_child(EVT_REVIEW_HELD));
}

/* Every row of every type's body is a real field, named once per type. */
static void
test_type_bodies(void **state)
{
	const struct type_field *tf;
	size_t i, k, m, n, total = 0;

	(void)state;
	for (i = 0; i < EVT__COUNT; i++) {
		tf = event_type_fields((enum evt_type)i, &n);
		assert_non_null(tf);
		for (k = 0; k < n; k++) {
			assert_true((unsigned)tf[k].field < FLD__COUNT);
			for (m = 0; m < k; m++)
				assert_string_not_equal(
				    event_field_name(tf[k].field),
				    event_field_name(tf[m].field));
			/* The envelope's names are not body names. */
			assert_string_not_equal(
			    event_field_name(tf[k].field), "id");
			assert_string_not_equal(
			    event_field_name(tf[k].field), "child");
		}
		total += n;
	}
	assert_true(total > 0);
	tf = event_type_fields(EVT_REVIEW_HELD, &n);
	assert_int_equal(n, 6);
	assert_int_equal(tf[0].field, FLD_IRO);
	assert_true(tf[2].required); /* sw_report_at: required, nullable */
	assert_false(tf[4].required);
	tf = event_type_fields(EVT_STRATEGY_HELD, &n);
	assert_int_equal(n, 0);
	tf = event_type_fields(EVT_CONFERENCE_STOOD_DOWN, &n);
	assert_int_equal(n, 3);
	assert_int_equal(tf[0].field, FLD_CONF_KIND);
	assert_int_equal(tf[1].field, FLD_STOOD_DOWN_REASON);
	assert_int_equal(tf[2].field, FLD_MEETING); /* ours, optional */
	assert_false(tf[2].required);
}

static void
test_enum_tables(void **state)
{
	const struct enum_value *v;
	int64_t x;
	size_t i, f, n;

	(void)state;
	for (f = 0; f < FLD__COUNT; f++) {
		v = event_enum_values((enum evt_field)f, &n);
		if (event_field_kind((enum evt_field)f) != FK_ENUM) {
			assert_null(v);
			continue;
		}
		assert_non_null(v);
		assert_true(n > 0);
		for (i = 0; i < n; i++) {
			assert_int_equal(
			    event_enum_from_name((enum evt_field)f, v[i].name,
				strlen(v[i].name), &x),
			    0);
			assert_int_equal(x, v[i].value);
			assert_string_equal(
			    event_enum_name((enum evt_field)f, v[i].value),
			    v[i].name);
		}
	}
	assert_int_equal(
	    event_enum_from_name(FLD_PARTICIPATION, "PN7", 3, &x), 0);
	assert_int_equal(x, 7);
	assert_int_equal(
	    event_enum_from_name(FLD_GENDER, "f", 1, &x), IRK_ENOTFOUND);
	assert_int_equal(
	    event_enum_from_name(FLD_BROOK_MEETING, "amber", 5, &x), 0);
	assert_int_equal(x, BROOK_AMBER);
	assert_int_equal(
	    event_enum_from_name(FLD_BROOK_MEETING, "green", 5, &x),
	    IRK_ENOTFOUND);
	assert_int_equal(
	    event_enum_from_name(FLD_HSB_KIND, "transfer_in", 11, &x),
	    IRK_ENOTFOUND);
	assert_int_equal(
	    event_enum_from_name(FLD_STOOD_DOWN_REASON, "other", 5, &x), 0);
	assert_int_equal(x, SDR_OTHER);
	v = event_enum_values(FLD_STOOD_DOWN_REASON, &n);
	assert_int_equal(n, SDR_OTHER + 1);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].value, i);
	assert_null(event_enum_name(FLD_GENDER, 9));
	assert_null(event_enum_name(FLD_IRO, 0));
}

static void
test_bounds(void **state)
{
	int64_t min, max;

	(void)state;
	event_field_bounds(FLD_STAGE, &min, &max);
	assert_int_equal(min, 2);
	assert_int_equal(max, 4);
	event_field_bounds(FLD_PREVIOUS_PLANS, &min, &max);
	assert_int_equal(min, 0);
	event_field_bounds(FLD_TARGET, &min, &max);
	assert_int_equal(max, IRK_ID_MAX);
	event_field_bounds(FLD_IRO, &min, &max);
	assert_int_equal(min, 1);
	assert_int_equal(max, IRK_STR_MAX);
}

static void
test_time_format(void **state)
{
	struct irk_time t = { 0 };
	char buf[EVENT_TIME_STRLEN];

	(void)state;
	t.day = date_from_ymd(2019, 4, 20);
	assert_int_equal(event_time_format(&t, buf), 10);
	assert_string_equal(buf, "2019-04-20");
	t.has_time = true;
	t.sec = 10 * 3600 + 5 * 60 + 9;
	assert_int_equal(event_time_format(&t, buf), 20);
	assert_string_equal(buf, "2019-04-20T10:05:09Z");
	t.tz_min = 60;
	event_time_format(&t, buf);
	assert_string_equal(buf, "2019-04-20T10:05:09+01:00");
	t.tz_min = -(5 * 60 + 30);
	event_time_format(&t, buf);
	assert_string_equal(buf, "2019-04-20T10:05:09-05:30");
}

static void
fill(struct event *ev)
{
	const char **strs;

	event_reset(ev);
	ev->type = EVT_CONFERENCE_HELD;
	ev->id = event_arena_str(ev, "e1", 2);
	ev->child = event_arena_str(ev, "C1", 2);
	ev->source = "literal"; /* outside the arena: kept as is */
	ev->f[FLD_IRO].present = true;
	ev->f[FLD_IRO].str = event_arena_str(ev, "IRO1", 4);
	strs = event_arena_strs(ev, 2);
	assert_non_null(strs);
	assert_int_equal((uintptr_t)strs % _Alignof(const char *), 0);
	strs[0] = event_arena_str(ev, "police", 6);
	strs[1] = event_arena_str(ev, "health", 6);
	ev->f[FLD_AGENCIES_INVITED].present = true;
	ev->f[FLD_AGENCIES_INVITED].strs = strs;
	ev->f[FLD_AGENCIES_INVITED].nstrs = 2;
	ev->f[FLD_OUTCOME].present = true;
	ev->f[FLD_OUTCOME].num = OUTCOME_CONTINUE;
	ev->f[FLD_REPORT_TO_PARENTS_AT].present = true;
	ev->f[FLD_REPORT_TO_PARENTS_AT].null = true;
	ev->f[FLD_REPORT_TO_PARENTS_AT].time.day = DAY_NONE;
	ev->f[FLD_REPORT_TO_CHAIR_AT].present = true;
	ev->f[FLD_REPORT_TO_CHAIR_AT].time.day = 18000;
}

static void
test_copy_repoints(void **state)
{
	(void)state;
	fill(&ev1);
	event_copy(&ev2, &ev1);
	/* Scribble over the source: the copy must not notice. */
	memset(ev1.arena, 'x', ev1.arena_used);
	assert_string_equal(ev2.id, "e1");
	assert_string_equal(ev2.child, "C1");
	assert_ptr_equal(ev2.source, ev1.source);
	assert_true(
	    ev2.id >= ev2.arena && ev2.id < ev2.arena + sizeof(ev2.arena));
	assert_string_equal(event_str(&ev2, FLD_IRO), "IRO1");
	assert_int_equal(ev2.f[FLD_AGENCIES_INVITED].nstrs, 2);
	assert_string_equal(ev2.f[FLD_AGENCIES_INVITED].strs[0], "police");
	assert_string_equal(ev2.f[FLD_AGENCIES_INVITED].strs[1], "health");
}

static void
test_accessors(void **state)
{
	(void)state;
	fill(&ev1);
	assert_string_equal(event_str(&ev1, FLD_IRO), "IRO1");
	assert_string_equal(event_str(&ev1, FLD_OUTCOME), "continue");
	assert_null(event_str(&ev1, FLD_MEETING));
	assert_int_equal(event_num(&ev1, FLD_OUTCOME, -1), OUTCOME_CONTINUE);
	assert_int_equal(event_num(&ev1, FLD_CHILD_ATTENDED, -1), -1);
	assert_int_equal(event_day(&ev1, FLD_REPORT_TO_PARENTS_AT), DAY_NONE);
	assert_false(event_has(&ev1, FLD_REPORT_TO_PARENTS_AT)); /* null */
	assert_int_equal(event_day(&ev1, FLD_REPORT_TO_CHAIR_AT), 18000);
	assert_true(event_has(&ev1, FLD_REPORT_TO_CHAIR_AT));
	assert_false(event_has(&ev1, FLD_ADVOCACY));
	event_reset(&ev1);
	assert_null(ev1.id);
	assert_int_equal(ev1.arena_used, 0);
	assert_int_equal(ev1.v, 1);
	assert_false(event_has(&ev1, FLD_IRO));
}

static void
test_arena_full(void **state)
{
	static char big[IRK_EVENT_MAX];
	size_t i;

	(void)state;
	event_reset(&ev1);
	memset(big, 'a', sizeof(big));
	assert_non_null(event_arena_str(&ev1, big, sizeof(big)));
	for (i = 0; i < 64; i++)
		(void)event_arena_str(&ev1, big, 16);
	assert_null(event_arena_str(&ev1, big, 256));
	assert_null(event_arena_strs(&ev1, 1000));
	assert_true(ev1.arena_used <= sizeof(ev1.arena));
}

static void
test_diag_set(void **state)
{
	struct irk_diag d;
	char longname[100];

	(void)state;
	assert_int_equal(diag_set(&d, "iro", "missing"), IRK_EINVAL);
	assert_string_equal(d.field, "iro");
	assert_string_equal(d.reason, "missing");
	memset(longname, 'k', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	diag_set(
	    &d, longname, "%s%s%s%s", longname, longname, longname, longname);
	assert_int_equal(strlen(d.field), sizeof(d.field) - 1);
	assert_int_equal(strlen(d.reason), sizeof(d.reason) - 1);
	assert_int_equal(diag_set(NULL, "x", "y"), IRK_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names_round_trip),
		cmocka_unit_test(test_type_bodies),
		cmocka_unit_test(test_enum_tables),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_copy_repoints),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_arena_full),
		cmocka_unit_test(test_diag_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
