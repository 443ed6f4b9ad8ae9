/*
 * Event validation: from the pairs of one msgpack map to a struct event, or
 * to the first rule it breaks.  The envelope members are checked by hand,
 * the body by the field tables of event.c, one function per field kind.
 * Nothing here knows an event type by name.
 *
 * Order matters twice.  The same bad event must always get the same answer,
 * so the checks follow the envelope, then the type's field table, then the
 * map's order for unknown keys, never the order the producer wrote.  And
 * the ack names an event by its id, so the id is checked and copied first:
 * whatever fails later, ev->id is already set.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "proto/validate.h"

/* The envelope members, in the order they are checked. */
enum env {
	ENV_ID,
	ENV_TYPE,
	ENV_AT,
	ENV_CHILD,
	ENV_V,
	ENV_SOURCE,
	ENV__COUNT
};

/* clang-format off */
static const struct {
	const char *name;
	size_t len;
} env_names[ENV__COUNT] = {
	[ENV_ID] = { "id", 2 },
	[ENV_TYPE] = { "type", 4 },
	[ENV_AT] = { "at", 2 },
	[ENV_CHILD] = { "child", 5 },
	[ENV_V] = { "v", 1 },
	[ENV_SOURCE] = { "source", 6 },
};
/* clang-format on */

/* The most body fields a type has (conference.held), with room to grow. */
#define BODY_MAX 16

/* Where each known key was found in the map, and how often. */
struct slot {
	int16_t pair;  /* index into pairs, -1 when absent */
	uint8_t count; /* occurrences; more than 1 is a duplicate key */
};

/* One validation: what the checks share. */
struct vctx {
	struct event *ev;
	struct irk_diag *diag;
	const char *child; /* raw child bytes to mask in echoes, or NULL */
	size_t child_len;
};

bool
validate_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned char c, lo, hi;
	size_t need, k;

	while (p < end) {
		c = *p++;
		if (c < 0x80)
			continue;
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* above U+10FFFF */
		} else
			return false;
		if ((size_t)(end - p) < need)
			return false;
		if (*p < lo || *p > hi)
			return false;
		for (k = 1; k < need; k++)
			if ((p[k] & 0xc0) != 0x80)
				return false;
		p += need;
	}
	return true;
}

bool
validate_id(const char *s, size_t n)
{
	return n >= 1 && n <= IRK_ID_MAX && memchr(s, '\0', n) == NULL &&
	       validate_utf8(s, n);
}

/* The echo, masking each whole occurrence of mask[0..mlen) with '*'. */
static size_t
echo_masked(char *dst, size_t size, const char *s, size_t n, const char *mask,
    size_t mlen)
{
	size_t i = 0, o = 0, k, lim;
	unsigned char c;

	if (size == 0)
		return 0;
	lim = size - 1 < VALIDATE_ECHO_MAX ? size - 1 : VALIDATE_ECHO_MAX;
	while (i < n && o < lim) {
		if (mask != NULL && mlen > 0 && n - i >= mlen &&
		    memcmp(s + i, mask, mlen) == 0) {
			for (k = 0; k < mlen && o < lim; k++)
				dst[o++] = '*';
			i += mlen;
			continue;
		}
		c = (unsigned char)s[i++];
		dst[o++] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			       ? (char)c
			       : '?';
	}
	if (i < n && size - 1 - o >= 3) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return o;
}

size_t
validate_echo(char *dst, size_t size, const char *s, size_t n)
{
	return echo_masked(dst, size, s, n, NULL, 0);
}

/* Room for an echo and its "...". */
#define ECHO_BUF (VALIDATE_ECHO_MAX + 4)

static size_t
echo(const struct vctx *c, char buf[ECHO_BUF], const char *s, size_t n)
{
	return echo_masked(buf, ECHO_BUF, s, n, c->child, c->child_len);
}

static const char *
expect_name(enum field_kind k)
{
	switch (k) {
	case FK_STR:
	case FK_ENUM:
		return "a string";
	case FK_BOOL:
		return "true or false";
	case FK_INT:
		return "an integer";
	case FK_TIME:
	case FK_DOB:
		return "a date string";
	case FK_TIME_OR_NULL:
		return "a date string or null";
	case FK_STRS:
		return "an array of strings";
	}
	return "a value";
}

static int
wrong_type(const struct vctx *c, const char *field, const char *expect,
    const struct codec_val *v)
{
	return diag_set(c->diag, field, "must be %s, got %s", expect,
	    codec_kind_name(v->kind));
}

/*
 * The rules every string shares: a string, min..max bytes, no NUL byte,
 * UTF-8.  what prefixes the reason ("item 3: ") for array items.
 */
static int
check_str(const struct vctx *c, const char *field, const char *what,
    const struct codec_val *v, size_t min, size_t max)
{
	if (v->kind != CK_STR)
		return diag_set(c->diag, field, "%smust be a string, got %s",
		    what, codec_kind_name(v->kind));
	if (v->n < min)
		return diag_set(c->diag, field, "%smust not be empty", what);
	if (v->n > max)
		return diag_set(c->diag, field,
		    "%slonger than %zu bytes (%" PRIu32 ")", what, max, v->n);
	if (memchr(v->p, '\0', v->n) != NULL)
		return diag_set(c->diag, field, "%scontains a NUL byte", what);
	if (!validate_utf8(v->p, v->n))
		return diag_set(c->diag, field, "%sis not valid UTF-8", what);
	return 0;
}

static int
copy_str(const struct vctx *c, const char *field, const struct codec_val *v,
    const char **out)
{
	if ((*out = event_arena_str(c->ev, v->p, v->n)) == NULL)
		return diag_set(c->diag, field, "event too large");
	return 0;
}

/* Four digits, '-', two digits, '-', two digits, whatever their values. */
static bool
date_shaped(const char *s, size_t n)
{
	size_t i;

	if (n < 10)
		return false;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/*
 * Tell an impossible date ("2019-02-29") from bad syntax: the first gets
 * the date echoed back whole (10 bytes of digits cannot be a child id).
 */
static int
bad_time(const struct vctx *c, const char *field, const struct codec_val *v,
    const char *expect)
{
	char buf[ECHO_BUF];
	int y, m, d;

	if (date_shaped(v->p, v->n)) {
		y = (v->p[0] - '0') * 1000 + (v->p[1] - '0') * 100 +
		    (v->p[2] - '0') * 10 + (v->p[3] - '0');
		m = (v->p[5] - '0') * 10 + (v->p[6] - '0');
		d = (v->p[8] - '0') * 10 + (v->p[9] - '0');
		if (!date_valid_ymd(y, m, d))
			return diag_set(
			    c->diag, field, "not a real date: %.10s", v->p);
	}
	echo(c, buf, v->p, v->n);
	return diag_set(c->diag, field, "must be %s, got \"%s\"", expect, buf);
}

static int
check_time(const struct vctx *c, const char *field, const struct codec_val *v,
    struct irk_time *out)
{
	if (v->kind != CK_STR)
		return wrong_type(c, field, "a date string", v);
	if (date_parse_time(v->p, v->n, out) != 0)
		return bad_time(
		    c, field, v, "YYYY-MM-DD or an RFC 3339 date-time");
	return 0;
}

static int
check_dob(const struct vctx *c, const char *field, const struct codec_val *v,
    struct event_value *out)
{
	char buf[ECHO_BUF];
	int32_t day;

	if (v->kind != CK_STR)
		return wrong_type(c, field, "a date string", v);
	if (v->n == 7 && date_parse_month(v->p, v->n, &day) == 0) {
		out->num = EVENT_DOB_MONTH;
	} else if (v->n == 10 && date_parse(v->p, v->n, &day) == 0) {
		out->num = EVENT_DOB_DAY;
	} else if (v->n == 10) {
		return bad_time(c, field, v, "YYYY-MM-DD or YYYY-MM");
	} else {
		echo(c, buf, v->p, v->n);
		return diag_set(c->diag, field,
		    "must be YYYY-MM-DD or YYYY-MM, got \"%s\"", buf);
	}
	out->time.day = day;
	return 0;
}

/*
 * "PN0..PN7" when the names count up in their last character, else the
 * names joined, else (the twelve stood-down reasons) a pointer to the list.
 */
static void
enum_list(enum evt_field f, char *buf, size_t size)
{
	const struct enum_value *v;
	size_t i, n, len, o;
	bool run;

	v = event_enum_values(f, &n);
	len = strlen(v[0].name);
	run = n > 2;
	for (i = 1; i < n && run; i++)
		run = strlen(v[i].name) == len &&
		      memcmp(v[i].name, v[0].name, len - 1) == 0 &&
		      v[i].name[len - 1] == v[i - 1].name[len - 1] + 1;
	if (run) {
		snprintf(buf, size, "%s..%s", v[0].name, v[n - 1].name);
		return;
	}
	for (i = 0, o = 0; i < n; i++) {
		len = strlen(v[i].name);
		if (o + len + 2 >= size || o + len > 90) {
			snprintf(
			    buf, size, "the %zu values in proto/EVENTS.md", n);
			return;
		}
		if (i > 0) {
			memcpy(buf + o, ", ", 2);
			o += 2;
		}
		memcpy(buf + o, v[i].name, len);
		o += len;
	}
	buf[o] = '\0';
}

static int
check_enum(const struct vctx *c, enum evt_field f, const struct codec_val *v,
    int64_t *out)
{
	const char *field = event_field_name(f);
	char list[100], buf[ECHO_BUF];

	if (v->kind != CK_STR)
		return wrong_type(c, field, "a string", v);
	if (event_enum_from_name(f, v->p, v->n, out) == 0)
		return 0;
	enum_list(f, list, sizeof(list));
	echo(c, buf, v->p, v->n);
	return diag_set(
	    c->diag, field, "must be one of %s, got \"%s\"", list, buf);
}

static int
check_int(const struct vctx *c, enum evt_field f, const struct codec_val *v,
    int64_t *out)
{
	const char *field = event_field_name(f);
	int64_t min, max;

	event_field_bounds(f, &min, &max);
	if (v->kind == CK_UINT)
		return diag_set(
		    c->diag, field, "out of range: %" PRIu64, v->u);
	if (v->kind != CK_INT)
		return wrong_type(c, field, "an integer", v);
	if (v->i < min || v->i > max) {
		if (max == INT64_MAX)
			return diag_set(c->diag, field,
			    "must be %" PRId64 " or more, got %" PRId64, min,
			    v->i);
		return diag_set(c->diag, field,
		    "must be %" PRId64 " to %" PRId64 ", got %" PRId64, min,
		    max, v->i);
	}
	*out = v->i;
	return 0;
}

static int
check_strs(const struct vctx *c, enum evt_field f, const struct codec_val *v,
    struct event_value *out)
{
	const char *field = event_field_name(f), *q;
	struct codec_val item;
	char what[24];
	int64_t min, max;
	size_t i;
	int rc;

	if (v->kind != CK_ARRAY)
		return wrong_type(c, field, "an array of strings", v);
	if (v->n > IRK_STRS_MAX)
		return diag_set(c->diag, field,
		    "more than %d items (%" PRIu32 ")", IRK_STRS_MAX, v->n);
	event_field_bounds(f, &min, &max);
	if ((out->strs = event_arena_strs(c->ev, v->n)) == NULL)
		return diag_set(c->diag, field, "event too large");
	for (i = 0, q = v->p; i < v->n; i++) {
		q = codec_read(q, &item);
		/* The item's number is written only into a refusal. */
		if (check_str(c, field, "", &item, (size_t)min, (size_t)max) !=
		    0) {
			snprintf(what, sizeof(what), "item %zu: ", i + 1);
			return check_str(
			    c, field, what, &item, (size_t)min, (size_t)max);
		}
		if ((rc = copy_str(c, field, &item, &out->strs[i])) != 0)
			return rc;
	}
	out->nstrs = v->n;
	return 0;
}

/* One body field's value, by its kind. */
static int
check_field(const struct vctx *c, enum evt_field f, const struct codec_val *v)
{
	struct event_value *out = event_write(c->ev, f);
	const char *field = event_field_name(f);
	enum field_kind k = event_field_kind(f);
	int64_t min, max;
	int rc;

	switch (k) {
	case FK_STR:
		event_field_bounds(f, &min, &max);
		if ((rc = check_str(
			 c, field, "", v, (size_t)min, (size_t)max)) != 0)
			return rc;
		rc = copy_str(c, field, v, &out->str);
		break;
	case FK_BOOL:
		if (v->kind != CK_BOOL)
			return wrong_type(c, field, expect_name(k), v);
		out->num = v->b;
		rc = 0;
		break;
	case FK_INT:
		rc = check_int(c, f, v, &out->num);
		break;
	case FK_ENUM:
		rc = check_enum(c, f, v, &out->num);
		break;
	case FK_TIME_OR_NULL:
		if (v->kind == CK_NIL) {
			out->null = true;
			out->time.day = DAY_NONE;
			rc = 0;
			break;
		}
		if (v->kind != CK_STR)
			return wrong_type(c, field, expect_name(k), v);
		/* FALLTHROUGH */
	case FK_TIME:
		rc = check_time(c, field, v, &out->time);
		break;
	case FK_DOB:
		rc = check_dob(c, field, v, out);
		break;
	case FK_STRS:
		rc = check_strs(c, f, v, out);
		break;
	default:
		rc = diag_set(c->diag, field, "unsupported field kind");
		break;
	}
	if (rc == 0)
		out->present = true;
	return rc;
}

/* Missing, duplicated, or the one pair holding the value. */
static int
one(const struct vctx *c, const char *field, const struct slot *s,
    const struct validate_pair *pairs, const struct codec_val **out)
{
	*out = NULL;
	if (s->count == 0)
		return 0;
	if (s->count > 1)
		return diag_set(c->diag, field, "duplicate key");
	*out = &pairs[s->pair].val;
	return 0;
}

static void
note(struct slot *s, size_t i)
{
	if (s->count++ == 0)
		s->pair = (int16_t)i;
	if (s->count > 2)
		s->count = 2; /* "more than once" is all that matters */
}

static int
check_envelope_str(const struct vctx *c, const char *field,
    const struct codec_val *v, size_t max, const char **out)
{
	int rc;

	if ((rc = check_str(c, field, "", v, 1, max)) != 0)
		return rc;
	return copy_str(c, field, v, out);
}

static int
check_type(const struct vctx *c, const struct codec_val *v, enum evt_type *out)
{
	char buf[ECHO_BUF];

	if (v->kind != CK_STR)
		return wrong_type(c, "type", "a string", v);
	if (event_type_from_name(v->p, v->n, out) == 0)
		return 0;
	echo(c, buf, v->p, v->n);
	return diag_set(c->diag, "type", "unknown event type \"%s\"", buf);
}

static int
check_version(const struct vctx *c, const struct codec_val *v)
{
	if (v->kind == CK_UINT)
		return diag_set(
		    c->diag, "v", "unsupported version %" PRIu64, v->u);
	if (v->kind != CK_INT)
		return wrong_type(c, "v", "an integer", v);
	if (v->i != 1)
		return diag_set(
		    c->diag, "v", "unsupported version %" PRId64, v->i);
	c->ev->v = 1;
	return 0;
}

static int
unknown_field(const struct vctx *c, const struct validate_pair *p)
{
	char buf[ECHO_BUF];
	size_t max =
	    sizeof(c->diag->field); /* not evaluated: diag may be NULL */

	/* The field is the producer's key, quoted like any echo. */
	if (p->klen == 0)
		memcpy(buf, "\"\"", 3);
	else if (echo(c, buf, p->key, p->klen) >= max)
		memcpy(buf + max - 4, "...", 4);
	return diag_set(c->diag, buf, "unknown field for %s",
	    event_type_name(c->ev->type));
}

int
validate_event(const struct validate_pair *pairs, size_t n, struct event *ev,
    struct irk_diag *diag)
{
	struct slot env[ENV__COUNT], body[BODY_MAX];
	const struct type_field *tf;
	const struct codec_val *v;
	struct vctx c = { ev, diag, NULL, 0 };
	bool known[VALIDATE_PAIRS_MAX];
	size_t i, k, nf;
	int rc;

	if (n > VALIDATE_PAIRS_MAX)
		return diag_set(diag, "(event)", "more than %d fields (%zu)",
		    VALIDATE_PAIRS_MAX, n);
	for (k = 0; k < ENV__COUNT; k++)
		env[k] = (struct slot){ -1, 0 };
	for (i = 0; i < n; i++) {
		known[i] = false;
		for (k = 0; k < ENV__COUNT; k++) {
			if (validate_key_is(&pairs[i], env_names[k].name,
				env_names[k].len)) {
				note(&env[k], i);
				known[i] = true;
				break;
			}
		}
	}
	/* Mask the child wherever an echo would show it, valid or not. */
	if (env[ENV_CHILD].count > 0 &&
	    pairs[env[ENV_CHILD].pair].val.kind == CK_STR) {
		c.child = pairs[env[ENV_CHILD].pair].val.p;
		c.child_len = pairs[env[ENV_CHILD].pair].val.n;
	}

	/* id first: once it is set, every later rejection can name it. */
	if ((rc = one(&c, "id", &env[ENV_ID], pairs, &v)) != 0)
		return rc;
	if (v == NULL)
		return diag_set(diag, "id", "missing");
	if ((rc = check_envelope_str(&c, "id", v, IRK_ID_MAX, &ev->id)) != 0) {
		ev->id = NULL;
		return rc;
	}

	if ((rc = one(&c, "type", &env[ENV_TYPE], pairs, &v)) != 0)
		return rc;
	if (v == NULL)
		return diag_set(diag, "type", "missing");
	if ((rc = check_type(&c, v, &ev->type)) != 0)
		return rc;

	if ((rc = one(&c, "at", &env[ENV_AT], pairs, &v)) != 0)
		return rc;
	if (v == NULL)
		return diag_set(diag, "at", "missing");
	if ((rc = check_time(&c, "at", v, &ev->at)) != 0)
		return rc;

	if ((rc = one(&c, "child", &env[ENV_CHILD], pairs, &v)) != 0)
		return rc;
	if (v == NULL && event_type_needs_child(ev->type))
		return diag_set(diag, "child", "missing");
	/* No echo here: a child id never goes into a reason. */
	if (v != NULL && (rc = check_envelope_str(
			      &c, "child", v, IRK_CHILD_MAX, &ev->child)) != 0)
		return rc;

	if ((rc = one(&c, "v", &env[ENV_V], pairs, &v)) != 0)
		return rc;
	if (v != NULL && (rc = check_version(&c, v)) != 0)
		return rc;

	if ((rc = one(&c, "source", &env[ENV_SOURCE], pairs, &v)) != 0)
		return rc;
	if (v != NULL && (rc = check_envelope_str(
			      &c, "source", v, IRK_STR_MAX, &ev->source)) != 0)
		return rc;

	/* The body, by the type's table. */
	tf = event_type_fields(ev->type, &nf);
	if (nf > BODY_MAX)
		return diag_set(diag, "(event)", "internal: body too long");
	for (k = 0; k < nf; k++)
		body[k] = (struct slot){ -1, 0 };
	for (i = 0; i < n; i++) {
		if (known[i])
			continue;
		for (k = 0; k < nf; k++) {
			if (validate_key_is(&pairs[i],
				event_field_name(tf[k].field),
				event_field_name_len(tf[k].field))) {
				note(&body[k], i);
				known[i] = true;
				break;
			}
		}
	}
	for (k = 0; k < nf; k++) {
		const char *name = event_field_name(tf[k].field);

		if ((rc = one(&c, name, &body[k], pairs, &v)) != 0)
			return rc;
		if (v == NULL) {
			if (tf[k].required)
				return diag_set(diag, name, "missing");
			continue;
		}
		if ((rc = check_field(&c, tf[k].field, v)) != 0)
			return rc;
	}

	for (i = 0; i < n; i++)
		if (!known[i])
			return unknown_field(&c, &pairs[i]);
	return 0;
}
