/*
 * The event rules (proto/validate.c), driven by data: every line of
 * tests/data/events/rejects.jsonl is one bad event with the field and
 * reason it must get and the id the ack must still name (curl-style: add a
 * case by adding a line).  What JSON cannot say (bin, bad UTF-8, duplicate
 * or non-string keys, huge integers) is built as msgpack here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>

#include "domain/err.h"
#include "proto/codec.h"
#include "proto/json.h"
#include "proto/validate.h"

static struct event ev;

/* tests/data/events/NAME: $IRK_TEST_DATA, else found from this file. */
static FILE *
open_fixture(const char *name)
{
	const char *dir = getenv("IRK_TEST_DATA"), *unit;
	char path[1024];

	if (dir != NULL)
		snprintf(path, sizeof(path), "%s/events/%s", dir, name);
	else if ((unit = strstr(__FILE__, "unit/test_validate.c")) != NULL)
		snprintf(path, sizeof(path), "%.*sdata/events/%s",
		    (int)(unit - __FILE__), __FILE__, name);
	else
		snprintf(path, sizeof(path), "tests/data/events/%s", name);
	return fopen(path, "r");
}

/* The child of a JSON line, if it has a string one, for the leak check. */
static const char *
child_of(json_t *line)
{
	json_t *ev_json, *c;
	const char *text = json_string_value(json_object_get(line, "event"));
	static char buf[128];

	buf[0] = '\0';
	ev_json = json_loads(text, JSON_DECODE_ANY, NULL);
	if (ev_json != NULL && json_is_object(ev_json) &&
	    (c = json_object_get(ev_json, "child")) != NULL &&
	    json_is_string(c) && json_string_length(c) < sizeof(buf))
		snprintf(buf, sizeof(buf), "%s", json_string_value(c));
	json_decref(ev_json);
	return buf[0] != '\0' ? buf : NULL;
}

static void
test_rejects_fixture(void **state)
{
	struct irk_diag d;
	json_error_t err;
	json_t *line, *id;
	const char *name, *text, *field, *reason, *prefix, *child;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *f;
	int rc;

	(void)state;
	f = open_fixture("rejects.jsonl");
	assert_non_null(f);
	while (getline(&buf, &cap, f) > 0) {
		line = json_loads(buf, 0, &err);
		assert_non_null(line);
		name = json_string_value(json_object_get(line, "name"));
		text = json_string_value(json_object_get(line, "event"));
		field = json_string_value(json_object_get(line, "field"));
		reason = json_string_value(json_object_get(line, "reason"));
		prefix =
		    json_string_value(json_object_get(line, "reason_prefix"));
		id = json_object_get(line, "id");
		memset(&d, 0, sizeof(d));
		rc = json_decode_event(text, strlen(text), &ev, &d);
		print_message("%s: %s: %s\n", name, d.field, d.reason);
		assert_int_not_equal(rc, 0);
		assert_string_equal(d.field, field);
		if (reason != NULL)
			assert_string_equal(d.reason, reason);
		else
			assert_memory_equal(d.reason, prefix, strlen(prefix));
		if (json_is_string(id)) {
			assert_non_null(ev.id);
			assert_string_equal(ev.id, json_string_value(id));
		} else
			assert_null(ev.id);
		if ((child = child_of(line)) != NULL) {
			assert_null(strstr(d.reason, child));
			assert_null(strstr(d.field, child));
		}
		json_decref(line);
		n++;
	}
	free(buf);
	fclose(f);
	assert_true(n >= 80);
}

static int
decode_json(const char *text, struct irk_diag *d)
{
	memset(d, 0, sizeof(*d));
	return json_decode_event(text, strlen(text), &ev, d);
}

static void
test_retraction_without_child(void **state)
{
	struct irk_diag d;

	(void)state;
	assert_int_equal(
	    decode_json(
		"{\"id\": \"x1\", \"type\": "
		"\"event.retracted\", \"at\": \"2019-09-11\", \"target\": "
		"\"v-13\"}",
		&d),
	    0);
	assert_int_equal(ev.type, EVT_EVENT_RETRACTED);
	assert_null(ev.child);
	assert_string_equal(event_str(&ev, FLD_TARGET), "v-13");
}

static void
test_nulls_where_allowed(void **state)
{
	struct irk_diag d;

	(void)state;
	assert_int_equal(
	    decode_json(
		"{\"id\": \"n1\", \"type\": "
		"\"conference.held\", \"at\": \"2019-06-20\", \"child\": "
		"\"C1\", "
		"\"kind\": \"review\", \"iro\": \"I\", \"outcome\": \"end\", "
		"\"report_to_parents_at\": null, \"report_to_chair_at\": "
		"null}",
		&d),
	    0);
	assert_true(ev.f[FLD_REPORT_TO_PARENTS_AT].present);
	assert_true(ev.f[FLD_REPORT_TO_PARENTS_AT].null);
	assert_int_equal(event_day(&ev, FLD_REPORT_TO_PARENTS_AT), DAY_NONE);
	assert_true(ev.f[FLD_REPORT_TO_CHAIR_AT].null);
	/* A null where none is allowed, optional field or not. */
	assert_int_equal(decode_json("{\"id\": \"n2\", \"type\": "
				     "\"cp_plan.ended\", \"at\": "
				     "\"2020-02-01\", \"child\": \"C1\", "
				     "\"reason\": null}",
			     &d),
	    IRK_EINVAL);
	assert_string_equal(d.field, "reason");
	assert_string_equal(d.reason, "must be a string, got null");
	assert_string_equal(ev.id, "n2");
}

static void
test_values_kept(void **state)
{
	struct irk_diag d;

	(void)state;
	assert_int_equal(
	    decode_json(
		"{\"id\": \"k1\", \"type\": "
		"\"review.held\", \"at\": \"2019-04-20T23:30:00-02:00\", "
		"\"child\": \"C9\", \"iro\": \"IRO7\", \"participation\": "
		"\"PN5\", "
		"\"sw_report_at\": \"2019-04-15\", \"permanence_plan\": true, "
		"\"v\": 1, \"source\": \"bridge\"}",
		&d),
	    0);
	assert_string_equal(ev.id, "k1");
	assert_string_equal(ev.child, "C9");
	assert_string_equal(ev.source, "bridge");
	assert_int_equal(ev.v, 1);
	/* The business date is the date as written, not converted to UTC. */
	assert_int_equal(ev.at.day, date_from_ymd(2019, 4, 20));
	assert_true(ev.at.has_time);
	assert_int_equal(ev.at.sec, 23 * 3600 + 30 * 60);
	assert_int_equal(ev.at.tz_min, -120);
	assert_int_equal(event_num(&ev, FLD_PARTICIPATION, -1), 5);
	assert_int_equal(event_num(&ev, FLD_PERMANENCE_PLAN, -1), 1);
	assert_int_equal(
	    event_day(&ev, FLD_SW_REPORT_AT), date_from_ymd(2019, 4, 15));
	assert_false(event_has(&ev, FLD_MEETING));

	assert_int_equal(
	    decode_json("{\"id\": \"k2\", \"type\": "
			"\"child.registered\", \"at\": \"2019-04-01\", "
			"\"child\": \"C9\", "
			"\"dob\": \"2012-03\", \"gender\": \"M\"}",
		&d),
	    0);
	assert_int_equal(event_day(&ev, FLD_DOB), date_from_ymd(2012, 3, 1));
	assert_int_equal(ev.f[FLD_DOB].num, EVENT_DOB_MONTH);
	assert_int_equal(event_num(&ev, FLD_GENDER, -1), GENDER_M);
}

/* A msgpack event built field by field: what JSON cannot express. */
struct mp {
	msgpack_sbuffer sb;
	msgpack_packer pk;
};

static void
mp_begin(struct mp *m, size_t n)
{
	msgpack_sbuffer_init(&m->sb);
	msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
	msgpack_pack_map(&m->pk, n);
}

static void
mp_str(struct mp *m, const char *s)
{
	msgpack_pack_str_with_body(&m->pk, s, strlen(s));
}

static void
mp_kv(struct mp *m, const char *k, const char *v)
{
	mp_str(m, k);
	mp_str(m, v);
}

/* The review.held envelope and body, less the last `less` body pairs. */
static void
mp_review(struct mp *m, size_t extra, const char *id)
{
	mp_begin(m, 8 + extra);
	mp_kv(m, "id", id);
	mp_kv(m, "type", "review.held");
	mp_kv(m, "at", "2019-04-20");
	mp_kv(m, "child", "C100");
	mp_kv(m, "iro", "IRO7");
	mp_kv(m, "participation", "PN1");
	mp_kv(m, "sw_report_at", "2019-04-15");
	mp_str(m, "permanence_plan");
	msgpack_pack_true(&m->pk);
}

static int
mp_decode(struct mp *m, struct irk_diag *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	rc = codec_decode_event(m->sb.data, m->sb.size, &ev, d);
	msgpack_sbuffer_destroy(&m->sb);
	return rc;
}

static void
test_msgpack_only_rejects(void **state)
{
	struct irk_diag d;
	struct mp m;

	(void)state;
	mp_review(&m, 0, "m1");
	assert_int_equal(mp_decode(&m, &d), 0);

	/* Duplicate keys, in the envelope and the body. */
	mp_review(&m, 1, "m2");
	mp_kv(&m, "iro", "IRO8");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "iro");
	assert_string_equal(d.reason, "duplicate key");
	assert_string_equal(ev.id, "m2");

	mp_review(&m, 1, "m3");
	mp_kv(&m, "id", "m3");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "id");
	assert_string_equal(d.reason, "duplicate key");
	assert_null(ev.id);

	/* Bin where a string belongs. */
	mp_review(&m, 1, "m4");
	mp_str(&m, "meeting");
	msgpack_pack_bin_with_body(&m.pk, "M1", 2);
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "meeting");
	assert_string_equal(d.reason, "must be a string, got binary");

	/* Bytes that are not UTF-8, in a field and in the id. */
	mp_review(&m, 1, "m5");
	mp_kv(&m, "late_reason", "caf\xe9");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "late_reason");
	assert_string_equal(d.reason, "is not valid UTF-8");
	assert_string_equal(ev.id, "m5");

	mp_review(&m, 0, "m6\xc0\xaf");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "id");
	assert_string_equal(d.reason, "is not valid UTF-8");
	assert_null(ev.id);

	/* A non-string key stops at the structure check. */
	mp_review(&m, 1, "m7");
	msgpack_pack_int(&m.pk, 7);
	mp_str(&m, "x");
	assert_int_equal(mp_decode(&m, &d), IRK_EPROTO);
	assert_string_equal(d.field, "(event)");
	assert_non_null(strstr(d.reason, "not a string"));

	/* An unknown key that is not text is quoted safely. */
	mp_review(&m, 1, "m8");
	mp_kv(&m,
	    "\x01\xff"
	    "abc",
	    "x");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "??abc");
	assert_string_equal(d.reason, "unknown field for review.held");

	/* A key longer than the diag's field is cut, visibly. */
	mp_review(&m, 1, "m9");
	mp_kv(&m, "a_very_long_unknown_field_name_indeed", "x");
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "a_very_long_unknown_field_na...");
}

static void
test_integers(void **state)
{
	struct irk_diag d;
	struct mp m;

	(void)state;
	mp_begin(&m, 6);
	mp_kv(&m, "id", "i1");
	mp_kv(&m, "type", "cp_plan.started");
	mp_kv(&m, "at", "2019-06-20");
	mp_kv(&m, "child", "C1");
	mp_kv(&m, "category", "physical");
	mp_str(&m, "previous_plans");
	msgpack_pack_uint64(&m.pk, UINT64_MAX);
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "previous_plans");
	assert_string_equal(d.reason, "out of range: 18446744073709551615");

	mp_begin(&m, 6);
	mp_kv(&m, "id", "i2");
	mp_kv(&m, "type", "cp_plan.started");
	mp_kv(&m, "at", "2019-06-20");
	mp_kv(&m, "child", "C1");
	mp_kv(&m, "category", "physical");
	mp_str(&m, "previous_plans");
	msgpack_pack_fix_uint64(&m.pk, 3); /* any width of integer will do */
	assert_int_equal(mp_decode(&m, &d), 0);
	assert_int_equal(event_num(&ev, FLD_PREVIOUS_PLANS, -1), 3);

	mp_begin(&m, 6);
	mp_kv(&m, "id", "i3");
	mp_kv(&m, "type", "qa_alert.escalated");
	mp_kv(&m, "at", "2019-06-20");
	mp_kv(&m, "child", "C1");
	mp_kv(&m, "alert", "A");
	mp_str(&m, "stage");
	msgpack_pack_float(&m.pk, 3.0f);
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "stage");
	assert_string_equal(d.reason, "must be an integer, got float");

	mp_review(&m, 1, "i4");
	mp_str(&m, "v");
	msgpack_pack_int64(&m.pk, -3);
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "v");
	assert_string_equal(d.reason, "unsupported version -3");

	mp_review(&m, 1, "i5");
	mp_str(&m, "v");
	msgpack_pack_fix_int8(&m.pk, 1);
	assert_int_equal(mp_decode(&m, &d), 0);
}

static void
test_too_many_fields(void **state)
{
	struct irk_diag d;
	struct mp m;
	char key[16];
	int i;

	(void)state;
	mp_review(&m, VALIDATE_PAIRS_MAX - 8 + 1, "t1");
	for (i = 0; i < VALIDATE_PAIRS_MAX - 8 + 1; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		mp_kv(&m, key, "x");
	}
	assert_int_equal(mp_decode(&m, &d), IRK_EINVAL);
	assert_string_equal(d.field, "(event)");
	assert_string_equal(d.reason, "more than 64 fields (65)");
	assert_string_equal(ev.id, "t1");
}

/* Wherever a reason would quote data, the child id is masked. */
static void
test_child_never_echoed(void **state)
{
	static const char *lines[] = {
		"{\"id\": \"c1\", \"type\": \"review.held\", \"at\": "
		"\"2019-04-20\", \"child\": \"PN9\", \"iro\": \"I\", "
		"\"participation\": \"PN9\", \"sw_report_at\": null, "
		"\"permanence_plan\": true}",
		"{\"id\": \"c2\", \"type\": \"C4242\", \"at\": "
		"\"2019-04-20\", "
		"\"child\": \"C4242\"}",
		"{\"id\": \"c3\", \"type\": \"strategy.held\", \"at\": "
		"\"C4242\", \"child\": \"C4242\"}",
		"{\"id\": \"c4\", \"type\": \"strategy.held\", \"at\": "
		"\"2019-06-01\", \"child\": \"C4242\", \"C4242\": 1}",
		"{\"id\": \"c5\", \"type\": \"strategy.held\", \"at\": "
		"\"2019-06-01\", \"child\": 4242}",
		"{\"id\": \"c6\", \"type\": \"strategy.held\", \"at\": "
		"\"2019-06-01\", \"child\": "
		"\"C4242C4242C4242C4242C4242C4242C4242"
		"C4242C4242C4242C4242C4242C4242\"}",
		"{\"id\": \"c7\", \"type\": \"hsb.identified\", \"at\": "
		"\"2019-06-01\", \"child\": \"C4242\", \"brook\": "
		"\"x-C4242-y\"}",
		"{\"id\": \"c8\", \"type\": \"strategy.held\", \"child\": "
		"C4242}",
	};
	struct irk_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(lines); i++) {
		assert_int_not_equal(decode_json(lines[i], &d), 0);
		print_message("%s: %s\n", d.field, d.reason);
		assert_null(strstr(d.reason, "4242"));
		assert_null(strstr(d.field, "4242"));
		assert_null(strstr(d.reason, "PN9"));
	}
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(validate_utf8("", 0));
	assert_true(validate_utf8("abc", 3));
	assert_true(validate_utf8("\xc3\xa9", 2));          /* é */
	assert_true(validate_utf8("\xe2\x82\xac", 3));      /* € */
	assert_true(validate_utf8("\xf0\x9f\x98\x80", 4));  /* emoji */
	assert_true(validate_utf8("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF */
	assert_false(validate_utf8("\xc3", 1));             /* cut */
	assert_false(validate_utf8("\xc0\xaf", 2));         /* overlong */
	assert_false(validate_utf8("\xe0\x80\xaf", 3));     /* overlong */
	assert_false(validate_utf8("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(validate_utf8("\xf4\x90\x80\x80", 4)); /* > max */
	assert_false(validate_utf8("\xff", 1));
	assert_false(validate_utf8("\x80", 1));
	assert_false(validate_utf8("\xe2\x82", 2));
	assert_true(validate_id("e-1", 3));
	assert_false(validate_id("", 0));
	assert_false(validate_id("a\0b", 3));
}

static void
test_echo(void **state)
{
	char buf[64];
	char long_s[100];

	(void)state;
	assert_int_equal(validate_echo(buf, sizeof(buf), "PN9", 3), 3);
	assert_string_equal(buf, "PN9");
	validate_echo(buf, sizeof(buf), "a\"b\\c\nd\xc3\xa9", 9);
	assert_string_equal(buf, "a?b?c?d??");
	memset(long_s, 'x', sizeof(long_s));
	assert_int_equal(
	    validate_echo(buf, sizeof(buf), long_s, sizeof(long_s)),
	    VALIDATE_ECHO_MAX + 3);
	assert_memory_equal(buf + VALIDATE_ECHO_MAX, "...", 4);
	validate_echo(buf, 4, long_s, sizeof(long_s));
	assert_string_equal(buf, "xxx");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejects_fixture),
		cmocka_unit_test(test_retraction_without_child),
		cmocka_unit_test(test_nulls_where_allowed),
		cmocka_unit_test(test_values_kept),
		cmocka_unit_test(test_msgpack_only_rejects),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_child_never_echoed),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
