/*
 * proto/json.c, and the contract end to end: one example of each of the 24
 * event types exactly as EVENTS.md writes it goes JSON -> msgpack -> decode
 * and must be accepted, as must every line of tests/data/events/valid.jsonl.
 * Then the structural mapping both ways, its limits, and json_peek_id().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>

#include "domain/err.h"
#include "proto/codec.h"
#include "proto/json.h"

static struct event ev;

/* One line per type, in event_types.def order, fields as EVENTS.md has. */
static const struct {
	enum evt_type type;
	const char *line;
} examples[] = {
	{ EVT_CHILD_REGISTERED,
	    "{\"id\": \"x-01\", \"type\": \"child.registered\", \"at\": "
	    "\"2019-04-01\", \"child\": \"C100\", \"dob\": \"2012-03-04\", "
	    "\"gender\": \"F\", \"ethnicity\": \"WBRI\", \"disability\": "
	    "false}" },
	{ EVT_LAC_STARTED,
	    "{\"id\": \"x-02\", \"type\": \"lac.started\", \"at\": "
	    "\"2019-04-02\", \"child\": \"C100\", \"legal_status\": \"V3\"}" },
	{ EVT_LAC_ENDED,
	    "{\"id\": \"x-03\", \"type\": \"lac.ended\", \"at\": "
	    "\"2020-01-10\", \"child\": \"C100\", \"reason\": \"E13\"}" },
	{ EVT_REVIEW_HELD,
	    "{\"id\": \"x-04\", \"type\": \"review.held\", \"at\": "
	    "\"2019-04-20T10:00:00+01:00\", \"child\": \"C100\", \"iro\": "
	    "\"IRO7\", \"participation\": \"PN1\", \"sw_report_at\": null, "
	    "\"permanence_plan\": true, \"meeting\": \"M-88\", "
	    "\"late_reason\": \"IRO off sick\"}" },
	{ EVT_REVIEW_RECORD_UPLOADED,
	    "{\"id\": \"x-05\", \"type\": \"review.record_uploaded\", \"at\": "
	    "\"2019-05-01\", \"child\": \"C100\", \"review_at\": "
	    "\"2019-04-20\"}" },
	{ EVT_REVIEW_DECISIONS_UPLOADED,
	    "{\"id\": \"x-06\", \"type\": \"review.decisions_uploaded\", "
	    "\"at\": \"2019-04-24\", \"child\": \"C100\", \"review_at\": "
	    "\"2019-04-20\"}" },
	{ EVT_STRATEGY_HELD,
	    "{\"id\": \"x-07\", \"type\": \"strategy.held\", \"at\": "
	    "\"2019-06-01\", \"child\": \"C200\"}" },
	{ EVT_CONFERENCE_HELD,
	    "{\"id\": \"x-08\", \"type\": \"conference.held\", \"at\": "
	    "\"2019-06-20\", \"child\": \"C200\", \"kind\": \"initial\", "
	    "\"iro\": \"IRO3\", \"outcome\": \"plan\", "
	    "\"report_to_parents_at\": \"2019-06-18\", "
	    "\"report_to_chair_at\": null, \"child_attended\": false, "
	    "\"advocacy\": true, \"agencies_invited\": [\"police\", "
	    "\"health\", \"school\", \"probation\", \"housing\"], "
	    "\"agencies_attended\": [\"police\", \"school\"], \"meeting\": "
	    "\"CF-12\", \"late_reason\": \"family unavailable\"}" },
	{ EVT_CONFERENCE_STOOD_DOWN,
	    "{\"id\": \"x-09\", \"type\": \"conference.stood_down\", \"at\": "
	    "\"2019-06-19\", \"child\": \"C201\", \"kind\": \"transfer_in\", "
	    "\"reason\": \"information_missing\"}" },
	{ EVT_CONFERENCE_RECORD_DISTRIBUTED,
	    "{\"id\": \"x-10\", \"type\": \"conference.record_distributed\", "
	    "\"at\": \"2019-06-25\", \"child\": \"C200\", \"conference_at\": "
	    "\"2019-06-20\"}" },
	{ EVT_CP_PLAN_STARTED,
	    "{\"id\": \"x-11\", \"type\": \"cp_plan.started\", \"at\": "
	    "\"2019-06-20\", \"child\": \"C200\", \"category\": "
	    "\"emotional\", "
	    "\"previous_plans\": 2}" },
	{ EVT_CP_PLAN_SHARED,
	    "{\"id\": \"x-12\", \"type\": \"cp_plan.shared\", \"at\": "
	    "\"2019-06-21\", \"child\": \"C200\"}" },
	{ EVT_CP_PLAN_ENDED,
	    "{\"id\": \"x-13\", \"type\": \"cp_plan.ended\", \"at\": "
	    "\"2020-02-01\", \"child\": \"C200\", \"reason\": \"moved "
	    "away\"}" },
	{ EVT_IRO_ALLOCATED,
	    "{\"id\": \"x-14\", \"type\": \"iro.allocated\", \"at\": "
	    "\"2019-04-02\", \"child\": \"C100\", \"iro\": \"IRO7\"}" },
	{ EVT_QA_ALERT_RAISED,
	    "{\"id\": \"x-15\", \"type\": \"qa_alert.raised\", \"at\": "
	    "\"2019-07-01\", \"child\": \"C100\", \"alert\": \"QA-5\", "
	    "\"iro\": \"IRO7\", \"kind\": \"good_practice\", \"area\": "
	    "\"cp\", "
	    "\"theme\": \"voice of the child\"}" },
	{ EVT_QA_ALERT_RESPONDED,
	    "{\"id\": \"x-16\", \"type\": \"qa_alert.responded\", \"at\": "
	    "\"2019-07-05\", \"child\": \"C100\", \"alert\": \"QA-5\"}" },
	{ EVT_QA_ALERT_ESCALATED,
	    "{\"id\": \"x-17\", \"type\": \"qa_alert.escalated\", \"at\": "
	    "\"2019-07-20\", \"child\": \"C100\", \"alert\": \"QA-5\", "
	    "\"stage\": 3}" },
	{ EVT_QA_ALERT_RESOLVED,
	    "{\"id\": \"x-18\", \"type\": \"qa_alert.resolved\", \"at\": "
	    "\"2019-08-01\", \"child\": \"C100\", \"alert\": \"QA-5\"}" },
	{ EVT_PEP_COMPLETED,
	    "{\"id\": \"x-19\", \"type\": \"pep.completed\", \"at\": "
	    "\"2019-05-10\", \"child\": \"C100\"}" },
	{ EVT_HEALTH_ASSESSMENT_COMPLETED,
	    "{\"id\": \"x-20\", \"type\": \"health_assessment.completed\", "
	    "\"at\": \"2019-05-11\", \"child\": \"C100\"}" },
	{ EVT_DENTAL_CHECK_COMPLETED,
	    "{\"id\": \"x-21\", \"type\": \"dental_check.completed\", \"at\": "
	    "\"2019-05-12\", \"child\": \"C100\"}" },
	{ EVT_HSB_IDENTIFIED,
	    "{\"id\": \"x-22\", \"type\": \"hsb.identified\", \"at\": "
	    "\"2019-09-01\", \"child\": \"C300\", \"brook\": \"red\"}" },
	{ EVT_HSB_MEETING_HELD,
	    "{\"id\": \"x-23\", \"type\": \"hsb.meeting_held\", \"at\": "
	    "\"2019-09-10\", \"child\": \"C300\", \"kind\": \"review\", "
	    "\"brook\": \"amber_red\"}" },
	{ EVT_EVENT_RETRACTED,
	    "{\"id\": \"x-24\", \"type\": \"event.retracted\", \"at\": "
	    "\"2019-09-11\", \"target\": \"x-13\"}" },
};

/* JSON -> msgpack -> struct event, the path `irokpi publish` takes. */
static int
decode(const char *line, struct irk_diag *d)
{
	msgpack_sbuffer sb;
	int rc;

	memset(d, 0, sizeof(*d));
	msgpack_sbuffer_init(&sb);
	rc = json_to_msgpack(line, strlen(line), &sb, d);
	if (rc == 0)
		rc = codec_decode_event(sb.data, sb.size, &ev, d);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

static void
test_every_type_accepted(void **state)
{
	struct irk_diag d;
	bool seen[EVT__COUNT] = { false };
	size_t i;

	(void)state;
	assert_int_equal(NITEMS(examples), EVT__COUNT);
	for (i = 0; i < NITEMS(examples); i++) {
		if (decode(examples[i].line, &d) != 0)
			print_message("%s: %s: %s\n", examples[i].line,
			    d.field, d.reason);
		assert_int_equal(decode(examples[i].line, &d), 0);
		assert_int_equal(ev.type, examples[i].type);
		assert_non_null(ev.id);
		assert_int_equal(
		    ev.child == NULL, examples[i].type == EVT_EVENT_RETRACTED);
		seen[ev.type] = true;
	}
	for (i = 0; i < EVT__COUNT; i++)
		assert_true(seen[i]);

	/* A few values, to see they arrive where the domain reads them. */
	assert_int_equal(decode(examples[7].line, &d), 0);
	assert_int_equal(event_num(&ev, FLD_CONF_KIND, -1), CONF_INITIAL);
	assert_int_equal(event_num(&ev, FLD_OUTCOME, -1), OUTCOME_PLAN);
	assert_int_equal(ev.f[FLD_AGENCIES_INVITED].nstrs, 5);
	assert_string_equal(ev.f[FLD_AGENCIES_INVITED].strs[4], "housing");
	assert_true(ev.f[FLD_REPORT_TO_CHAIR_AT].null);
	assert_int_equal(event_num(&ev, FLD_ADVOCACY, -1), 1);
	assert_int_equal(decode(examples[8].line, &d), 0);
	assert_int_equal(event_num(&ev, FLD_STOOD_DOWN_REASON, -1),
	    SDR_INFORMATION_MISSING);
	assert_int_equal(decode(examples[22].line, &d), 0);
	assert_int_equal(event_num(&ev, FLD_HSB_KIND, -1), CONF_REVIEW);
	assert_int_equal(
	    event_num(&ev, FLD_BROOK_MEETING, -1), BROOK_AMBER_RED);
	assert_int_equal(decode(examples[16].line, &d), 0);
	assert_int_equal(event_num(&ev, FLD_STAGE, -1), 3);
}

static FILE *
open_fixture(const char *name)
{
	const char *dir = getenv("IRK_TEST_DATA"), *unit;
	char path[1024];

	if (dir != NULL)
		snprintf(path, sizeof(path), "%s/events/%s", dir, name);
	else if ((unit = strstr(__FILE__, "unit/test_json.c")) != NULL)
		snprintf(path, sizeof(path), "%.*sdata/events/%s",
		    (int)(unit - __FILE__), __FILE__, name);
	else
		snprintf(path, sizeof(path), "tests/data/events/%s", name);
	return fopen(path, "r");
}

/* Every line of valid.jsonl decodes, and survives JSON -> msgpack -> JSON. */
static void
test_valid_fixture(void **state)
{
	msgpack_sbuffer sb;
	struct irk_diag d;
	json_t *orig, *back = NULL;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	FILE *f;

	(void)state;
	f = open_fixture("valid.jsonl");
	assert_non_null(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (decode(line, &d) != 0)
			print_message("%s%s: %s\n", line, d.field, d.reason);
		assert_int_equal(decode(line, &d), 0);
		msgpack_sbuffer_init(&sb);
		assert_int_equal(
		    json_to_msgpack(line, (size_t)len, &sb, &d), 0);
		assert_int_equal(
		    json_from_msgpack(sb.data, sb.size, &back), 0);
		orig = json_loads(line, 0, NULL);
		assert_non_null(orig);
		assert_true(json_equal(orig, back));
		json_decref(orig);
		json_decref(back);
		msgpack_sbuffer_destroy(&sb);
		n++;
	}
	free(line);
	fclose(f);
	assert_true(n >= EVT__COUNT);
}

static void
test_to_msgpack_types(void **state)
{
	static const char text[] = "{\"s\": \"a\\u0000b\", \"i\": -7, "
				   "\"r\": 2.0, \"t\": true, \"f\": false, "
				   "\"n\": null, \"a\": [1, [], {}], "
				   "\"big\": 9223372036854775807}";
	msgpack_sbuffer sb;
	struct codec_val v, k;
	const char *p;

	(void)state;
	msgpack_sbuffer_init(&sb);
	assert_int_equal(json_to_msgpack(text, strlen(text), &sb, NULL), 0);
	assert_int_equal(codec_check(sb.data, sb.size, 4, NULL), 0);
	codec_read(sb.data, &v);
	assert_int_equal(v.kind, CK_MAP);
	assert_int_equal(v.n, 8);
	p = v.p;
	/* Keys keep their order. */
	p = codec_read(p, &k);
	assert_memory_equal(k.p, "s", 1);
	p = codec_read(p, &v);
	assert_int_equal(v.kind, CK_STR);
	assert_int_equal(v.n, 3);
	assert_memory_equal(v.p, "a\0b", 3);
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_INT && v.i == -7);
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_FLOAT && v.f == 2.0); /* a real stays one */
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_BOOL && v.b);
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_BOOL && !v.b);
	p = codec_read(codec_read(p, &k), &v);
	assert_int_equal(v.kind, CK_NIL);
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_ARRAY && v.n == 3);
	p = codec_read(codec_read(p, &k), &v);
	assert_true(v.kind == CK_INT && v.i == INT64_MAX);
	assert_ptr_equal(p, sb.data + sb.size);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_to_msgpack_rejects(void **state)
{
	static const char *not_objects[] = { "42", "[1]", "\"s\"", "null",
		"true", " [ {\"id\": \"x\"} ] " };
	msgpack_sbuffer sb;
	struct irk_diag d;
	char deep[256];
	size_t i, n;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_sbuffer_write(&sb, "keep", 4);
	for (i = 0; i < NITEMS(not_objects); i++) {
		assert_int_equal(json_to_msgpack(not_objects[i],
				     strlen(not_objects[i]), &sb, &d),
		    IRK_EINVAL);
		assert_string_equal(d.field, "(event)");
		assert_string_equal(d.reason, "not a JSON object");
	}
	/* The token jansson quotes may be a child id: not echoed. */
	assert_int_equal(
	    json_to_msgpack("{\"child\": C12345}", 17, &sb, &d), IRK_EINVAL);
	assert_string_equal(d.field, "(event)");
	assert_string_equal(
	    d.reason, "not valid JSON: invalid token (column 11)");
	assert_int_equal(
	    json_to_msgpack("{\"child\": \"C12345", 17, &sb, &d), IRK_EINVAL);
	assert_null(strstr(d.reason, "12345"));
	assert_memory_equal(d.reason, "not valid JSON: ", 16);
	assert_int_equal(json_to_msgpack("", 0, &sb, &d), IRK_EINVAL);
	assert_memory_equal(d.reason, "not valid JSON: ", 16);
	assert_int_equal(
	    json_to_msgpack("{\"a\": 1, \"a\": 2}", 16, &sb, &d), IRK_EINVAL);
	assert_non_null(strstr(d.reason, "duplicate object key"));
	/* Two JSON texts on one line are not one event. */
	assert_int_equal(json_to_msgpack("{} {}", 5, &sb, &d), IRK_EINVAL);

	/* Depth: an object in 15 arrays is 16 levels, one more is too deep. */
	n = 0;
	deep[n++] = '{';
	memcpy(deep + n, "\"a\":", 4);
	n += 4;
	for (i = 0; i < 15; i++)
		deep[n++] = '[';
	for (i = 0; i < 15; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	assert_int_equal(json_to_msgpack(deep, n, &sb, &d), 0);
	sb.size = 4;
	memmove(deep + 6, deep + 5, n - 5);
	deep[5] = '[';
	memmove(deep + n + 1 - 1, deep + n - 1, 2);
	deep[n - 1] = ']';
	n += 2;
	assert_int_equal(json_to_msgpack(deep, n, &sb, &d), IRK_EINVAL);
	assert_string_equal(d.reason, "nested deeper than 16 levels");
	/* A failed conversion leaves out as it was. */
	assert_int_equal(sb.size, 4);
	assert_memory_equal(sb.data, "keep", 4);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_from_msgpack(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	json_t *j = NULL;
	size_t off = 0;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "f", 1);
	msgpack_pack_float(&pk, 0.5f);
	msgpack_pack_str_with_body(&pk, "u", 1);
	msgpack_pack_uint64(&pk, 5);
	msgpack_pack_str_with_body(&pk, "a", 1);
	msgpack_pack_array(&pk, 2);
	msgpack_pack_nil(&pk);
	msgpack_pack_int(&pk, -1);
	assert_int_equal(json_from_msgpack(sb.data, sb.size, &j), 0);
	assert_true(json_is_object(j));
	assert_true(json_real_value(json_object_get(j, "f")) == 0.5);
	assert_int_equal(json_integer_value(json_object_get(j, "u")), 5);
	assert_true(json_is_null(json_array_get(json_object_get(j, "a"), 0)));
	json_decref(j);

	/* The object form, from msgpack-c's own decoder. */
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, &off),
	    MSGPACK_UNPACK_SUCCESS);
	j = json_from_msgpack_object(&u.data);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 3);
	json_decref(j);
	msgpack_unpacked_destroy(&u);
	assert_null(json_from_msgpack_object(NULL));

	/* What JSON cannot hold. */
	sb.size = 0;
	msgpack_pack_bin_with_body(&pk, "ab", 2);
	j = NULL;
	assert_int_equal(json_from_msgpack(sb.data, sb.size, &j), IRK_EINVAL);
	assert_null(j);
	sb.size = 0;
	msgpack_pack_uint64(&pk, UINT64_MAX);
	assert_int_equal(json_from_msgpack(sb.data, sb.size, &j), IRK_EINVAL);
	sb.size = 0;
	msgpack_pack_double(&pk, NAN);
	assert_int_equal(json_from_msgpack(sb.data, sb.size, &j), IRK_EINVAL);
	sb.size = 0;
	msgpack_pack_array(&pk, 1);
	msgpack_pack_str_with_body(&pk, "\xff", 1);
	assert_int_equal(json_from_msgpack(sb.data, sb.size, &j), IRK_EINVAL);
	/* And what is not msgpack at all. */
	assert_int_equal(
	    json_from_msgpack("\xdd\xff\xff\xff\xff", 5, &j), IRK_EPROTO);
	assert_int_equal(json_from_msgpack("\x80\x80", 2, &j), IRK_EPROTO);
	assert_null(j);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_peek_id(void **state)
{
	static const struct {
		const char *text;
		const char *id; /* NULL: not found */
	} cases[] = {
		{ "{\"id\": \"e1\", \"type\": \"x\"}", "e1" },
		{ "  {\"type\": \"x\", \"id\":\"e2\"}", "e2" },
		{ "{\"id\": \"e3\", \"type\": ", "e3" }, /* cut short */
		{ "{\"id\": \"e4\"} trailing", "e4" },
		{ "{\"x\": {\"id\": \"no\"}, \"y\": [\"id\", {\"id\": 1}], "
		  "\"id\": \"e5\"}",
		    "e5" },
		{ "{\"x\": \"a \\\"quoted\\\" }, \\\"id\\\": \\\"no\", "
		  "\"id\": \"e6\"}",
		    "e6" },
		{ "{\"id\": \"a\\\"b\\u00e9\"}", "a\"b\xc3\xa9" },
		{ "{\"id\": 7}", NULL },
		{ "{\"id\": \"\"}", NULL },
		{ "{\"id\": \"a\\u0000b\"}", NULL },
		{ "{\"type\": \"x\"}", NULL },
		{ "[{\"id\": \"e7\"}]", NULL },
		{ "{\"x\": bad, \"id\": \"e8\"}", "e8" },
		{ "{\"x\" \"id\": \"e9\"}", NULL },
		{ "", NULL },
		{ "{\"id\": \"unterminated", NULL },
	};
	char buf[IRK_ID_MAX + 1], longline[300];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		rc = json_peek_id(
		    cases[i].text, strlen(cases[i].text), buf, sizeof(buf));
		if (cases[i].id == NULL) {
			assert_int_equal(rc, IRK_ENOTFOUND);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(buf, cases[i].id);
		}
	}
	/* Too long for an id, or for the caller's buffer. */
	snprintf(longline, sizeof(longline), "{\"id\": \"%0129d\"}", 0);
	assert_int_equal(
	    json_peek_id(longline, strlen(longline), buf, sizeof(buf)),
	    IRK_ENOTFOUND);
	assert_int_equal(
	    json_peek_id("{\"id\": \"abcd\"}", 14, buf, 4), IRK_ENOTFOUND);
	assert_int_equal(json_peek_id("{\"id\": \"abc\"}", 13, buf, 4), 0);
}

static void
test_decode_event_names_id(void **state)
{
	static char big[4300];
	struct irk_diag d;
	size_t n;

	(void)state;
	assert_int_equal(
	    json_decode_event("{\"id\": \"q1\", \"type\": ", 21, &ev, &d),
	    IRK_EINVAL);
	assert_string_equal(ev.id, "q1");
	assert_string_equal(d.field, "(event)");
	assert_int_equal(json_decode_event("{\"id\": \"q2\", \"type\": "
					   "\"nope\"}",
			     28, &ev, &d),
	    IRK_EINVAL);
	assert_string_equal(ev.id, "q2");
	assert_string_equal(d.field, "type");

	/* Over the size limit from a JSON line: still named. */
	n = (size_t)snprintf(big, sizeof(big),
	    "{\"id\": \"q3\", \"type\": \"lac.ended\", \"at\": "
	    "\"2020-01-10\", \"child\": \"C1\", \"reason\": \"");
	memset(big + n, 'r', 4100);
	n += 4100;
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\"}");
	assert_int_equal(json_decode_event(big, n, &ev, &d), IRK_EINVAL);
	assert_string_equal(d.field, "(event)");
	assert_string_equal(d.reason, "over the size limit of 4096 bytes");
	assert_string_equal(ev.id, "q3");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_accepted),
		cmocka_unit_test(test_valid_fixture),
		cmocka_unit_test(test_to_msgpack_types),
		cmocka_unit_test(test_to_msgpack_rejects),
		cmocka_unit_test(test_from_msgpack),
		cmocka_unit_test(test_peek_id),
		cmocka_unit_test(test_decode_event_names_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
