/*
 * validate_stored(): the event of a map read back from the store's log.
 *
 * The log keeps the producer's bytes exactly as they passed
 * codec_decode_event(), so every rule of validate.h held when they were
 * written: each key is an envelope member or a body field of the event's
 * type, none twice, and each value has its field's kind and limits.  What
 * is left to do is build ev, and only that is done here: no UTF-8, length,
 * NUL or duplicate checks, no unknown-field pass, no diagnostics.  A
 * rebuild decodes every stored event, and the validator was a fifth of its
 * deriving thread.  Keys still come in the producer's order, and a body
 * field's name means different fields in different types ("kind"), so the
 * type is found first.  Bytes that do not decode (a corrupt log) give
 * IRK_EINVAL rather than a wrong event wherever that costs nothing.
 */
#include <string.h>

#include "domain/err.h"
#include "proto/validate.h"

static int
copy_str(struct event *ev, const struct codec_val *v, const char **out)
{
	if (v->kind != CK_STR ||
	    (*out = event_arena_str(ev, v->p, v->n)) == NULL)
		return IRK_EINVAL;
	return 0;
}

static int
copy_time(const struct codec_val *v, struct irk_time *out)
{
	if (v->kind != CK_STR || date_parse_time(v->p, v->n, out) != 0)
		return IRK_EINVAL;
	return 0;
}

static int
copy_strs(struct event *ev, const struct codec_val *v, struct event_value *out)
{
	struct codec_val item;
	const char *q;
	size_t i;

	if (v->kind != CK_ARRAY ||
	    (out->strs = event_arena_strs(ev, v->n)) == NULL)
		return IRK_EINVAL;
	for (i = 0, q = v->p; i < v->n; i++) {
		q = codec_read(q, &item);
		if (copy_str(ev, &item, &out->strs[i]) != 0)
			return IRK_EINVAL;
	}
	out->nstrs = v->n;
	return 0;
}

/* One body value, by its field's kind. */
static int
copy_field(struct event *ev, enum evt_field f, const struct codec_val *v)
{
	struct event_value *out = event_write(ev, f);
	int rc = 0;

	switch (event_field_kind(f)) {
	case FK_STR:
		rc = copy_str(ev, v, &out->str);
		break;
	case FK_BOOL:
		out->num = v->b;
		break;
	case FK_INT:
		out->num = v->i;
		break;
	case FK_ENUM:
		if (v->kind != CK_STR ||
		    event_enum_from_name(f, v->p, v->n, &out->num) != 0)
			rc = IRK_EINVAL;
		break;
	case FK_TIME_OR_NULL:
		if (v->kind == CK_NIL) {
			out->null = true;
			out->time.day = DAY_NONE;
			break;
		}
		/* FALLTHROUGH */
	case FK_TIME:
		rc = copy_time(v, &out->time);
		break;
	case FK_DOB:
		if (v->kind != CK_STR)
			rc = IRK_EINVAL;
		else if (v->n == 7) {
			out->num = EVENT_DOB_MONTH;
			rc = date_parse_month(v->p, v->n, &out->time.day);
		} else {
			out->num = EVENT_DOB_DAY;
			rc = date_parse(v->p, v->n, &out->time.day);
		}
		break;
	case FK_STRS:
		rc = copy_strs(ev, v, out);
		break;
	}
	if (rc != 0)
		return IRK_EINVAL;
	out->present = true;
	return 0;
}

/* A body key of type fields tf[0..nf): its value copied into ev. */
static int
copy_body(struct event *ev, const struct type_field *tf, size_t nf,
    const struct validate_pair *p)
{
	size_t k;

	for (k = 0; k < nf; k++)
		if (validate_key_is(p, event_field_name(tf[k].field),
			event_field_name_len(tf[k].field)))
			return copy_field(ev, tf[k].field, &p->val);
	return IRK_EINVAL;
}

/* One pair: an envelope member, else a body field of ev's type. */
static int
copy_pair(struct event *ev, const struct type_field *tf, size_t nf,
    const struct validate_pair *p)
{
	switch (p->klen) {
	case 1:
		if (p->key[0] == 'v')
			return 0; /* 1, the only version there is */
		break;
	case 2:
		if (validate_key_is(p, "id", 2))
			return copy_str(ev, &p->val, &ev->id);
		if (validate_key_is(p, "at", 2))
			return copy_time(&p->val, &ev->at);
		break;
	case 4:
		if (validate_key_is(p, "type", 4))
			return 0; /* read first */
		break;
	case 5:
		if (validate_key_is(p, "child", 5))
			return copy_str(ev, &p->val, &ev->child);
		break;
	case 6:
		if (validate_key_is(p, "source", 6))
			return copy_str(ev, &p->val, &ev->source);
		break;
	}
	return copy_body(ev, tf, nf, p);
}

int
validate_stored(const struct validate_pair *pairs, size_t n, struct event *ev)
{
	const struct type_field *tf;
	size_t i, nf;

	for (i = 0; i < n && !validate_key_is(&pairs[i], "type", 4); i++)
		;
	if (i == n || pairs[i].val.kind != CK_STR ||
	    event_type_from_name(pairs[i].val.p, pairs[i].val.n, &ev->type) !=
		0)
		return IRK_EINVAL;
	tf = event_type_fields(ev->type, &nf);
	for (i = 0; i < n; i++)
		if (copy_pair(ev, tf, nf, &pairs[i]) != 0)
			return IRK_EINVAL;
	return ev->id != NULL && ev->at.day != DAY_NONE ? 0 : IRK_EINVAL;
}
