/*
 * The tables behind struct event: the wire names of the event types
 * (event_types.def), the body fields with their kinds, value tables and
 * bounds (event_fields.def), and for each type the fields its body may carry
 * and which of them it requires (EVENTS.md v1).  The validator, the codec and
 * the JSON mapping read these tables and hold no per-type code, so a new
 * field or type is a row here and in the .def files.
 *
 * The rest is the small life of a struct event: reset, copy (its strings
 * point into its own arena, so a copy must re-point them), the arena
 * allocator the decoder fills it with, and read accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/err.h"
#include "proto/event.h"

/* clang-format off */
/*
 * Value tables of the FK_ENUM fields.  Each is in value order; the wire name
 * is exact and case-sensitive.  test_event checks that every name maps back
 * to its value.
 */
static const struct enum_value gender_values[] = {
	{ "F", GENDER_F },
	{ "M", GENDER_M },
	{ "U", GENDER_U },
};

static const struct enum_value participation_values[] = {
	{ "PN0", 0 },
	{ "PN1", 1 },
	{ "PN2", 2 },
	{ "PN3", 3 },
	{ "PN4", 4 },
	{ "PN5", 5 },
	{ "PN6", 6 },
	{ "PN7", 7 },
};

static const struct enum_value conf_kind_values[] = {
	{ "initial", CONF_INITIAL },
	{ "review", CONF_REVIEW },
	{ "transfer_in", CONF_TRANSFER_IN },
};

static const struct enum_value hsb_kind_values[] = {
	{ "initial", CONF_INITIAL },
	{ "review", CONF_REVIEW },
};

static const struct enum_value outcome_values[] = {
	{ "plan", OUTCOME_PLAN },
	{ "no_plan", OUTCOME_NO_PLAN },
	{ "continue", OUTCOME_CONTINUE },
	{ "end", OUTCOME_END },
};

static const struct enum_value category_values[] = {
	{ "neglect", CAT_NEGLECT },
	{ "emotional", CAT_EMOTIONAL },
	{ "physical", CAT_PHYSICAL },
	{ "sexual", CAT_SEXUAL },
	{ "multiple", CAT_MULTIPLE },
};

static const struct enum_value alert_kind_values[] = {
	{ "good_practice", ALERT_GOOD_PRACTICE },
	{ "concern", ALERT_CONCERN },
};

static const struct enum_value area_values[] = {
	{ "lac", AREA_LAC },
	{ "cp", AREA_CP },
};

static const struct enum_value brook_values[] = {
	{ "green", BROOK_GREEN },
	{ "amber", BROOK_AMBER },
	{ "amber_red", BROOK_AMBER_RED },
	{ "red", BROOK_RED },
};

/* A meeting is only held for amber and above: no "green" here. */
static const struct enum_value brook_meeting_values[] = {
	{ "amber", BROOK_AMBER },
	{ "amber_red", BROOK_AMBER_RED },
	{ "red", BROOK_RED },
};

static const struct enum_value stood_down_reason_values[] = {
	{ "interpreter", SDR_INTERPRETER },
	{ "late_request", SDR_LATE_REQUEST },
	{ "parent_unavailable", SDR_PARENT_UNAVAILABLE },
	{ "not_quorate", SDR_NOT_QUORATE },
	{ "sw_absent", SDR_SW_ABSENT },
	{ "chair_unavailable", SDR_CHAIR_UNAVAILABLE },
	{ "no_chair_or_clerk", SDR_NO_CHAIR_OR_CLERK },
	{ "information_missing", SDR_INFORMATION_MISSING },
	{ "child_upset", SDR_CHILD_UPSET },
	{ "premises", SDR_PREMISES },
	{ "unknown", SDR_UNKNOWN },
	{ "other", SDR_OTHER },
};

struct field_info {
	const char *name;
	size_t len; /* of name */
	enum field_kind kind;
	const struct enum_value *values; /* FK_ENUM only */
	size_t nvalues;
};

/*
 * FIELD_VALUES_x turns the .def file's table name (or NULL) into the table
 * and its length.
 */
#define FIELD_VALUES_NULL		NULL, 0
#define FIELD_VALUES_TABLE(t)		t, NITEMS(t)
#define FIELD_VALUES_gender_values	FIELD_VALUES_TABLE(gender_values)
#define FIELD_VALUES_participation_values                                     \
	FIELD_VALUES_TABLE(participation_values)
#define FIELD_VALUES_conf_kind_values	FIELD_VALUES_TABLE(conf_kind_values)
#define FIELD_VALUES_hsb_kind_values	FIELD_VALUES_TABLE(hsb_kind_values)
#define FIELD_VALUES_outcome_values	FIELD_VALUES_TABLE(outcome_values)
#define FIELD_VALUES_category_values	FIELD_VALUES_TABLE(category_values)
#define FIELD_VALUES_alert_kind_values	FIELD_VALUES_TABLE(alert_kind_values)
#define FIELD_VALUES_area_values	FIELD_VALUES_TABLE(area_values)
#define FIELD_VALUES_brook_values	FIELD_VALUES_TABLE(brook_values)
#define FIELD_VALUES_brook_meeting_values                                     \
	FIELD_VALUES_TABLE(brook_meeting_values)
#define FIELD_VALUES_stood_down_reason_values                                 \
	FIELD_VALUES_TABLE(stood_down_reason_values)

/* Indexed by enum evt_field: the X-macro keeps the order. */
static const struct field_info fields[FLD__COUNT] = {
#define FIELD(e, wire, k, vals) \
	[e] = { wire, sizeof(wire) - 1, k, FIELD_VALUES_##vals },
#include "proto/event_fields.def"
#undef FIELD
};

struct type_info {
	const char *name;
	size_t len; /* of name */
	bool needs_child;
};

static const struct type_info types[EVT__COUNT] = {
#define EVENT_TYPE(e, wire, child) [e] = { wire, sizeof(wire) - 1, child },
#include "proto/event_types.def"
#undef EVENT_TYPE
};

/*
 * The body of each type, EVENTS.md v1.  A field is required unless the
 * contract calls it optional; "sw_report_at" and "report_to_parents_at" are
 * required but may be null (their kind is FK_TIME_OR_NULL).  The order is
 * the order fields are checked in, so the first fault reported is stable.
 */
#define REQ(f) { f, true }
#define OPT(f) { f, false }

static const struct type_field child_registered[] = {
	REQ(FLD_DOB),
	REQ(FLD_GENDER),
	OPT(FLD_ETHNICITY),
	OPT(FLD_DISABILITY),
};
static const struct type_field lac_started[] = {
	OPT(FLD_LEGAL_STATUS),
};
static const struct type_field lac_ended[] = {
	OPT(FLD_REASON),
};
static const struct type_field review_held[] = {
	REQ(FLD_IRO),
	REQ(FLD_PARTICIPATION),
	REQ(FLD_SW_REPORT_AT),
	REQ(FLD_PERMANENCE_PLAN),
	OPT(FLD_MEETING),
	OPT(FLD_LATE_REASON),
};
static const struct type_field review_uploaded[] = {
	REQ(FLD_REVIEW_AT),
};
static const struct type_field conference_held[] = {
	REQ(FLD_CONF_KIND),
	REQ(FLD_IRO),
	REQ(FLD_OUTCOME),
	REQ(FLD_REPORT_TO_PARENTS_AT),
	OPT(FLD_REPORT_TO_CHAIR_AT),
	OPT(FLD_CHILD_ATTENDED),
	OPT(FLD_ADVOCACY),
	OPT(FLD_AGENCIES_INVITED),
	OPT(FLD_AGENCIES_ATTENDED),
	OPT(FLD_MEETING),
	OPT(FLD_LATE_REASON),
};
/* "meeting" is ours, not EVENTS.md's: KPIS.md counts stood-down
 * conferences by meeting, as it does held ones. */
static const struct type_field conference_stood_down[] = {
	REQ(FLD_CONF_KIND),
	REQ(FLD_STOOD_DOWN_REASON),
	OPT(FLD_MEETING),
};
static const struct type_field conference_record_distributed[] = {
	REQ(FLD_CONFERENCE_AT),
};
static const struct type_field cp_plan_started[] = {
	REQ(FLD_CATEGORY),
	OPT(FLD_PREVIOUS_PLANS),
};
static const struct type_field cp_plan_ended[] = {
	OPT(FLD_REASON),
};
static const struct type_field iro_allocated[] = {
	REQ(FLD_IRO),
};
static const struct type_field qa_alert_raised[] = {
	REQ(FLD_ALERT),
	REQ(FLD_IRO),
	REQ(FLD_ALERT_KIND),
	REQ(FLD_AREA),
	OPT(FLD_THEME),
};
static const struct type_field qa_alert_one[] = {
	REQ(FLD_ALERT),
};
static const struct type_field qa_alert_escalated[] = {
	REQ(FLD_ALERT),
	REQ(FLD_STAGE),
};
static const struct type_field hsb_identified[] = {
	REQ(FLD_BROOK),
};
static const struct type_field hsb_meeting_held[] = {
	REQ(FLD_HSB_KIND),
	REQ(FLD_BROOK_MEETING),
};
static const struct type_field event_retracted[] = {
	REQ(FLD_TARGET),
};

#undef REQ
#undef OPT

/* A type with no body points here, so the table never holds NULL. */
static const struct type_field no_fields[1] = { { FLD_DOB, false } };

struct type_body {
	const struct type_field *fields;
	size_t n;
};

#define BODY(a)	{ a, NITEMS(a) }
#define NO_BODY	{ no_fields, 0 }

/* Indexed by enum evt_type; test_event checks every type has a row. */
static const struct type_body bodies[EVT__COUNT] = {
	[EVT_CHILD_REGISTERED] = BODY(child_registered),
	[EVT_LAC_STARTED] = BODY(lac_started),
	[EVT_LAC_ENDED] = BODY(lac_ended),
	[EVT_REVIEW_HELD] = BODY(review_held),
	[EVT_REVIEW_RECORD_UPLOADED] = BODY(review_uploaded),
	[EVT_REVIEW_DECISIONS_UPLOADED] = BODY(review_uploaded),
	[EVT_STRATEGY_HELD] = NO_BODY,
	[EVT_CONFERENCE_HELD] = BODY(conference_held),
	[EVT_CONFERENCE_STOOD_DOWN] = BODY(conference_stood_down),
	[EVT_CONFERENCE_RECORD_DISTRIBUTED] =
	    BODY(conference_record_distributed),
	[EVT_CP_PLAN_STARTED] = BODY(cp_plan_started),
	[EVT_CP_PLAN_SHARED] = NO_BODY,
	[EVT_CP_PLAN_ENDED] = BODY(cp_plan_ended),
	[EVT_IRO_ALLOCATED] = BODY(iro_allocated),
	[EVT_QA_ALERT_RAISED] = BODY(qa_alert_raised),
	[EVT_QA_ALERT_RESPONDED] = BODY(qa_alert_one),
	[EVT_QA_ALERT_ESCALATED] = BODY(qa_alert_escalated),
	[EVT_QA_ALERT_RESOLVED] = BODY(qa_alert_one),
	[EVT_PEP_COMPLETED] = NO_BODY,
	[EVT_HEALTH_ASSESSMENT_COMPLETED] = NO_BODY,
	[EVT_DENTAL_CHECK_COMPLETED] = NO_BODY,
	[EVT_HSB_IDENTIFIED] = BODY(hsb_identified),
	[EVT_HSB_MEETING_HELD] = BODY(hsb_meeting_held),
	[EVT_EVENT_RETRACTED] = BODY(event_retracted),
};

#undef BODY
#undef NO_BODY
/* clang-format on */

const char *
event_type_name(enum evt_type t)
{
	if ((unsigned)t >= EVT__COUNT)
		return "(unknown)";
	return types[t].name;
}

const char *
event_field_name(enum evt_field f)
{
	if ((unsigned)f >= FLD__COUNT)
		return "(unknown)";
	return fields[f].name;
}

size_t
event_field_name_len(enum evt_field f)
{
	return (unsigned)f < FLD__COUNT ? fields[f].len : 0;
}

enum field_kind
event_field_kind(enum evt_field f)
{
	if ((unsigned)f >= FLD__COUNT)
		return FK_STR;
	return fields[f].kind;
}

/*
 * A linear scan: 24 names, compared by length first, costs less than the
 * rest of one decode and keeps the table in the .def file's order.
 */
int
event_type_from_name(const char *s, size_t len, enum evt_type *out)
{
	size_t i;

	for (i = 0; i < EVT__COUNT; i++) {
		if (types[i].len == len &&
		    memcmp(types[i].name, s, len) == 0) {
			*out = (enum evt_type)i;
			return 0;
		}
	}
	return IRK_ENOTFOUND;
}

bool
event_type_needs_child(enum evt_type t)
{
	if ((unsigned)t >= EVT__COUNT)
		return true;
	return types[t].needs_child;
}

const struct type_field *
event_type_fields(enum evt_type t, size_t *n)
{
	if ((unsigned)t >= EVT__COUNT) {
		*n = 0;
		return no_fields;
	}
	*n = bodies[t].n;
	return bodies[t].fields;
}

const struct enum_value *
event_enum_values(enum evt_field f, size_t *n)
{
	if ((unsigned)f >= FLD__COUNT || fields[f].kind != FK_ENUM) {
		*n = 0;
		return NULL;
	}
	*n = fields[f].nvalues;
	return fields[f].values;
}

const char *
event_enum_name(enum evt_field f, int64_t value)
{
	const struct enum_value *v;
	size_t i, n;

	if ((v = event_enum_values(f, &n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i].value == value)
			return v[i].name;
	return NULL;
}

int
event_enum_from_name(enum evt_field f, const char *s, size_t len, int64_t *out)
{
	const struct enum_value *v;
	size_t i, n;

	if ((v = event_enum_values(f, &n)) == NULL)
		return IRK_ENOTFOUND;
	for (i = 0; i < n; i++) {
		if (strlen(v[i].name) == len &&
		    memcmp(v[i].name, s, len) == 0) {
			*out = v[i].value;
			return 0;
		}
	}
	return IRK_ENOTFOUND;
}

/*
 * "stage" is the escalation stage, 2 to 4 (4 = Assistant Director challenge
 * meeting); "previous_plans" a count.  "target" names an event, so it has an
 * event id's length.
 */
void
event_field_bounds(enum evt_field f, int64_t *min, int64_t *max)
{
	*min = 0;
	*max = 0;
	switch (event_field_kind(f)) {
	case FK_INT:
		if (f == FLD_STAGE) {
			*min = 2;
			*max = 4;
		} else {
			*min = 0;
			*max = INT64_MAX;
		}
		break;
	case FK_STR:
	case FK_STRS:
		*min = 1;
		*max = f == FLD_TARGET ? IRK_ID_MAX : IRK_STR_MAX;
		break;
	default:
		break;
	}
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

size_t
event_time_format(const struct irk_time *t, char buf[EVENT_TIME_STRLEN])
{
	int32_t sec;
	int off;

	date_format(t->day, buf);
	if (!t->has_time)
		return 10;
	/* 23:59:60, a leap second, is kept as written. */
	sec = t->sec;
	buf[10] = 'T';
	if (sec >= 86400) {
		put2(buf + 11, 23);
		put2(buf + 14, 59);
		put2(buf + 17, 60);
	} else {
		put2(buf + 11, sec / 3600);
		put2(buf + 14, sec / 60 % 60);
		put2(buf + 17, sec % 60);
	}
	buf[13] = ':';
	buf[16] = ':';
	if (t->tz_min == 0) {
		buf[19] = 'Z';
		buf[20] = '\0';
		return 20;
	}
	off = t->tz_min < 0 ? -t->tz_min : t->tz_min;
	buf[19] = t->tz_min < 0 ? '-' : '+';
	put2(buf + 20, off / 60);
	buf[22] = ':';
	put2(buf + 23, off % 60);
	buf[25] = '\0';
	return 25;
}

/*
 * Only the members before the arena are cleared: the arena is dead space
 * past arena_used, and clearing 4 KB per event would be most of a decode.
 */
void
event_reset(struct event *ev)
{
	memset(ev, 0, offsetof(struct event, arena));
	ev->v = 1;
	ev->at.day = DAY_NONE;
}

_Static_assert(FLD__COUNT <= 64, "event_reuse() keeps a bit a field");

void
event_reuse(struct event *ev)
{
	uint64_t w = ev->written;

	for (; w != 0; w &= w - 1)
		memset(&ev->f[__builtin_ctzll(w)], 0, sizeof(ev->f[0]));
	memset(ev, 0, offsetof(struct event, f));
	ev->written = 0;
	ev->arena_used = 0;
	ev->v = 1;
	ev->at.day = DAY_NONE;
}

const char *
event_arena_str(struct event *ev, const char *s, size_t n)
{
	char *p;

	if (n >= sizeof(ev->arena) - ev->arena_used)
		return NULL;
	p = ev->arena + ev->arena_used;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	ev->arena_used += n + 1;
	return p;
}

const char **
event_arena_strs(struct event *ev, size_t n)
{
	size_t align = _Alignof(const char *), off;

	off = (ev->arena_used + align - 1) / align * align;
	if (off > sizeof(ev->arena) ||
	    n > (sizeof(ev->arena) - off) / sizeof(const char *))
		return NULL;
	ev->arena_used = off + n * sizeof(const char *);
	return (const char **)(void *)(ev->arena + off);
}

/*
 * Move p from src's arena to the same offset in dst's.  A pointer outside
 * the arena (NULL, or a string literal in an event built by hand) is kept:
 * it does not depend on src.
 */
static const char *
repoint(const struct event *src, struct event *dst, const char *p)
{
	uintptr_t a = (uintptr_t)src->arena, q = (uintptr_t)p;

	if (p == NULL || q < a || q >= a + sizeof(src->arena))
		return p;
	return dst->arena + (q - a);
}

void
event_copy(struct event *dst, const struct event *src)
{
	const struct event_value *sv;
	struct event_value *dv;
	size_t i, k;

	if (dst == src)
		return;
	memcpy(dst, src, offsetof(struct event, arena) + src->arena_used);
	dst->id = repoint(src, dst, src->id);
	dst->child = repoint(src, dst, src->child);
	dst->source = repoint(src, dst, src->source);
	for (i = 0; i < FLD__COUNT; i++) {
		sv = &src->f[i];
		dv = &dst->f[i];
		dv->str = repoint(src, dst, sv->str);
		if (sv->strs == NULL)
			continue;
		dv->strs = (const char **)(void *)repoint(
		    src, dst, (const char *)(const void *)sv->strs);
		if (dv->strs == sv->strs)
			continue; /* not in the arena: shared, not ours */
		for (k = 0; k < sv->nstrs; k++)
			dv->strs[k] = repoint(src, dst, sv->strs[k]);
	}
}

static const struct event_value *
value(const struct event *ev, enum evt_field f)
{
	if ((unsigned)f >= FLD__COUNT || !ev->f[f].present || ev->f[f].null)
		return NULL;
	return &ev->f[f];
}

/* FK_STR gives the string, FK_ENUM the value's wire name. */
const char *
event_str(const struct event *ev, enum evt_field f)
{
	const struct event_value *v;

	if ((v = value(ev, f)) == NULL)
		return NULL;
	if (fields[f].kind == FK_ENUM)
		return event_enum_name(f, v->num);
	return fields[f].kind == FK_STR ? v->str : NULL;
}

int32_t
event_day(const struct event *ev, enum evt_field f)
{
	const struct event_value *v;

	if ((v = value(ev, f)) == NULL)
		return DAY_NONE;
	switch (fields[f].kind) {
	case FK_TIME:
	case FK_TIME_OR_NULL:
	case FK_DOB:
		return v->time.day;
	default:
		return DAY_NONE;
	}
}

int64_t
event_num(const struct event *ev, enum evt_field f, int64_t dflt)
{
	const struct event_value *v;

	if ((v = value(ev, f)) == NULL)
		return dflt;
	switch (fields[f].kind) {
	case FK_INT:
	case FK_ENUM:
	case FK_BOOL:
		return v->num;
	default:
		return dflt;
	}
}

/* Present and not null: "sw_report_at": null reads as not had. */
bool
event_has(const struct event *ev, enum evt_field f)
{
	return value(ev, f) != NULL;
}

int
diag_set(struct irk_diag *d, const char *field, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (d == NULL)
		return IRK_EINVAL;
	n = strlen(field);
	if (n >= sizeof(d->field))
		n = sizeof(d->field) - 1;
	memcpy(d->field, field, n);
	d->field[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
	return IRK_EINVAL;
}
