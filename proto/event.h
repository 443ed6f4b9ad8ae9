/*
 * struct event: one event of EVENTS.md v1, decoded and validated.
 *
 * The envelope has members of its own; the body is an array of values
 * indexed by enum evt_field, so that the codec, the validator and the JSON
 * mapping are driven by the tables in event_types.def and event_fields.def
 * rather than by code per type.  Every string an event holds is copied,
 * NUL-terminated, into its own arena, so a struct event owns all it points to
 * and outlives the buffer it was decoded from.  Because its pointers point
 * into itself, copy one only with event_copy(), never by assignment.
 */
#ifndef IRK_EVENT_H
#define IRK_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/date.h"

#define IRK_EVENT_MAX   4096 /* bytes of one encoded event, at most */
#define IRK_ID_MAX      128  /* bytes of an event id */
#define IRK_CHILD_MAX   64   /* bytes of a child id */
#define IRK_STR_MAX     256  /* bytes of any other string */
#define IRK_STRS_MAX    16   /* items of a string array */
#define IRK_EVENT_DEPTH 4    /* nesting an event may have (map, array) */

enum evt_type {
#define EVENT_TYPE(e, name, needs_child) e,
#include "proto/event_types.def"
#undef EVENT_TYPE
	EVT__COUNT
};

enum evt_field {
#define FIELD(e, name, kind, values) e,
#include "proto/event_fields.def"
#undef FIELD
	FLD__COUNT
};

enum field_kind {
	FK_STR,          /* string, 1..IRK_STR_MAX bytes, no NUL byte */
	FK_BOOL,         /* true / false */
	FK_INT,          /* integer (range checked per field) */
	FK_ENUM,         /* string from the field's value table */
	FK_TIME,         /* date or RFC 3339 date-time */
	FK_TIME_OR_NULL, /* as FK_TIME, or nil */
	FK_DOB,          /* "YYYY-MM-DD" or "YYYY-MM" (the 1st of the month) */
	FK_STRS,         /* array of strings, at most IRK_STRS_MAX */
};

/* Values of the FK_ENUM fields, as stored in event_value.num. */
enum gender { GENDER_F, GENDER_M, GENDER_U };
enum conf_kind { CONF_INITIAL, CONF_REVIEW, CONF_TRANSFER_IN };
enum outcome { OUTCOME_PLAN, OUTCOME_NO_PLAN, OUTCOME_CONTINUE, OUTCOME_END };
enum category {
	CAT_NEGLECT,
	CAT_EMOTIONAL,
	CAT_PHYSICAL,
	CAT_SEXUAL,
	CAT_MULTIPLE
};
enum alert_kind { ALERT_GOOD_PRACTICE, ALERT_CONCERN };
enum area { AREA_LAC, AREA_CP };
enum brook { BROOK_GREEN, BROOK_AMBER, BROOK_AMBER_RED, BROOK_RED };
enum stood_down_reason {
	SDR_INTERPRETER,
	SDR_LATE_REQUEST,
	SDR_PARENT_UNAVAILABLE,
	SDR_NOT_QUORATE,
	SDR_SW_ABSENT,
	SDR_CHAIR_UNAVAILABLE,
	SDR_NO_CHAIR_OR_CLERK,
	SDR_INFORMATION_MISSING,
	SDR_CHILD_UPSET,
	SDR_PREMISES,
	SDR_UNKNOWN,
	SDR_OTHER
};
/* participation: the code's digit, PN0 = 0 ... PN7 = 7. */
/* hsb.meeting_held "kind" uses CONF_INITIAL and CONF_REVIEW. */

/* One body value.  Which member holds it follows the field's kind. */
struct event_value {
	bool present;         /* the field was in the event */
	bool null;            /* it was nil (FK_TIME_OR_NULL only) */
	const char *str;      /* FK_STR: in the event's arena */
	struct irk_time time; /* FK_TIME, FK_TIME_OR_NULL, FK_DOB (.day) */
	int64_t num;          /* FK_INT, FK_ENUM value, FK_BOOL 0 or 1 */
	const char **strs;    /* FK_STRS: nstrs items, in the arena */
	size_t nstrs;
};

struct event {
	enum evt_type type;
	const char *id;     /* never NULL in a valid event */
	const char *child;  /* NULL when absent */
	const char *source; /* NULL when absent */
	int64_t v;          /* schema version, 1 */
	struct irk_time at; /* business time */
	struct event_value f[FLD__COUNT];
	uint64_t written; /* bit f: f[f] was written since the last reset */
	size_t arena_used;
	/* Strings and string arrays; keep last, pointer-aligned. */
	_Alignas(void *) char arena[IRK_EVENT_MAX + 256];
};

/*
 * Why an event (or a message) was refused: the field at fault ("id", "at",
 * "participation", or "(event)" for the whole) and a reason an operator can
 * act on.  Filled by the validator and codec; sent back in the ack.
 */
struct irk_diag {
	char field[32];
	char reason[160];
};

/* Wire names.  event_type_name() never returns NULL for a valid type. */
const char *event_type_name(enum evt_type t);
const char *event_field_name(enum evt_field f);
/* strlen(event_field_name(f)) for a valid f, else 0. */
size_t event_field_name_len(enum evt_field f);
enum field_kind event_field_kind(enum evt_field f);

/* Look a wire type name up; returns 0 or IRK_ENOTFOUND. */
int event_type_from_name(const char *s, size_t len, enum evt_type *out);

/* True when the type needs a child id (every case event). */
bool event_type_needs_child(enum evt_type t);

/* Name of an enum field's value ("PN3", "neglect"), or NULL if out of range.
 */
const char *event_enum_name(enum evt_field f, int64_t value);

/* Clear ev to an empty event (no fields present, arena empty). */
void event_reset(struct event *ev);

/*
 * The same for an ev that event_reset() cleared before (and a decoder may
 * have filled since): only the fields written are cleared, where
 * event_reset() clears all of them, some 2 KB.  For a buffer of events
 * decoded one after another (the log's, in a rebuild).
 */
void event_reuse(struct event *ev);

/* Record that f[f] is being written (validators), for event_reuse(). */
static inline struct event_value *
event_write(struct event *ev, enum evt_field f)
{
	ev->written |= (uint64_t)1 << f;
	return &ev->f[f];
}

/* Copy src into dst, re-pointing every string at dst's arena. */
void event_copy(struct event *dst, const struct event *src);

/* Accessors; absent (or null) gives NULL, DAY_NONE, the default. */
const char *event_str(const struct event *ev, enum evt_field f);
int32_t event_day(const struct event *ev, enum evt_field f);
int64_t event_num(const struct event *ev, enum evt_field f, int64_t dflt);
bool event_has(const struct event *ev, enum evt_field f);

/*
 * FK_DOB: event_value.num says how precise the date of birth was, since the
 * day alone cannot tell "2012-03" from "2012-03-01".
 */
#define EVENT_DOB_DAY   0 /* "YYYY-MM-DD" */
#define EVENT_DOB_MONTH 1 /* "YYYY-MM"; time.day is the 1st of the month */

/* One value of an FK_ENUM field: its wire name and its number. */
struct enum_value {
	const char *name;
	int64_t value;
};

/* One field of a type's body, and whether the type requires it. */
struct type_field {
	enum evt_field field;
	bool required;
};

/*
 * The body fields of type t, in the order the validator checks them, and
 * their number in *n.  The table is static; never NULL for a valid type
 * (a type with no body gives a non-NULL pointer and *n == 0).
 */
const struct type_field *event_type_fields(enum evt_type t, size_t *n);

/* An FK_ENUM field's values (static) and their number; NULL for others. */
const struct enum_value *event_enum_values(enum evt_field f, size_t *n);

/* Look an enum value up by exact name; returns 0 or IRK_ENOTFOUND. */
int event_enum_from_name(
    enum evt_field f, const char *s, size_t len, int64_t *out);

/*
 * Inclusive bounds of a field: the value of an FK_INT field ("stage" 2..4),
 * the byte length of an FK_STR field or of each item of an FK_STRS field
 * ("target" is an event id, 1..IRK_ID_MAX).  Other kinds give 0..0.
 */
void event_field_bounds(enum evt_field f, int64_t *min, int64_t *max);

/*
 * Write t as "YYYY-MM-DD", or when it has a time as
 * "YYYY-MM-DDTHH:MM:SS" and "Z" or "+hh:mm", with a NUL, into buf.  A
 * fraction of a second is not kept, so it is not written back.  Returns the
 * length written.
 */
#define EVENT_TIME_STRLEN 26
size_t event_time_format(
    const struct irk_time *t, char buf[EVENT_TIME_STRLEN]);

/*
 * Arena allocation for the decoder.  event_arena_str() copies n bytes and a
 * NUL into ev's arena; event_arena_strs() reserves n pointer-aligned string
 * pointers.  Both return NULL when the arena is full (it cannot be for an
 * event of at most IRK_EVENT_MAX bytes).  What they return lives as long as
 * ev, until event_reset().
 */
const char *event_arena_str(struct event *ev, const char *s, size_t n);
const char **event_arena_strs(struct event *ev, size_t n);

/* Snprintf-style fill of a diag; returns IRK_EINVAL for the caller's use. */
int diag_set(struct irk_diag *d, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
