/*
 * The 2019-20 seed scenario (seed_scenario.h).
 *
 * The report gives totals, not cases, so the children are built in cohorts:
 * children whose cases have the same shape (in care all year with three
 * reviews, came into care in the summer, on a plan that ended at its first
 * review conference, ...), sized so that the cohorts add up to the report's
 * counts; the arithmetic is in the comment above each cohort.  Where the
 * report splits a total (participation codes, categories, stood-down
 * reasons, ...), the split is dealt from a shuffled deck that holds exactly
 * the report's counts, so the figures come out exact however the cards fall.
 *
 * Every date a KPI judges is worked out here from KPIS.md with a calendar
 * and month arithmetic of this file's own (the England bank holidays of
 * 2018-2020; calendar months clamped to the month's end), not with
 * domain/calendar.c and date_add_months(), so that the test compares two
 * readings of the rules.
 * Each case is checked as it is written: a deadline meant to be met must be
 * met and one meant to be missed must be missed, and what the KPIs should
 * count goes into struct seed_tally.  A failed check is a bug here.
 *
 * Where the figures come from:
 *  - LAC reviews, participation, social work reports, permanence, records,
 *    population: the lac_* cohorts (the table above lac_three_reviews());
 *  - health assessments, dental checks, PEPs: lac_health_and_education();
 *  - child protection plans and conferences: cp_cohorts[] (the table above
 *    it);
 *  - the report's splits of a total (the PN table, categories, stood-down
 *    reasons, ...): deal_decks();
 *  - QA alerts: qa_alerts(); caseloads: count_open().
 *
 * The content comes from a fixed pseudo-random sequence; only the order of
 * the lines (and which are sent twice) depends on the caller's seed.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "tests/support/seed_scenario.h"

#define NIRO         13 /* IROs holding cases (13.06 FTE before December) */
#define MAX_REVIEWS  16
#define MAX_RCPC     12
#define MAX_FAMILY   6
#define REPEATS      156 /* the report's repeat plans */
#define MAX_DUAL     64  /* children who come into care from a plan */
#define CONTENT_SEED UINT64_C(0x2019202000a11ce5)

/* ---- the scenario being built ---- */

struct person {
	char id[12];
	int32_t dob;
	int iro;                    /* latest allocation; -1: none */
	int32_t lac_start, lac_end; /* DAY_NONE: never in care */
	bool short_breaks;
	bool quick;               /* in care for days only (no review) */
	int plans;                /* child protection plans so far */
	int32_t cp_start, cp_end; /* the latest plan; DAY_NONE: none */
};

/* Exact counts, shuffled, dealt one card at a time. */
struct deck {
	const char *name;
	unsigned char *card;
	size_t n, next;
};

struct scenario {
	uint64_t rng;
	int err;
	int32_t fy_from, fy_to; /* fy2019 */
	int32_t judged;         /* "today" for the deadline KPIs */
	struct seed_tally *t;

	char **line;
	size_t nline, capline;
	unsigned next_event, next_child, next_meeting, next_alert;
	struct person **people;
	size_t npeople, cappeople;
	int next_iro;

	/* lac.pep: older children in care, the 5-15s spread among them */
	long older_seen, older_total, pep_quota;
	long older_in_band, older_over;
	int retract_left;
	unsigned reviews_seen, occasions, repeat_slots;
	/* the repeat plans still to place (cp.repeat_plans table) */
	unsigned char repeat_age[REPEATS], repeat_since[REPEATS];
	size_t nrepeat, next_repeat;
	/* who later functions pick from */
	size_t lac_all_year_from, lac_all_year_to;
	size_t cp_all_year_from, cp_all_year_to;
	struct person *dual[MAX_DUAL];
	int32_t dual_day[MAX_DUAL];
	size_t ndual;

	struct deck pn, sw, perm2, perm_later, record, decisions;
	struct deck category, parents, crecord, shared, stood_down;
};

static void fail(struct scenario *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct scenario *sc, const char *fmt, ...)
{
	va_list ap;

	if (sc->err != 0)
		return;
	fprintf(stderr, "seed_scenario: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	sc->err = IRK_EINVAL;
}

/* xorshift64*: small and the same everywhere. */
static uint64_t
next64(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* 0..n-1 */
static int
rnd(struct scenario *sc, int n)
{
	return n <= 1 ? 0 : (int)(next64(&sc->rng) % (uint64_t)n);
}

/* Bresenham: is the j-th of total items one of the `want` picked? */
static bool
spread(long j, long want, long total)
{
	return total > 0 && (j + 1) * want / total > j * want / total;
}

/* ---- dates: this file's own calendar ---- */

static int32_t
ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/*
 * KPIS.md, "Months": the same day of the month n months on, clamped to the
 * last day of a shorter month.  Written out here rather than taken from
 * domain/date.c, so that the test reads the rule twice.
 */
static int32_t
add_m(int32_t day, int months)
{
	static const int days_in[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, m, d, last;
	long index;

	date_to_ymd(day, &y, &m, &d);
	index = (long)y * 12 + (m - 1) + months;
	y = (int)(index / 12);
	m = (int)(index % 12) + 1;
	last = days_in[m - 1] +
	       (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
	return ymd(y, m, d < last ? d : last);
}

static bool
in_fy(const struct scenario *sc, int32_t day)
{
	return day >= sc->fy_from && day <= sc->fy_to;
}

/* England and Wales bank holidays of the years whose working days the
 * scenario counts (2020's early May holiday moved to Friday 8 May). */
static const short bank_holidays[][3] = {
	{ 2018, 1, 1 },
	{ 2018, 3, 30 },
	{ 2018, 4, 2 },
	{ 2018, 5, 7 },
	{ 2018, 5, 28 },
	{ 2018, 8, 27 },
	{ 2018, 12, 25 },
	{ 2018, 12, 26 },
	{ 2019, 1, 1 },
	{ 2019, 4, 19 },
	{ 2019, 4, 22 },
	{ 2019, 5, 6 },
	{ 2019, 5, 27 },
	{ 2019, 8, 26 },
	{ 2019, 12, 25 },
	{ 2019, 12, 26 },
	{ 2020, 1, 1 },
	{ 2020, 4, 10 },
	{ 2020, 4, 13 },
	{ 2020, 5, 8 },
	{ 2020, 5, 25 },
	{ 2020, 8, 31 },
	{ 2020, 12, 25 },
	{ 2020, 12, 28 },
};

static bool
workday(int32_t day)
{
	size_t i;

	if (date_weekday(day) >= 5)
		return false;
	for (i = 0; i < NITEMS(bank_holidays); i++)
		if (day == ymd(bank_holidays[i][0], bank_holidays[i][1],
			       bank_holidays[i][2]))
			return false;
	return true;
}

/* The nth working day after day (n > 0) or before it (n < 0). */
static int32_t
add_wd(int32_t day, int n)
{
	int step = n < 0 ? -1 : 1;

	while (n != 0) {
		day += step;
		if (workday(day))
			n -= step;
	}
	return day;
}

static int32_t
workday_before(int32_t day) /* on or before */
{
	while (!workday(day))
		day--;
	return day;
}

static int32_t
workday_after(int32_t day) /* on or after */
{
	while (!workday(day))
		day++;
	return day;
}

struct dstr {
	char s[DATE_STRLEN];
};

/* "YYYY-MM-DD" by value, so that several fit in one printf. */
static struct dstr
ds(int32_t day)
{
	struct dstr d;

	date_format(day, d.s);
	return d;
}

/* ---- decks ---- */

static void
deal(struct scenario *sc, struct deck *dk, const char *name,
    const unsigned *count, size_t nvals)
{
	size_t i, j, n = 0;
	unsigned char c;

	for (i = 0; i < nvals; i++)
		n += count[i];
	dk->name = name;
	dk->n = n;
	dk->next = 0;
	if ((dk->card = malloc(n > 0 ? n : 1)) == NULL) {
		sc->err = IRK_ENOMEM;
		dk->n = 0;
		return;
	}
	for (i = 0, n = 0; i < nvals; i++)
		for (j = 0; j < count[i]; j++)
			dk->card[n++] = (unsigned char)i;
	for (i = n; i > 1; i--) {
		j = (size_t)rnd(sc, (int)i);
		c = dk->card[i - 1];
		dk->card[i - 1] = dk->card[j];
		dk->card[j] = c;
	}
}

static int
draw(struct scenario *sc, struct deck *dk)
{
	if (dk->next >= dk->n) {
		fail(sc, "deck %s: more drawn than its %zu cards", dk->name,
		    dk->n);
		return 0;
	}
	return dk->card[dk->next++];
}

static void
deck_done(struct scenario *sc, struct deck *dk)
{
	if (dk->next != dk->n)
		fail(sc, "deck %s: %zu of %zu cards dealt", dk->name, dk->next,
		    dk->n);
	free(dk->card);
	dk->card = NULL;
}

/* ---- event lines and people ---- */

static void
push_line(struct scenario *sc, const char *s)
{
	char **v;
	size_t cap;

	if (sc->err == IRK_ENOMEM)
		return;
	if (sc->nline == sc->capline) {
		cap = sc->capline ? sc->capline * 2 : 4096;
		if ((v = realloc(sc->line, cap * sizeof(*v))) == NULL) {
			sc->err = IRK_ENOMEM;
			return;
		}
		sc->line = v;
		sc->capline = cap;
	}
	if ((sc->line[sc->nline] = strdup(s)) == NULL) {
		sc->err = IRK_ENOMEM;
		return;
	}
	sc->nline++;
}

/*
 * One event: the envelope with `at` as given, then the body fields fmt
 * formats (each starting with a comma).  Returns the event's number, which
 * names it "sd-NNNNNN".
 */
static unsigned ev_at(struct scenario *sc, const char *type, const char *at,
    const struct person *p, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static unsigned
ev_at(struct scenario *sc, const char *type, const char *at,
    const struct person *p, const char *fmt, ...)
{
	char body[768], line[1024];
	unsigned id = ++sc->next_event;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (p != NULL)
		snprintf(line, sizeof(line),
		    "{\"id\":\"sd-%06u\",\"type\":\"%s\",\"at\":\"%s\","
		    "\"child\":\"%s\"%s}",
		    id, type, at, p->id, body);
	else
		snprintf(line, sizeof(line),
		    "{\"id\":\"sd-%06u\",\"type\":\"%s\",\"at\":\"%s\"%s}", id,
		    type, at, body);
	push_line(sc, line);
	return id;
}

/* An event on a business date. */
#define EV(sc, type, day, p, ...) ev_at(sc, type, ds(day).s, p, __VA_ARGS__)

static const char *
iro_name(int iro, char buf[8])
{
	snprintf(buf, 8, "IRO%02d", (iro + 1) % 100);
	return buf;
}

/*
 * A new child, registered on `at` with a date of birth; about one in five
 * is sent as "YYYY-MM" when the birthday is the 1st (KPIS.md, "Age").
 */
static struct person *
person_new(struct scenario *sc, int32_t dob, int32_t at)
{
	static const char *const gender[] = { "F", "M", "M", "F", "U" };
	struct person *p, **v;
	size_t cap;
	int y, m, d;

	if (sc->npeople == sc->cappeople) {
		cap = sc->cappeople ? sc->cappeople * 2 : 1024;
		if ((v = realloc(sc->people, cap * sizeof(*v))) == NULL) {
			sc->err = IRK_ENOMEM;
			return NULL;
		}
		sc->people = v;
		sc->cappeople = cap;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		sc->err = IRK_ENOMEM;
		return NULL;
	}
	sc->people[sc->npeople++] = p;
	snprintf(p->id, sizeof(p->id), "C%07u", 4100000 + ++sc->next_child);
	p->dob = dob;
	p->iro = -1;
	p->lac_start = p->lac_end = DAY_NONE;
	p->cp_start = p->cp_end = DAY_NONE;
	date_to_ymd(dob, &y, &m, &d);
	if (d == 1 && sc->next_child % 2 == 0)
		EV(sc, "child.registered", at, p,
		    ",\"dob\":\"%04d-%02d\",\"gender\":\"%s\"", y, m,
		    gender[sc->next_child % 5]);
	else
		EV(sc, "child.registered", at, p,
		    ",\"dob\":\"%s\",\"gender\":\"%s\"", ds(dob).s,
		    gender[sc->next_child % 5]);
	return p;
}

static void
allocate(struct scenario *sc, struct person *p, int32_t day, int iro)
{
	char name[8];

	p->iro = iro;
	EV(sc, "iro.allocated", day, p, ",\"iro\":\"%s\"",
	    iro_name(iro, name));
}

/* IROs take families in turn. */
static int
next_iro(struct scenario *sc)
{
	return sc->next_iro++ % NIRO;
}

/* A random day in from..to, moved to a working day on or after it. */
static int32_t
some_workday(struct scenario *sc, int32_t from, int32_t to)
{
	return workday_after(from + rnd(sc, to - from + 1));
}

/* ---- children in care: reviews ---- */

/* A looked-after episode as planned: its start, end and reviews. */
struct lac_case {
	int32_t start, end; /* end DAY_NEVER while in care */
	const char *legal_status, *end_reason;
	int n;
	int32_t review[MAX_REVIEWS];
	bool late[MAX_REVIEWS]; /* meant to be after its due date */
	const char *late_reason[MAX_REVIEWS];
};

static void
lac_add(struct scenario *sc, struct lac_case *lc, int32_t day, bool late,
    const char *reason)
{
	if (lc->n == MAX_REVIEWS) {
		fail(sc, "more than %d reviews in one episode", MAX_REVIEWS);
		return;
	}
	lc->review[lc->n] = day;
	lc->late[lc->n] = late;
	lc->late_reason[lc->n] = reason;
	lc->n++;
}

/* lac.review_timeliness: due date of review `number` after `prev` (the
 * episode's start for the first). */
static int32_t
lac_due(int number, int32_t prev)
{
	if (number == 1)
		return add_wd(prev, 20);
	return add_m(prev, number == 2 ? 3 : 6);
}

/*
 * The history of a child in care since before the year, up to `last`, the
 * review before the year's first: m six-monthly reviews ending on `last`,
 * before them the second (3 months after the first) and the first (two
 * weeks after the episode started), all in time.  Fewer reviews when the
 * youngest child of the group was born too late for m.
 */
static void
lac_history(struct scenario *sc, struct lac_case *lc, int32_t last, int m,
    int32_t youngest_dob)
{
	int32_t h[MAX_REVIEWS], r1, r2, start;
	int j;

	for (;;) {
		h[0] = last;
		for (j = 1; j < m; j++)
			h[j] = workday_before(add_m(h[j - 1], -6) + 6);
		r2 = workday_before(add_m(h[m - 1], -6) + 6);
		r1 = workday_before(add_m(r2, -3) + 6);
		start = r1 - 14;
		if (start >= youngest_dob + 7 || m == 1)
			break;
		m--;
	}
	if (start < youngest_dob)
		fail(sc, "in care on %s before being born on %s", ds(start).s,
		    ds(youngest_dob).s);
	lc->start = start;
	lac_add(sc, lc, r1, false, NULL);
	lac_add(sc, lc, r2, false, NULL);
	for (j = m - 1; j >= 0; j--)
		lac_add(sc, lc, h[j], false, NULL);
}

/* sw_report_at kinds (lac.sw_report_24h), in the deck's order. */
enum {
	SW_DAYS_BEFORE, /* a date 1-5 days before: counted */
	SW_28H_BEFORE,  /* date-times, 28 hours before: counted */
	SW_SAME_DAY,    /* the review's date: not before */
	SW_NEVER,       /* null: never received */
	SW_AFTER,       /* after the review */
	SW_20H_BEFORE,  /* date-times, the day before but 20 hours: not */
};

/* review.record_uploaded and review.decisions_uploaded of one review. */
static void
lac_uploads(struct scenario *sc, const struct person *p, int32_t day)
{
	struct seed_tally *t = sc->t;
	int32_t up;
	int kind;

	/* lac.record_20wd */
	t->lac_record_den++;
	kind = draw(sc, &sc->record);
	if (kind == 0) {
		t->lac_record_met++;
		up = add_wd(
		    day, t->lac_record_met % 25 == 0 ? 20 : 1 + rnd(sc, 20));
		EV(sc, "review.record_uploaded", up, p,
		    ",\"review_at\":\"%s\"", ds(day).s);
		if (t->lac_record_met % 40 == 0) /* the earliest counts */
			EV(sc, "review.record_uploaded", add_wd(day, 30), p,
			    ",\"review_at\":\"%s\"", ds(day).s);
	} else if (kind == 1)
		EV(sc, "review.record_uploaded", add_wd(day, 21 + rnd(sc, 15)),
		    p, ",\"review_at\":\"%s\"", ds(day).s);
	/* lac.decisions_5wd */
	t->lac_decisions_den++;
	kind = draw(sc, &sc->decisions);
	if (kind == 0) {
		t->lac_decisions_met++;
		up = add_wd(
		    day, t->lac_decisions_met % 30 == 0 ? 5 : rnd(sc, 6));
		EV(sc, "review.decisions_uploaded", up, p,
		    ",\"review_at\":\"%s\"", ds(day).s);
	} else if (kind == 1)
		EV(sc, "review.decisions_uploaded",
		    add_wd(day, 6 + rnd(sc, 10)), p, ",\"review_at\":\"%s\"",
		    ds(day).s);
}

/*
 * One child's review r of the case: its participation code, social work
 * report and permanence plan, dealt from the report's decks for the
 * year's reviews; counted into the tally when in the year.
 */
static void
lac_review(struct scenario *sc, const struct person *p,
    const struct lac_case *lc, int r, bool late, unsigned meeting, bool sb)
{
	struct seed_tally *t = sc->t;
	int32_t day = lc->review[r];
	int number = r + 1, pn = 1, sw = SW_DAYS_BEFORE, i;
	bool year = !sb && in_fy(sc, day), permanence = number >= 3;
	char at[32], swat[40], extra[128], iro[8];
	unsigned wrong;

	if (date_age_years(p->dob, day) < 4)
		pn = 0;
	else if (year)
		pn = 1 + draw(sc, &sc->pn);
	if (year) {
		sw = draw(sc, &sc->sw);
		if (number == 2)
			permanence = draw(sc, &sc->perm2) == 0;
		else if (number >= 3)
			permanence = draw(sc, &sc->perm_later) == 0;
	}
	snprintf(at, sizeof(at), "%s", ds(day).s);
	switch (sw) {
	case SW_DAYS_BEFORE:
		snprintf(
		    swat, sizeof(swat), "\"%s\"", ds(day - 1 - rnd(sc, 5)).s);
		break;
	case SW_28H_BEFORE:
		snprintf(at, sizeof(at), "%sT10:00:00Z", ds(day).s);
		snprintf(
		    swat, sizeof(swat), "\"%sT06:00:00Z\"", ds(day - 1).s);
		break;
	case SW_SAME_DAY:
		snprintf(swat, sizeof(swat), "\"%s\"", ds(day).s);
		break;
	case SW_NEVER:
		snprintf(swat, sizeof(swat), "null");
		break;
	case SW_AFTER:
		snprintf(
		    swat, sizeof(swat), "\"%s\"", ds(day + 1 + rnd(sc, 3)).s);
		break;
	default: /* SW_20H_BEFORE */
		snprintf(at, sizeof(at), "%sT10:00:00Z", ds(day).s);
		snprintf(
		    swat, sizeof(swat), "\"%sT14:00:00Z\"", ds(day - 1).s);
		break;
	}
	extra[0] = '\0';
	i = 0;
	if (meeting != 0)
		i = snprintf(
		    extra, sizeof(extra), ",\"meeting\":\"MTG%05u\"", meeting);
	if (late && lc->late_reason[r] != NULL)
		snprintf(extra + i, sizeof(extra) - (size_t)i,
		    ",\"late_reason\":\"%s\"", lc->late_reason[r]);
	iro_name(p->iro >= 0 ? p->iro : 0, iro);

	/* A few reviews are first entered with the wrong date, then
	 * retracted and entered again (EVENTS.md, "Corrections"). */
	if (year && meeting == 0 && sc->retract_left > 0 &&
	    ++sc->reviews_seen % 200 == 0) {
		wrong = EV(sc, "review.held", day + 7, p,
		    ",\"iro\":\"%s\",\"participation\":\"PN%d\","
		    "\"sw_report_at\":null,\"permanence_plan\":false",
		    iro, pn);
		EV(sc, "event.retracted", day + 9, p,
		    ",\"target\":\"sd-%06u\"", wrong);
		sc->retract_left--;
		t->retracted++;
	}
	ev_at(sc, "review.held", at, p,
	    ",\"iro\":\"%s\",\"participation\":\"PN%d\",\"sw_report_at\":%s,"
	    "\"permanence_plan\":%s%s",
	    iro, pn, swat, permanence ? "true" : "false", extra);
	if (!year)
		return;
	t->lac_reviews++;
	if (!late)
		t->lac_reviews_timely++;
	else if (number == 1)
		t->lac_late_first++;
	else if (number == 2)
		t->lac_late_second++;
	else
		t->lac_late_later++;
	if (late) {
		const char *why = lc->late_reason[r];

		if (why == NULL)
			t->lac_late_unknown++;
		else if (strcmp(why, "not_notified") == 0)
			t->lac_late_not_notified++;
		else if (strcmp(why, "family_rearranged") == 0)
			t->lac_late_family++;
		else
			t->lac_late_iro++;
	}
	t->lac_pn[pn]++;
	if (sw == SW_DAYS_BEFORE || sw == SW_28H_BEFORE)
		t->lac_sw_24h++;
	if (number == 2) {
		t->lac_second++;
		t->lac_second_permanence += permanence;
	} else if (number >= 3) {
		t->lac_later++;
		t->lac_later_permanence += permanence;
	}
	lac_uploads(sc, p, day);
}

/* lac.review_timeliness "outstanding": due in the year while in care and
 * not held by its end. */
static void
lac_outstanding(struct scenario *sc, int32_t due, int32_t held, int32_t end)
{
	if (in_fy(sc, due) && held > sc->fy_to && end > due)
		sc->t->lac_outstanding++;
}

/*
 * Write the case for the k children of a group (siblings reviewed together
 * share a meeting id), checking that every review is late exactly when
 * meant to be.
 */
static void
lac_emit(struct scenario *sc, struct person *const *kid, int k,
    const struct lac_case *lc)
{
	unsigned meeting[MAX_REVIEWS];
	bool any_late[MAX_REVIEWS];
	bool sb = strcmp(lc->legal_status, "V3") == 0 ||
		  strcmp(lc->legal_status, "V4") == 0;
	int32_t due, day;
	int i, r;

	for (r = 0; r < lc->n; r++) {
		meeting[r] = k > 1 ? ++sc->next_meeting : 0;
		any_late[r] = false;
	}
	for (i = 0; i < k; i++) {
		struct person *p = kid[i];

		p->lac_start = lc->start;
		p->lac_end = lc->end;
		p->short_breaks = sb;
		if (!sb && p->iro < 0)
			allocate(sc, p, lc->start, next_iro(sc));
		else if (!sb) /* already known: keeps the same IRO */
			allocate(sc, p, lc->start, p->iro);
		EV(sc, "lac.started", lc->start, p, ",\"legal_status\":\"%s\"",
		    lc->legal_status);
		due = lac_due(1, lc->start);
		for (r = 0; r < lc->n; r++) {
			day = lc->review[r];
			if (!sb && (day > due) != lc->late[r])
				fail(sc,
				    "%s review %d on %s: due %s, meant %s",
				    p->id, r + 1, ds(day).s, ds(due).s,
				    lc->late[r] ? "late" : "in time");
			if (!sb)
				lac_outstanding(sc, due, day, lc->end);
			lac_review(sc, p, lc, r, day > due, meeting[r], sb);
			any_late[r] = any_late[r] || day > due;
			due = lac_due(r + 2, day);
		}
		if (!sb)
			lac_outstanding(sc, due, DAY_NEVER, lc->end);
		if (lc->end != DAY_NEVER)
			EV(sc, "lac.ended", lc->end, p, ",\"reason\":\"%s\"",
			    lc->end_reason);
	}
	if (sb)
		return;
	/* lac.review_timeliness counts a meeting of siblings once, in time
	 * only when every child's review in it was. */
	for (r = 0; r < lc->n; r++) {
		if (!in_fy(sc, lc->review[r]))
			continue;
		sc->t->lac_meetings++;
		if (!any_late[r])
			sc->t->lac_meetings_timely++;
	}
}

/* A looked-after episode from nothing: legal status, open, no reviews. */
static void
lac_case_open(struct lac_case *lc, const char *legal_status)
{
	memset(lc, 0, sizeof(*lc));
	lc->legal_status = legal_status;
	lc->end = DAY_NEVER;
}

/* One child alone in its case: registered when the episode starts. */
static struct person *
lac_alone(struct scenario *sc, int32_t dob, const struct lac_case *lc)
{
	struct person *kid = person_new(sc, dob, lc->start);

	if (sc->err == 0)
		lac_emit(sc, &kid, 1, lc);
	return kid;
}

/* ---- children in care: who they are ---- */

/*
 * Children in care in 2019-20 (the report's figures), with their reviews
 * in the year:
 *
 *                              children  first second later meetings late
 *   all year, three reviews        322                 966     681
 *   all year, two reviews           77                 154     148  10
 *   one review, then left          125                 125     125
 *   came in last winter             60           60     60     120   5
 *   came in April-May               40     40    40     40     120
 *   came in June-November           70     70    70            140   3
 *   came in, two reviews, left      30     30    30             60   2
 *   came in December-February       36     36                   36   3
 *   in care for days only           31
 *   from a plan, March 2020         37
 *   short breaks (count nowhere)     5
 *
 * Reviews 176 + 200 + 1345 = 1721 in 1430 meetings, 23 late (8 of them
 * first reviews): 1407 in time, 98.4%.  In care on 31 March 2019: 322 + 77
 * + 125 + 60 = 584; on 31 March 2020: 322 + 77 + 60 + 40 + 70 + 36 + 37 =
 * 642, of whom 322 + 77 + 60 = 459 for 12 months or more.  PN0 (under 4):
 * 80 x 3 + 20 x 2 + 20 x 2 + 10 x 3 + 20 x 2 + 14 = 404 reviews, and the
 * other 1317 are dealt the PN1-PN7 table.
 */

/* Under 4 at every review of the year: born April 2016 - June 2017. */
static int32_t
dob_under4(struct scenario *sc)
{
	return ymd(2016, 4, 1) + rnd(sc, 455);
}

/*
 * An older child in care, 4 or more at every review of the year: 5-15 on 31
 * March 2020 (lac.pep) for pep_quota of the older_total, spread evenly,
 * else 16-17.  The first of each kind sits on the edge of its band.
 */
static int32_t
dob_older(struct scenario *sc)
{
	long j = sc->older_seen++;

	if (spread(j, sc->pep_quota, sc->older_total)) {
		if (sc->older_in_band++ == 0)
			return ymd(2004, 4, 1); /* 15 on 31 March 2020 */
		if (sc->older_in_band == 2)
			return ymd(2015, 3, 31); /* 5 that day */
		return ymd(2004, 4, 2) + rnd(sc, 3995);
	}
	if (sc->older_over++ == 0)
		return ymd(2004, 3, 31); /* 16 on 31 March 2020 */
	return ymd(2002, 4, 1) + rnd(sc, 730);
}

/*
 * In care all year, three reviews in it, four months apart (the IRO
 * brought them forward after a change of placement or plan): 322 children,
 * 20 sibling triples and 55 pairs each reviewed in one meeting, 152 alone.
 * 80 are under 4 (one of each triple, of the first 40 pairs and 20 alone).
 * 966 later reviews in 966 - 2x3x20 - 3x55 = 681 meetings, all in time.
 */
static void
lac_three_reviews(struct scenario *sc)
{
	struct person *kid[3];
	struct lac_case lc;
	int32_t dob[3], x, y, z, youngest;
	int g, i, k;

	sc->lac_all_year_from = sc->npeople;
	for (g = 0; g < 20 + 55 + 152; g++) {
		k = g < 20 ? 3 : g < 75 ? 2 : 1;
		youngest = DAY_NONE;
		for (i = 0; i < k; i++) {
			bool u4 = i == 0 && (g < 60 || (g >= 75 && g < 95));

			dob[i] = u4 ? dob_under4(sc) : dob_older(sc);
			if (dob[i] > youngest)
				youngest = dob[i];
		}
		lac_case_open(&lc, g % 3 == 0 ? "C2" : "C1");
		x = some_workday(sc, ymd(2019, 4, 2), ymd(2019, 7, 20));
		y = workday_before(add_m(x, 4));
		z = workday_before(add_m(y, 4));
		lac_history(sc, &lc, workday_before(add_m(x, -5)),
		    1 + rnd(sc, 4), youngest);
		lac_add(sc, &lc, x, false, NULL);
		lac_add(sc, &lc, y, false, NULL);
		lac_add(sc, &lc, z, false, NULL);
		for (i = 0; i < k; i++)
			kid[i] = person_new(sc, dob[i], lc.start);
		if (sc->err == 0)
			lac_emit(sc, kid, k, &lc);
	}
	sc->lac_all_year_to = sc->npeople;
}

/*
 * In care all year, two reviews in it six months apart: 77 children, 3
 * sibling pairs and 71 alone, 20 of them under 4 (154 later reviews in
 * 148 meetings).  Of those alone, 10 had a review late (the report's 23
 * out-of-date reviews: these are 10 of the 15 later ones; reasons: 1
 * family rearranged, 5 IRO unavailable, 4 not logged), and 2 had their
 * next review due in March 2020 and held in April: outstanding.  One is
 * reviewed on 30 April 2019, due that day as 31 October + 6 months.
 */
static void
lac_two_reviews(struct scenario *sc)
{
	struct person *kid[2];
	struct lac_case lc;
	int32_t dob[2], x, y, last;
	int g, i, k;

	for (g = 0; g < 3 + 71; g++) {
		k = g < 3 ? 2 : 1;
		for (i = 0; i < k; i++)
			dob[i] =
			    g >= 15 && g < 35 ? dob_under4(sc) : dob_older(sc);
		lac_case_open(&lc, "C2");
		if (g == 3 || g == 4) { /* outstanding on 31 March 2020 */
			x = ymd(2019, 4, 10) + (g - 3);
			y = ymd(2019, 9, 20) - (g - 3);
			lac_history(sc, &lc, workday_before(add_m(x, -6) + 6),
			    2, dob[0]);
			lac_add(sc, &lc, x, false, NULL);
			lac_add(sc, &lc, y, false, NULL);
			lac_add(sc, &lc, ymd(2020, 4, 3) - (g - 3), true,
			    "iro_unavailable");
		} else if (g >= 5 && g < 15) { /* one late review */
			last = some_workday(
			    sc, ymd(2018, 10, 15), ymd(2019, 3, 1));
			x = workday_after(add_m(last, 6) + 5 + rnd(sc, 15));
			y = workday_before(add_m(x, 6) - 5);
			lac_history(sc, &lc, last, 1 + rnd(sc, 4), dob[0]);
			lac_add(sc, &lc, x, true,
			    g == 5   ? "family_rearranged"
			    : g < 11 ? "iro_unavailable"
				     : NULL);
			lac_add(sc, &lc, y, false, NULL);
		} else {
			x = some_workday(
			    sc, ymd(2019, 4, 8), ymd(2019, 9, 13));
			last = workday_before(add_m(x, -6) + 6);
			if (g == 35) { /* 31 October + 6 months: 30 April */
				last = ymd(2018, 10, 31);
				x = ymd(2019, 4, 30);
			}
			y = workday_before(add_m(x, 6) - 5);
			lac_history(sc, &lc, last, 1 + rnd(sc, 4),
			    k == 2 ? (dob[0] > dob[1] ? dob[0] : dob[1])
				   : dob[0]);
			lac_add(sc, &lc, x, false, NULL);
			lac_add(sc, &lc, y, false, NULL);
		}
		for (i = 0; i < k; i++)
			kid[i] = person_new(sc, dob[i], lc.start);
		if (sc->err == 0)
			lac_emit(sc, kid, k, &lc);
	}
}

/*
 * In care at the start of the year, one review in it (April-September),
 * then left before the next was due: 125 children, 40 of them on their
 * 18th birthday.  125 later reviews, in time.
 */
static void
lac_left_in_year(struct scenario *sc)
{
	static const char *const reasons[] = { "returned_home", "sgo",
		"adoption" };
	struct lac_case lc;
	int32_t dob, x, leave, latest;
	int g;

	for (g = 0; g < 125; g++) {
		lac_case_open(&lc, "C2");
		x = some_workday(sc, ymd(2019, 4, 2), ymd(2019, 9, 18));
		latest = add_m(x, 6) - 1;
		if (latest > sc->fy_to)
			latest = sc->fy_to;
		leave = x + 30 + rnd(sc, latest - x - 30);
		if (g < 40) {
			dob = add_m(leave, -18 * 12);
			lc.end_reason = "age_18";
		} else {
			dob = dob_older(sc);
			lc.end_reason = reasons[g % 3];
		}
		lc.end = leave;
		lac_history(sc, &lc, workday_before(add_m(x, -6) + 6),
		    1 + rnd(sc, 4), dob);
		lac_add(sc, &lc, x, false, NULL);
		lac_alone(sc, dob, &lc);
	}
}

/*
 * Came into care in January-February 2019: the first review before the
 * year, the second (April-June) and third (October-December) in it.  60
 * children, 20 under 4; 5 second reviews late ("family_rearranged"), one
 * of them on 1 May after a first review on 31 January (due 30 April).
 */
static void
lac_came_in_last_winter(struct scenario *sc)
{
	struct lac_case lc;
	int32_t dob, r1, r2;
	bool late;
	int g;

	for (g = 0; g < 60; g++) {
		late = g < 5;
		dob = g >= 5 && g < 25 ? dob_under4(sc) : dob_older(sc);
		lac_case_open(&lc, "C1");
		lc.start =
		    some_workday(sc, ymd(2019, 1, 14), ymd(2019, 2, 25));
		r1 = workday_before(lc.start + 14);
		r2 = late ? workday_after(add_m(r1, 3) + 7 + rnd(sc, 8))
			  : workday_before(add_m(r1, 3) - 4 - rnd(sc, 10));
		if (g == 0) { /* 31 January + 3 months is 30 April */
			lc.start = ymd(2019, 1, 17);
			r1 = ymd(2019, 1, 31);
			r2 = ymd(2019, 5, 1);
		}
		lac_add(sc, &lc, r1, false, NULL);
		lac_add(sc, &lc, r2, late, late ? "family_rearranged" : NULL);
		lac_add(sc, &lc, workday_before(add_m(r2, 6) - rnd(sc, 10)),
		    false, NULL);
		lac_alone(sc, dob, &lc);
	}
}

/* The first review: within 20 working days, or meant late by `late`
 * working days (KPIS.md lac.review_timeliness). */
static int32_t
first_review(struct scenario *sc, int32_t start, int late)
{
	if (late > 0)
		return add_wd(start, 20 + late);
	return add_wd(start, 10 + rnd(sc, 11));
}

/*
 * Came into care during the year (the report's "28 Day reviews" are their
 * first reviews; 8 of its 23 late reviews were first reviews of children the
 * unit had not been told were looked after: late_reason "not_notified").
 *
 * April-May, three reviews: 40 children, 10 under 4; the first child's
 * first review on its 20th working day, in time.
 */
static void
lac_came_in_spring(struct scenario *sc)
{
	struct lac_case lc;
	int32_t r1, r2;
	int i;

	for (i = 0; i < 40 && sc->err == 0; i++) {
		lac_case_open(&lc, i % 4 == 0 ? "V2" : "C1");
		lc.start = some_workday(sc, ymd(2019, 4, 8), ymd(2019, 5, 28));
		r1 = i == 0 ? add_wd(lc.start, 20)
			    : first_review(sc, lc.start, 0);
		r2 = workday_before(add_m(r1, 3) - 4 - rnd(sc, 10));
		lac_add(sc, &lc, r1, false, NULL);
		lac_add(sc, &lc, r2, false, NULL);
		lac_add(sc, &lc,
		    workday_before(add_m(r2, 6) - 4 - rnd(sc, 20)), false,
		    NULL);
		lac_alone(sc, i < 10 ? dob_under4(sc) : dob_older(sc), &lc);
	}
}

/*
 * Mid June-November, two reviews (the second from October, so the third is
 * due after the year): 70 children, 20 under 4; 3 first reviews late.
 */
static void
lac_came_in_summer(struct scenario *sc)
{
	struct lac_case lc;
	int32_t r1;
	int i, late;

	for (i = 0; i < 70 && sc->err == 0; i++) {
		late = i < 3 ? 1 + rnd(sc, 5) : 0;
		lac_case_open(&lc, "C1");
		lc.start =
		    late
			? some_workday(sc, ymd(2019, 7, 1), ymd(2019, 10, 31))
			: some_workday(sc, ymd(2019, 6, 24), ymd(2019, 12, 1));
		r1 = first_review(sc, lc.start, late);
		lac_add(sc, &lc, r1, late > 0, late ? "not_notified" : NULL);
		lac_add(sc, &lc, workday_before(add_m(r1, 3) - 4 - rnd(sc, 3)),
		    false, NULL);
		lac_alone(sc,
		    i >= 3 && i < 23 ? dob_under4(sc) : dob_older(sc), &lc);
	}
}

/* May-September, two reviews, then home before the third was due: 30
 * children; 2 first reviews late. */
static void
lac_came_in_and_went_home(struct scenario *sc)
{
	struct lac_case lc;
	int32_t r1, r2, leave;
	int i, late;

	for (i = 0; i < 30 && sc->err == 0; i++) {
		late = i < 2 ? 2 + rnd(sc, 4) : 0;
		lac_case_open(&lc, "C1");
		lc.start = some_workday(sc, ymd(2019, 5, 1), ymd(2019, 9, 27));
		r1 = first_review(sc, lc.start, late);
		r2 = workday_before(add_m(r1, 3) - 4 - rnd(sc, 10));
		lac_add(sc, &lc, r1, late > 0, late ? "not_notified" : NULL);
		lac_add(sc, &lc, r2, false, NULL);
		leave = r2 + 30 + rnd(sc, 60);
		lc.end = leave < ymd(2020, 3, 27) ? leave : ymd(2020, 3, 27);
		lc.end_reason = "returned_home";
		lac_alone(sc, dob_older(sc), &lc);
	}
}

/*
 * Mid December-February, one review (the second due after the year): 36
 * children, 14 under 4; 3 first reviews late.  Two came in on 16 December,
 * so that their 20 working days run across Christmas: one reviewed on the
 * 20th (16 January), one on the 21st (late).
 */
static void
lac_came_in_winter(struct scenario *sc)
{
	struct lac_case lc;
	int32_t r1;
	int i, late;

	for (i = 0; i < 36 && sc->err == 0; i++) {
		late = i < 3 ? (i == 0 ? 1 : 2 + rnd(sc, 3)) : 0;
		lac_case_open(&lc, "C1");
		if (i == 0 || i == 3)
			lc.start = ymd(2019, 12, 16);
		else
			lc.start = some_workday(sc, ymd(2019, 12, 16),
			    late ? ymd(2020, 1, 24) : ymd(2020, 2, 24));
		r1 = i == 3 ? add_wd(lc.start, 20)
			    : first_review(sc, lc.start, late);
		lac_add(sc, &lc, r1, late > 0, late ? "not_notified" : NULL);
		lac_alone(sc,
		    i >= 3 && i < 17 ? dob_under4(sc) : dob_older(sc), &lc);
	}
}

/* In care for days only, gone before a first review was due: 31 children,
 * one of them from 19 to 31 March 2020 (so not in care on the 31st). */
static void
lac_days_only(struct scenario *sc)
{
	struct person *kid;
	struct lac_case lc;
	int i;

	for (i = 0; i < 30 && sc->err == 0; i++) {
		lac_case_open(&lc, "C1");
		lc.start =
		    some_workday(sc, ymd(2019, 4, 15), ymd(2020, 2, 14));
		lc.end = lc.start + 3 + rnd(sc, 14);
		if (i == 0) {
			lc.start = ymd(2020, 3, 19);
			lc.end = ymd(2020, 3, 31);
		}
		lc.end_reason = "returned_home";
		if ((kid = lac_alone(sc, dob_older(sc), &lc)) != NULL)
			kid->quick = true;
	}
	/* And one born on 1 April 2015: 4 on 31 March 2020, a day short of
	 * lac.pep's 5-15. */
	lac_case_open(&lc, "C1");
	lc.start = ymd(2019, 6, 3);
	lc.end = ymd(2019, 6, 14);
	lc.end_reason = "returned_home";
	if (sc->err == 0 &&
	    (kid = lac_alone(sc, ymd(2015, 4, 1), &lc)) != NULL)
		kid->quick = true;
}

/*
 * Came into care in March 2020 while on a child protection plan (the plan
 * ends at the first review, in April): the 37 children of the families
 * cp_cohort() chose in "S-d autumn open", the last of them on 31 March
 * itself; first reviews due in April.  In care and on a plan on 31 March
 * 2020, they weigh 1.5 in iro.caseload.
 */
static void
lac_came_in_from_cp(struct scenario *sc)
{
	struct lac_case lc;
	size_t i;

	for (i = 0; i < sc->ndual; i++) {
		lac_case_open(&lc, "C1");
		lc.start = sc->dual_day[i];
		lac_emit(sc, &sc->dual[i], 1, &lc);
	}
}

/*
 * Short breaks (legal status V3/V4) count in no LAC KPI: 5 children aged
 * 9 with reviews in the year, one still having breaks on 31 March 2020.
 * They hold no IRO allocation (so iro.caseload does not depend on reading
 * the rule for them).
 */
static void
lac_short_breaks(struct scenario *sc)
{
	struct lac_case lc;
	int g;

	for (g = 0; g < 5; g++) {
		lac_case_open(&lc, g % 2 ? "V4" : "V3");
		lc.start = ymd(2018, 6, 4) + 7 * g;
		lc.end = g < 4 ? ymd(2020, 2, 3) + g : DAY_NEVER;
		lc.end_reason = "breaks_ended";
		lac_add(sc, &lc, ymd(2019, 5, 13) + g, false, NULL);
		lac_add(sc, &lc, ymd(2019, 12, 16) + g, false, NULL);
		lac_alone(sc, ymd(2010, 6, 1) + g, &lc);
	}
}

/* ---- child protection ---- */

/* A family's case as planned: how the plan starts, its review conferences
 * and its end. */
struct cp_case {
	bool transfer_in;
	int32_t strategy; /* DAY_NONE: none (transfer-in, or history) */
	int32_t start;    /* the initial or transfer-in conference */
	bool no_plan;     /* outcome no_plan: no plan starts */
	bool start_late;  /* meant: more than 15 working days after strategy */
	int n;
	int32_t rcpc[MAX_RCPC];
	bool late[MAX_RCPC]; /* meant to be after its due date */
	int32_t end;         /* DAY_NEVER: open */
	const char *end_reason;
};

static void
cp_add(struct scenario *sc, struct cp_case *cc, int32_t day, bool late)
{
	if (cc->n == MAX_RCPC) {
		fail(sc, "more than %d review conferences", MAX_RCPC);
		return;
	}
	cc->rcpc[cc->n] = day;
	cc->late[cc->n] = late;
	cc->n++;
}

/*
 * A plan that started before the year: m review conferences in time up to
 * and including `last`, six months apart, the first three months after the
 * start (KPIS.md cp.rcpc_timeliness).
 */
static void
cp_history(struct scenario *sc, struct cp_case *cc, int32_t last, int m)
{
	int32_t h[MAX_RCPC];
	int j;

	h[0] = last;
	for (j = 1; j < m; j++)
		h[j] = workday_before(add_m(h[j - 1], -6) + 6);
	cc->start = workday_before(add_m(h[m - 1], -3) + 6);
	cc->strategy = cc->start - 14;
	for (j = m - 1; j >= 0; j--)
		cp_add(sc, cc, h[j], false);
}

/* Report to parents kinds (cp.report_to_parents), in the deck's order. */
enum { PARENTS_IN_TIME, PARENTS_ON_DAY, PARENTS_NEVER, PARENTS_AFTER };

/*
 * One child's conference: the report to parents and the record (dealt
 * from the decks for the year's conferences), the child's voice, agencies.
 */
static void
cp_conference(struct scenario *sc, const struct person *p, const char *kind,
    int32_t day, const char *outcome, unsigned meeting, int chair,
    const char *late_reason)
{
	struct seed_tally *t = sc->t;
	bool year = in_fy(sc, day), voice = false, advocacy = false;
	bool transfer = strcmp(kind, "transfer_in") == 0;
	bool school, probation, health, school_came;
	int std = strcmp(kind, "initial") == 0 ? 1 : 3, age, kd;
	char parents[16], extra[320], iro[8];
	int32_t at;
	size_t i = 0;

	age = date_age_years(p->dob, day);
	snprintf(parents, sizeof(parents), "\"%s\"", ds(day - 7).s);
	if (year && !transfer) {
		t->cp_parents_den++;
		switch (draw(sc, &sc->parents)) {
		case PARENTS_IN_TIME:
			t->cp_parents_in_time++;
			at =
			    add_wd(day, -std - (t->cp_parents_in_time % 10 == 0
						       ? 0
						       : rnd(sc, 5)));
			snprintf(parents, sizeof(parents), "\"%s\"", ds(at).s);
			break;
		case PARENTS_ON_DAY:
			/* Two came 2 working days before a review conference
			 * instead: before the day, yet after the standard. */
			if (std == 3 && t->cp_parents_late_before < 2 &&
			    t->cp_parents_on_day >=
				100 * (t->cp_parents_late_before + 1)) {
				t->cp_parents_late_before++;
				at = add_wd(day, -2);
			} else {
				t->cp_parents_on_day++;
				at = day;
			}
			snprintf(parents, sizeof(parents), "\"%s\"", ds(at).s);
			break;
		case PARENTS_NEVER:
			t->cp_parents_none++;
			snprintf(parents, sizeof(parents), "null");
			break;
		default:
			t->cp_parents_none++;
			snprintf(parents, sizeof(parents), "\"%s\"",
			    ds(day + 1 + rnd(sc, 3)).s);
			break;
		}
	}
	/* cp.child_voice: 60 attendances, 146 with advocacy, children 8+ */
	if (year && age >= 10 && t->cp_attended < 60 && rnd(sc, 4) == 0) {
		voice = true;
		t->cp_attended++;
	}
	if (year && age >= 8 && t->cp_advocacy < 146 && rnd(sc, 3) == 0) {
		advocacy = true;
		t->cp_advocacy++;
	}
	i += (size_t)snprintf(extra + i, sizeof(extra) - i,
	    ",\"child_attended\":%s,\"advocacy\":%s", voice ? "true" : "false",
	    advocacy ? "true" : "false");
	/* cp.agency_attendance: police and health always asked, school for
	 * school ages, probation now and then; health and school miss some */
	school = age >= 5 && age < 17;
	probation = sc->occasions % 5 == 0;
	health = sc->occasions % 7 != 0;
	school_came = school && sc->occasions % 11 != 0;
	i += (size_t)snprintf(extra + i, sizeof(extra) - i,
	    ",\"agencies_invited\":[\"police\",\"health\"%s%s]"
	    ",\"agencies_attended\":[\"police\"%s%s]",
	    school ? ",\"school\"" : "", probation ? ",\"probation\"" : "",
	    health ? ",\"health\"" : "", school_came ? ",\"school\"" : "");
	if (year) {
		t->cp_agency_invited += 2 + school + probation;
		t->cp_agency_attended += 1 + health + school_came;
	}
	if (meeting != 0)
		i += (size_t)snprintf(extra + i, sizeof(extra) - i,
		    ",\"meeting\":\"MTG%05u\"", meeting);
	if (late_reason != NULL)
		snprintf(extra + i, sizeof(extra) - i,
		    ",\"late_reason\":\"%s\"", late_reason);
	EV(sc, "conference.held", day, p,
	    ",\"kind\":\"%s\",\"iro\":\"%s\",\"outcome\":\"%s\","
	    "\"report_to_parents_at\":%s%s",
	    kind, iro_name(chair, iro), outcome, parents, extra);

	/* cp.record_distribution */
	if (!year) {
		EV(sc, "conference.record_distributed", day + 10, p,
		    ",\"conference_at\":\"%s\"", ds(day).s);
		return;
	}
	t->cp_record_den++;
	kd = draw(sc, &sc->crecord);
	if (kd == 0) {
		t->cp_record_met++;
		at = add_wd(
		    day, t->cp_record_met % 20 == 0 ? 10 : 1 + rnd(sc, 10));
	} else
		at = add_wd(day, 11 + rnd(sc, 10));
	if (kd != 2)
		EV(sc, "conference.record_distributed", at, p,
		    ",\"conference_at\":\"%s\"", ds(day).s);
}

/* cp.repeat_plans: time since the previous plan ended, per KPIS.md. */
static int
since_band(int32_t start, int32_t prev_end)
{
	if (start < add_m(prev_end, 6))
		return 0;
	if (start < add_m(prev_end, 12))
		return 1;
	if (start < add_m(prev_end, 24))
		return 2;
	return 3;
}

/* cp.repeat_plans age bands 1_4, 5_9, 10_15, 16_17 as 0..3; -1 younger. */
static int
age_band(int32_t dob, int32_t day)
{
	int age = date_age_years(dob, day);

	if (age < 1)
		return -1;
	return age < 5 ? 0 : age < 10 ? 1 : age < 16 ? 2 : 3;
}

/* A plan starts for one child: category, repeat, the plan shared. */
static void
cp_plan_start(struct scenario *sc, struct person *p, int32_t day)
{
	static const char *const cats[] = { "neglect", "emotional", "physical",
		"multiple", "sexual" };
	struct seed_tally *t = sc->t;
	bool year = in_fy(sc, day);
	int cat = year ? draw(sc, &sc->category) : rnd(sc, 5), kind, band;
	char prev[32] = "";

	if (p->plans > 0)
		snprintf(
		    prev, sizeof(prev), ",\"previous_plans\":%d", p->plans);
	else if (sc->next_event % 3 == 0)
		snprintf(prev, sizeof(prev), ",\"previous_plans\":0");
	EV(sc, "cp_plan.started", day, p, ",\"category\":\"%s\"%s", cats[cat],
	    prev);
	if (year) {
		t->cp_plans_started++;
		t->cp_category[cat]++;
		if (p->plans > 0) {
			t->cp_repeat++;
			t->cp_repeat_since[since_band(day, p->cp_end)]++;
			band = age_band(p->dob, day);
			if (band < 0)
				fail(sc, "%s: a repeat plan under 1", p->id);
			else
				t->cp_repeat_age[band]++;
		}
		/* cp.plan_shared_5wd; one plan also has a copy dated before
		 * its start, which does not count */
		t->cp_shared_den++;
		kind = draw(sc, &sc->shared);
		if (kind == 0) {
			t->cp_shared_met++;
			EV(sc, "cp_plan.shared",
			    add_wd(day,
				t->cp_shared_met % 15 == 0 ? 5 : rnd(sc, 6)),
			    p, "%s", "");
		} else if (kind == 1)
			EV(sc, "cp_plan.shared", add_wd(day, 6 + rnd(sc, 10)),
			    p, "%s", "");
		if (t->cp_shared_den % 200 == 0)
			EV(sc, "cp_plan.shared", day - 2, p, "%s", "");
	} else
		EV(sc, "cp_plan.shared", day + 3, p, "%s", "");
	p->plans++;
	p->cp_start = day;
	p->cp_end = DAY_NEVER;
}

/* cp.rcpc_timeliness "outstanding", as for LAC reviews. */
static void
cp_outstanding(struct scenario *sc, int32_t due, int32_t held, int32_t end)
{
	if (in_fy(sc, due) && held > sc->fy_to && end > due)
		sc->t->cp_rcpc_outstanding++;
}

/* cp.plan_duration: the DfE's bands of a plan's length, as 0..4. */
static int
duration_band(int32_t start, int32_t end)
{
	if (end <= add_m(start, 3))
		return 0;
	if (end <= add_m(start, 6))
		return 1;
	if (end < add_m(start, 12))
		return 2;
	return end < add_m(start, 24) ? 3 : 4;
}

/* conference.stood_down reasons, in EVENTS.md's order. */
static const char *const stood_down_reasons[12] = { "interpreter",
	"late_request", "parent_unavailable", "not_quorate", "sw_absent",
	"chair_unavailable", "no_chair_or_clerk", "information_missing",
	"child_upset", "premises", "unknown", "other" };

/*
 * Write a family's case for its k children: every conference of the
 * family is one meeting (one id when there are siblings), and some of the
 * year's meetings were first stood down a week before (conference.stood_down,
 * with a reason dealt from the report's table).  Checks that each
 * conference is late exactly when meant to be.
 */
static void
cp_emit(struct scenario *sc, struct person *const *kid, int k,
    const struct cp_case *cc, int iro)
{
	struct seed_tally *t = sc->t;
	const char *start_kind = cc->transfer_in ? "transfer_in" : "initial";
	unsigned meeting[MAX_RCPC + 1], sd_meeting[MAX_RCPC + 1];
	int chair[MAX_RCPC + 1], sd_reason[MAX_RCPC + 1];
	int32_t sd_day[MAX_RCPC + 1], day, due;
	int nocc = cc->no_plan ? 1 : cc->n + 1, o, i, r;
	bool late;

	for (o = 0; o < nocc; o++) {
		day = o == 0 ? cc->start : cc->rcpc[o - 1];
		sc->occasions++;
		meeting[o] = k > 1 ? ++sc->next_meeting : 0;
		/* cp.chair_consistency: now and then another IRO chairs */
		chair[o] =
		    o > 0 && sc->occasions % 9 == 0 ? (iro + 1) % NIRO : iro;
		sd_reason[o] = -1;
		sd_day[o] = DAY_NONE;
		sd_meeting[o] = 0;
		if (!in_fy(sc, day))
			continue;
		t->cp_meetings++;
		if (sc->stood_down.next < sc->stood_down.n &&
		    sc->occasions % 6 == 2 && day - 9 >= sc->fy_from) {
			sd_reason[o] = draw(sc, &sc->stood_down);
			sd_day[o] = workday_before(day - 7);
			sd_meeting[o] = k > 1 ? ++sc->next_meeting : 0;
			t->cp_stood_down++;
			t->cp_stood_down_reason[sd_reason[o]]++;
		}
	}
	for (i = 0; i < k; i++) {
		struct person *p = kid[i];

		allocate(sc, p,
		    cc->strategy != DAY_NONE ? cc->strategy : cc->start, iro);
		if (cc->strategy != DAY_NONE)
			EV(sc, "strategy.held", cc->strategy, p, "%s", "");
		if (!cc->transfer_in) {
			/* cp.icpc_timeliness: 15 working days */
			late = cc->start > add_wd(cc->strategy, 15);
			if (in_fy(sc, cc->start) && late != cc->start_late)
				fail(sc, "%s initial conference %s: meant %s",
				    p->id, ds(cc->start).s,
				    cc->start_late ? "late" : "in time");
			if (in_fy(sc, cc->start)) {
				t->cp_icpc++;
				t->cp_icpc_timely += !late;
				t->cp_icpc_no_plan += cc->no_plan;
			}
		} else if (in_fy(sc, cc->start))
			t->cp_transfer_in++;
		cp_conference(sc, p, start_kind, cc->start,
		    cc->no_plan ? "no_plan" : "plan", meeting[0], chair[0],
		    cc->start_late ? "late_request" : NULL);
		if (!cc->no_plan) {
			cp_plan_start(sc, p, cc->start);
			due = add_m(cc->start, 3);
			for (r = 0; r < cc->n; r++) {
				day = cc->rcpc[r];
				late = day > due;
				if (late != cc->late[r])
					fail(sc,
					    "%s review conference %d on %s: "
					    "due %s, meant %s",
					    p->id, r + 1, ds(day).s, ds(due).s,
					    cc->late[r] ? "late" : "in time");
				cp_outstanding(sc, due, day, cc->end);
				if (in_fy(sc, day)) {
					t->cp_rcpc++;
					t->cp_rcpc_timely += !late;
					t->cp_chair_reviews++;
					t->cp_chair_same +=
					    chair[r + 1] == chair[0];
				}
				cp_conference(sc, p, "review", day,
				    r == cc->n - 1 && cc->end == day
					? "end"
					: "continue",
				    meeting[r + 1], chair[r + 1],
				    late ? "admin_capacity" : NULL);
				due = add_m(day, 6);
			}
			cp_outstanding(sc, due, DAY_NEVER, cc->end);
			if (cc->end != DAY_NEVER) {
				EV(sc, "cp_plan.ended", cc->end, p,
				    ",\"reason\":\"%s\"", cc->end_reason);
				p->cp_end = cc->end;
			}
			/* cp.ended_at_first_review: every conference of
			 * these plans is between its start and end */
			if (cc->end != DAY_NEVER && in_fy(sc, cc->end)) {
				t->cp_ended++;
				t->cp_ended_first_review += cc->n <= 1;
				t->cp_duration[duration_band(
				    cc->start, cc->end)]++;
			}
			if (cc->start < sc->fy_from && cc->end >= sc->fy_from)
				t->cp_open_start++;
			if (cc->start <= sc->fy_to && cc->end > sc->fy_to) {
				t->cp_open++;
				t->cp_over_18m +=
				    sc->fy_to > add_m(cc->start, 18);
				t->cp_at_9m +=
				    sc->fy_to >= add_m(cc->start, 9);
			}
		}
		for (o = 0; o < nocc; o++)
			if (sd_reason[o] >= 0) {
				char mid[32] = "";

				if (sd_meeting[o] != 0)
					snprintf(mid, sizeof(mid),
					    ",\"meeting\":\"MTG%05u\"",
					    sd_meeting[o]);
				EV(sc, "conference.stood_down", sd_day[o], p,
				    ",\"kind\":\"%s\",\"reason\":\"%s\"%s",
				    o == 0 ? start_kind : "review",
				    stood_down_reasons[sd_reason[o]], mid);
			}
	}
}

/* ---- child protection: who the children are ---- */

/*
 * The repeat plans of the report's table "Age at Repeat Plan Start by time
 * since previous plan" (rows 1-4, 5-9, 10-15, 16-17; columns within 6
 * months, 6-12 months, 1-2 years, over 2 years), 156 in all, queued by
 * column so that the short gaps go to the plans that start earliest.
 */
static const unsigned char repeat_table[4][4] = {
	{ 5, 7, 11, 9 },
	{ 10, 3, 13, 27 },
	{ 6, 5, 11, 43 },
	{ 1, 1, 1, 3 },
};

static void
queue_repeats(struct scenario *sc)
{
	int age, since, j;

	sc->nrepeat = 0;
	for (since = 0; since < 4; since++)
		for (age = 0; age < 4; age++)
			for (j = 0; j < repeat_table[age][since] &&
				    sc->nrepeat < REPEATS;
			     j++) {
				sc->repeat_age[sc->nrepeat] =
				    (unsigned char)age;
				sc->repeat_since[sc->nrepeat++] =
				    (unsigned char)since;
			}
}

/* Index in the queue of the first repeat of column `since`. */
static size_t
repeat_column_start(int since)
{
	size_t n = 0;
	int a, c;

	for (c = 0; c < since; c++)
		for (a = 0; a < 4; a++)
			n += repeat_table[a][c];
	return n;
}

/* An age in whole years for a repeat plan's age band and gap. */
static int
repeat_age_years(struct scenario *sc, int band, int since)
{
	switch (band) {
	case 0:
		return since < 2    ? 1 + rnd(sc, 4)
		       : since == 2 ? 2 + rnd(sc, 3)
				    : 3 + rnd(sc, 2);
	case 1:
		return 5 + rnd(sc, 5);
	case 2:
		return 10 + rnd(sc, 6);
	default:
		return 16 + rnd(sc, 2);
	}
}

/* A date of birth making the child `age` on day, 1-10 months past it. */
static int32_t
dob_aged(struct scenario *sc, int age, int32_t day)
{
	return add_m(day, -12 * age) - 30 - rnd(sc, 270);
}

/*
 * A child whose plan starting on `start` is a repeat: born for the age
 * band, with an earlier plan that ended (on or before 29 March 2019, so
 * that it counts in no figure of the year) the band's time before.  Three
 * of them were first registered with a wrong date of birth, corrected by a
 * later registration (KPIS.md, "Age": the latest counts).
 */
static struct person *
cp_repeat_child(struct scenario *sc, int32_t start, int iro)
{
	size_t idx = sc->next_repeat++;
	int band = sc->repeat_age[idx], since = sc->repeat_since[idx];
	int32_t dob, prev_end, prev_start, cap = ymd(2019, 3, 29);
	struct person *p;
	int y, m, d;

	dob = dob_aged(sc, repeat_age_years(sc, band, since), start);
	date_to_ymd(start, &y, &m, &d);
	switch (since) {
	case 0:
		prev_end = add_m(start, -(2 + rnd(sc, 3)));
		break;
	case 1:
		/* The first of the column ended exactly 6 months before:
		 * "before end + 6 months" is false, so 6_12m. */
		if (idx == repeat_column_start(1) && d <= 28 &&
		    add_m(start, -6) <= cap)
			prev_end = add_m(start, -6);
		else
			prev_end = add_m(start, -(7 + rnd(sc, 4)));
		break;
	case 2:
		prev_end = add_m(start, -(13 + rnd(sc, 10)));
		break;
	default:
		prev_end = add_m(start, -(25 + rnd(sc, 36)));
		if (prev_end < add_m(dob, 3))
			prev_end = add_m(dob, 3);
		break;
	}
	if (prev_end > cap)
		prev_end = cap;
	prev_start = add_m(prev_end, -(4 + rnd(sc, 10)));
	if (prev_start < add_m(dob, -6))
		prev_start = add_m(dob, -6);
	if (prev_start >= prev_end)
		prev_start = prev_end - 30;
	if ((p = person_new(sc, dob, prev_start)) == NULL)
		return NULL;
	/* Six years out puts every child under 16 in another age band. */
	if (idx % 50 == 7 && band < 3)
		EV(sc, "child.registered", prev_start - 1, p,
		    ",\"dob\":\"%s\",\"gender\":\"U\"", ds(add_m(dob, -72)).s);
	allocate(sc, p, prev_start, iro);
	cp_conference(sc, p, "initial", prev_start, "plan", 0, iro, NULL);
	cp_plan_start(sc, p, prev_start);
	EV(sc, "cp_plan.ended", prev_end, p, ",\"reason\":\"%s\"",
	    "risk_reduced");
	p->cp_end = prev_end;
	return p;
}

/*
 * A child of a family whose plan starts this year: every fourth child
 * takes the next repeat plan of the queue when its gap fits the start (a
 * gap under 6 months needs a start by September, as the earlier plan ended
 * before the year); the others are first plans, 6 of them unborn.
 */
static struct person *
cp_new_child(struct scenario *sc, const struct cp_case *cc, int iro)
{
	static const unsigned char ages[20] = { 0, 0, 0, 0, 1, 2, 2, 3, 4, 5,
		6, 7, 8, 9, 10, 11, 12, 13, 14, 16 };
	unsigned slot = sc->repeat_slots++;
	int32_t at = cc->strategy != DAY_NONE ? cc->strategy : cc->start;
	size_t next = sc->next_repeat;

	if (slot % 4 == 1 && next < sc->nrepeat &&
	    (sc->repeat_since[next] > 0 || cc->start <= ymd(2019, 9, 1)))
		return cp_repeat_child(sc, cc->start, iro);
	if (slot % 110 == 7 && sc->t->cp_plans_started < 700)
		return person_new(sc, cc->start + 20 + rnd(sc, 100), at);
	return person_new(sc, dob_aged(sc, ages[rnd(sc, 20)], cc->start), at);
}

/* A child of a family on a plan since before the year, at a conference
 * that made no plan, or transferred in: any age. */
static struct person *
cp_other_child(struct scenario *sc, const struct cp_case *cc)
{
	int32_t at = cc->strategy != DAY_NONE ? cc->strategy : cc->start;

	return person_new(sc, dob_aged(sc, rnd(sc, 16), cc->start), at);
}

/* Split n children into f families of 1 to MAX_FAMILY, mixed sizes. */
static void
family_sizes(int n, int f, int *size)
{
	static const int wiggle[] = { 0, 1, -1, 0, 2, -1, 0, -1 };
	int i, s, rest, left = n;

	for (i = 0; i < f; i++) {
		rest = f - i - 1;
		s = (left + rest) / (rest + 1) + wiggle[i % 8];
		if (s < 1)
			s = 1;
		if (s > MAX_FAMILY)
			s = MAX_FAMILY;
		if (left - s < rest)
			s = left - rest;
		if (left - s > MAX_FAMILY * rest)
			s = left - MAX_FAMILY * rest;
		size[i] = s;
		left -= s;
	}
}

/* Pick families whose children add up to exactly `want`, spread out. */
static void
pick_families(struct scenario *sc, const char *what, const int *size, int nf,
    int want, bool *pick)
{
	int pass, i, left = want;

	memset(pick, 0, (size_t)nf * sizeof(*pick));
	for (pass = 0; pass < 3 && left > 0; pass++)
		for (i = pass; i < nf && left > 0; i += 3)
			if (!pick[i] && size[i] <= left) {
				pick[i] = true;
				left -= size[i];
			}
	if (left != 0)
		fail(sc, "%s: no families of exactly %d children", what, want);
}

enum cp_kind { CP_BEFORE, CP_THIS_YEAR, CP_TRANSFER_IN, CP_NO_PLAN };

/*
 * A cohort of families with cases of one shape.  shape() plans family
 * `fam`'s conferences (late_review: its first review conference of the
 * year is meant late); the cohort adds the strategy discussion.
 */
struct cp_cohort {
	const char *name;
	enum cp_kind kind;
	int children, families;
	int late_start;  /* children whose initial conference is late */
	int late_review; /* children whose first RCPC of the year is late */
	int dual;        /* children who come into care in March 2020 */
	void (*shape)(struct scenario *sc, int fam, bool late_review,
	    struct cp_case *cc);
};

/* Open all year, three review conferences in it, five months apart. */
static void
shape_open_all_year(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t x = some_workday(sc, ymd(2019, 4, 2), ymd(2019, 5, 10)), x2;

	(void)fam;
	(void)late_review;
	cp_history(sc, cc, workday_before(add_m(x, -6) + 6), 1 + rnd(sc, 3));
	x2 = workday_before(add_m(x, 5));
	cp_add(sc, cc, x, false);
	cp_add(sc, cc, x2, false);
	cp_add(sc, cc, workday_before(add_m(x2, 5)), false);
}

/* On a plan for long, three review conferences in the year, the last
 * ending the plan; some had the first late (Q1's admin capacity), family 0
 * by a day: on 1 May, due 30 April as 31 October + 6 months. */
static void
shape_ended_long(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t x = some_workday(sc, ymd(2019, 4, 2), ymd(2019, 5, 20)), x2;
	int32_t last = late_review
			   ? workday_before(add_m(x, -6) - 7 - rnd(sc, 10))
			   : workday_before(add_m(x, -6) + 6);

	if (fam == 0 && late_review) { /* due 30 April: 31 October + 6 */
		last = ymd(2018, 10, 31);
		x = ymd(2019, 5, 1);
	}
	cp_history(sc, cc, last, 1 + rnd(sc, 3));
	x2 = workday_before(add_m(x, 5));
	cp_add(sc, cc, x, late_review);
	cp_add(sc, cc, x2, false);
	cc->end = workday_before(add_m(x2, 5));
	cp_add(sc, cc, cc->end, false);
	cc->end_reason = "step_down";
}

/* Started January-March 2019, ended at the first review conference;
 * family 0 on 30 April, due that day as 31 January + 3 months. */
static void
shape_ended_at_first(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start = some_workday(sc, ymd(2019, 1, 8), ymd(2019, 3, 19));
	cc->end = workday_before(add_m(cc->start, 3) - rnd(sc, 6));
	if (fam == 0) { /* on its due date, 31 January + 3 months */
		cc->start = ymd(2019, 1, 31);
		cc->end = ymd(2019, 4, 30);
	}
	cc->strategy = cc->start - 14;
	cp_add(sc, cc, cc->end, false);
	cc->end_reason = "risk_reduced";
}

/* Started January-March 2019, reviewed in spring and autumn, open. */
static void
shape_open_from_winter(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t r1;

	(void)fam;
	(void)late_review;
	cc->start = some_workday(sc, ymd(2019, 1, 14), ymd(2019, 3, 15));
	cc->strategy = cc->start - 14;
	r1 = workday_before(add_m(cc->start, 3) - rnd(sc, 6));
	cp_add(sc, cc, r1, false);
	cp_add(sc, cc, workday_before(add_m(r1, 6) - rnd(sc, 3)), false);
}

/* On a plan since before the year, ended at its one review conference of
 * the year (April-September), after earlier ones. */
static void
shape_ended_once(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t x = some_workday(sc, ymd(2019, 4, 2), ymd(2019, 9, 18));

	(void)fam;
	(void)late_review;
	cp_history(sc, cc, workday_before(add_m(x, -6) + 6), 1 + rnd(sc, 4));
	cp_add(sc, cc, x, false);
	cc->end = x;
	cc->end_reason = "risk_reduced";
}

/* A start in April-June 2019; family 1 starts on 31 May, so its first
 * review conference is due on Saturday 31 August. */
static int32_t
start_spring(struct scenario *sc, int fam)
{
	return fam == 1 ? ymd(2019, 5, 31)
			: some_workday(sc, ymd(2019, 4, 1), ymd(2019, 6, 25));
}

/* The first review conference: on its due date (moved back to a working
 * day) for every 7th family, else up to 10 days before. */
static int32_t
first_rcpc(struct scenario *sc, int fam, int32_t start)
{
	return workday_before(
	    add_m(start, 3) - (fam % 7 == 0 ? 0 : rnd(sc, 11)));
}

static void
shape_spring_open(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t r1;

	(void)late_review;
	cc->start = start_spring(sc, fam);
	r1 = first_rcpc(sc, fam, cc->start);
	cp_add(sc, cc, r1, false);
	cp_add(sc, cc, workday_before(add_m(r1, 6) - rnd(sc, 11)), false);
}

static void
shape_spring_ended_first(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start = start_spring(sc, fam);
	cc->end = first_rcpc(sc, fam, cc->start);
	cp_add(sc, cc, cc->end, false);
	cc->end_reason = "risk_reduced";
}

static void
shape_spring_ended_second(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	int32_t r1;

	(void)late_review;
	cc->start = start_spring(sc, fam);
	r1 = first_rcpc(sc, fam, cc->start);
	cp_add(sc, cc, r1, false);
	cc->end = workday_before(add_m(r1, 6) - rnd(sc, 11));
	cp_add(sc, cc, cc->end, false);
	cc->end_reason = "risk_reduced";
}

/* A start mid July-December 2019; families 1 and 2 start on 29 November
 * and 30 August, so their first review conferences are due on Saturday 29
 * February and Saturday 30 November. */
static int32_t
start_autumn(struct scenario *sc, int fam)
{
	if (fam == 1)
		return ymd(2019, 11, 29);
	if (fam == 2)
		return ymd(2019, 8, 30);
	return some_workday(sc, ymd(2019, 7, 15), ymd(2019, 12, 17));
}

static void
shape_autumn_open(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start = start_autumn(sc, fam);
	cp_add(sc, cc, first_rcpc(sc, fam < 3 ? 0 : fam, cc->start), false);
}

/* Family 0 starts on 31 December: its review conference, due and held on
 * 31 March 2020, ends the plan, which is then not open that day. */
static void
shape_autumn_ended_first(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start =
	    fam == 0 ? ymd(2019, 12, 31)
		     : some_workday(sc, ymd(2019, 7, 15), ymd(2019, 12, 17));
	cc->end = first_rcpc(sc, fam, cc->start);
	cp_add(sc, cc, cc->end, false);
	cc->end_reason = "risk_reduced";
}

/* Started January-March 2020 (family 0 on 31 March, open that day): no
 * review conference due in the year. */
static void
shape_winter_open(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start = fam == 0
			? ymd(2020, 3, 31)
			: some_workday(sc, ymd(2020, 1, 2), ymd(2020, 3, 27));
}

/* Started 2 December 2019: the first review conference, due 2 March 2020,
 * was held on 8 April; outstanding on 31 March. */
static void
shape_overdue(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)fam;
	(void)late_review;
	cc->start = ymd(2019, 12, 2);
	cp_add(sc, cc, ymd(2020, 4, 8), true);
}

/* Ended before any review conference: the family moved away. */
static void
shape_moved_away(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)fam;
	(void)late_review;
	cc->start = some_workday(sc, ymd(2019, 4, 8), ymd(2019, 11, 22));
	cc->end = cc->start + 25 + rnd(sc, 30);
	cc->end_reason = "moved_area";
}

/* Transferred in July-December, reviewed three months on, open. */
static void
shape_transfer_autumn(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)late_review;
	cc->start = some_workday(sc, ymd(2019, 7, 15), ymd(2019, 12, 17));
	cp_add(sc, cc, first_rcpc(sc, fam, cc->start), false);
}

/* Transferred in January-March 2020. */
static void
shape_transfer_winter(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)fam;
	(void)late_review;
	cc->start = some_workday(sc, ymd(2020, 1, 6), ymd(2020, 3, 20));
}

/* An initial conference in the year that made no plan. */
static void
shape_no_plan(
    struct scenario *sc, int fam, bool late_review, struct cp_case *cc)
{
	(void)fam;
	(void)late_review;
	cc->start = some_workday(sc, ymd(2019, 4, 8), ymd(2020, 3, 20));
}

/*
 * Child protection in 2019-20, in children (the report's figures):
 *
 *                        plans  ICPC  TI  RCPCs in year    ended  <=1 RCPC
 *   open since before      390                              290      30
 *     a  all year           20            3 each
 *     b  ended long        163            3 (105 late 1st)  163
 *     c  ended at 1st       30            1                  30      30
 *     d  from winter        10            2
 *     f  ended once more   167            1                 167
 *   started this year      695   695      (+133 no plan)    247      91
 *     a  spring, open       60            2
 *     b  spring, ended 1st  40            1                  40      40
 *     c  spring, ended 2nd 156            2                 156
 *     d  autumn, open      208            1 (37 into care)
 *     e  autumn, ended 1st  40            1                  40      40
 *     f  winter, open      177            0
 *     h  overdue RCPC        3            0 (outstanding 3)
 *     g  moved away         11            0                  11      11
 *   transferred in          26        26  1 x 21
 *   no plan                       133
 *
 * Plans started 695 + 26 = 721; open at the start 390, ended 607 (121 at
 * most one review conference: 19.9%), open at the end 390 + 721 - 607 = 504;
 * initial conferences 828 (133 no plan: 16.1%; 40 late: 788, 95.2%);
 * review conferences 60 + 489 + 30 + 20 + 167 + 120 + 40 + 312 + 208 + 40
 * + 21 = 1507 (105 late: 1402, 93.0%); children at conferences 828 + 26 +
 * 1507 = 2361, as the report says.  Families are sized so that those
 * conferences are 877 meetings: sum over cohorts of families x conferences.
 */
static const struct cp_cohort cp_cohorts[] = {
	{ "P-a open all year", CP_BEFORE, 20, 8, 0, 0, 0,
	    shape_open_all_year },
	{ "P-d open from winter", CP_BEFORE, 10, 4, 0, 0, 0,
	    shape_open_from_winter },
	{ "P-b ended long", CP_BEFORE, 163, 60, 0, 105, 0, shape_ended_long },
	{ "P-c ended at first", CP_BEFORE, 30, 11, 0, 0, 0,
	    shape_ended_at_first },
	{ "P-f ended once more", CP_BEFORE, 167, 61, 0, 0, 0,
	    shape_ended_once },
	{ "S-a spring open", CP_THIS_YEAR, 60, 22, 0, 0, 0,
	    shape_spring_open },
	{ "S-b spring ended first", CP_THIS_YEAR, 40, 15, 0, 0, 0,
	    shape_spring_ended_first },
	{ "S-c spring ended second", CP_THIS_YEAR, 156, 58, 0, 0, 0,
	    shape_spring_ended_second },
	{ "S-d autumn open", CP_THIS_YEAR, 208, 77, 15, 0, 37,
	    shape_autumn_open },
	{ "S-e autumn ended first", CP_THIS_YEAR, 40, 15, 0, 0, 0,
	    shape_autumn_ended_first },
	{ "S-g moved away", CP_THIS_YEAR, 11, 4, 0, 0, 0, shape_moved_away },
	{ "S-h overdue", CP_THIS_YEAR, 3, 1, 0, 0, 0, shape_overdue },
	{ "S-f winter open", CP_THIS_YEAR, 177, 66, 15, 0, 0,
	    shape_winter_open },
	{ "T-a transfer autumn", CP_TRANSFER_IN, 21, 8, 0, 0, 0,
	    shape_transfer_autumn },
	{ "T-b transfer winter", CP_TRANSFER_IN, 5, 2, 0, 0, 0,
	    shape_transfer_winter },
	{ "I no plan", CP_NO_PLAN, 133, 50, 10, 0, 0, shape_no_plan },
};

#define MAX_FAMILIES 128

static void
cp_cohort(struct scenario *sc, const struct cp_cohort *co)
{
	int size[MAX_FAMILIES], f, i, iro, k;
	bool late_start[MAX_FAMILIES], late_review[MAX_FAMILIES];
	bool dual[MAX_FAMILIES], first_late = true, first_timely = true;
	struct person *kid[MAX_FAMILY];
	struct cp_case cc;
	int32_t day;

	if (co->families > MAX_FAMILIES) {
		fail(sc, "%s: too many families", co->name);
		return;
	}
	family_sizes(co->children, co->families, size);
	pick_families(
	    sc, co->name, size, co->families, co->late_start, late_start);
	pick_families(
	    sc, co->name, size, co->families, co->late_review, late_review);
	pick_families(sc, co->name, size, co->families, co->dual, dual);
	for (f = 0; f < co->families && sc->err == 0; f++) {
		memset(&cc, 0, sizeof(cc));
		cc.strategy = DAY_NONE;
		cc.end = DAY_NEVER;
		co->shape(sc, f, late_review[f], &cc);
		if (co->kind == CP_THIS_YEAR || co->kind == CP_NO_PLAN) {
			/* cp.icpc_timeliness: the first late one by a single
			 * working day, the first in time on the 15th */
			cc.start_late = late_start[f];
			if (cc.start_late)
				k = first_late ? 16 : 16 + rnd(sc, 8);
			else
				k = first_timely ? 15 : 5 + rnd(sc, 11);
			first_late = first_late && !cc.start_late;
			first_timely = first_timely && cc.start_late;
			cc.strategy = add_wd(cc.start, -k);
			cc.no_plan = co->kind == CP_NO_PLAN;
		}
		cc.transfer_in = co->kind == CP_TRANSFER_IN;
		iro = next_iro(sc);
		for (i = 0; i < size[f]; i++)
			kid[i] = co->kind == CP_THIS_YEAR
				     ? cp_new_child(sc, &cc, iro)
				     : cp_other_child(sc, &cc);
		if (sc->err != 0)
			return;
		cp_emit(sc, kid, size[f], &cc, iro);
		if (!dual[f])
			continue;
		day = some_workday(sc, ymd(2020, 3, 4), ymd(2020, 3, 24));
		if (sc->ndual + (size_t)size[f] == (size_t)co->dual)
			day = ymd(2020, 3, 31); /* the last: on the day */
		for (i = 0; i < size[f] && sc->ndual < NITEMS(sc->dual); i++) {
			sc->dual[sc->ndual] = kid[i];
			sc->dual_day[sc->ndual++] = day;
		}
	}
}

static void
cp_all(struct scenario *sc)
{
	size_t i;

	queue_repeats(sc);
	for (i = 0; i < NITEMS(cp_cohorts) && sc->err == 0; i++) {
		if (i == 0)
			sc->cp_all_year_from = sc->npeople;
		cp_cohort(sc, &cp_cohorts[i]);
		if (i == 1)
			sc->cp_all_year_to = sc->npeople;
	}
	if (sc->err == 0 && sc->next_repeat != sc->nrepeat)
		fail(sc, "%zu of %zu repeat plans placed", sc->next_repeat,
		    sc->nrepeat);
}

/* ---- children in care: health and education ---- */

/* In care (not short breaks) on day. */
static bool
in_care(const struct person *p, int32_t day)
{
	return p->lac_start != DAY_NONE && !p->short_breaks &&
	       p->lac_start <= day && day < p->lac_end;
}

/*
 * lac.health_assessment and lac.dental_check: "of the 459 children who had
 * been looked after for 12 months or more 91.1% have had theirs completed"
 * (418); dental checks 87.6%, which is 402 of the 459 (the report's "407"
 * is 87.6% of no whole number of children).  The others had theirs before
 * the 12 months.
 *
 * lac.pep: "of the 1418 looked after children that were eligible for a
 * Personal Education Plan (PEP) 87% were completed".  1418 children aged
 * 5-15 cannot be in care during a year that ends with 642 in care after
 * 1721 reviews, so the scenario keeps the 87%: 435 of its 500 children of
 * 5-15 in care during the year (none of the short stays), and gives PEPs
 * to some 16-17s too, which do not count.
 */
static void
lac_health_and_education(struct scenario *sc)
{
	struct seed_tally *t = sc->t;
	int32_t year_ago = add_m(sc->fy_to, -12), from, to, day;
	long cohort = 0, j = 0, eligible = 0, settled = 0, want;
	size_t i;
	int age;

	for (i = 0; i < sc->npeople; i++)
		if (in_care(sc->people[i], year_ago) &&
		    in_care(sc->people[i], sc->fy_to))
			cohort++;
	t->lac_health_den = cohort;
	for (i = 0; i < sc->npeople; i++) {
		struct person *p = sc->people[i];

		if (!in_care(p, year_ago) || !in_care(p, sc->fy_to))
			continue;
		day =
		    spread(j, 418, cohort)
			? some_workday(sc, ymd(2019, 6, 3), ymd(2019, 12, 13))
			: ymd(2019, 2, 15);
		t->lac_health += in_fy(sc, day);
		EV(sc, "health_assessment.completed", day, p, "%s", "");
		day = spread(cohort - 1 - j, 402, cohort)
			  ? some_workday(sc, ymd(2019, 5, 1), ymd(2020, 2, 28))
			  : ymd(2019, 1, 21);
		t->lac_dental += in_fy(sc, day);
		EV(sc, "dental_check.completed", day, p, "%s", "");
		j++;
	}

	for (i = 0; i < sc->npeople; i++) {
		struct person *p = sc->people[i];

		if (p->lac_start == DAY_NONE || p->short_breaks ||
		    p->lac_start > sc->fy_to || p->lac_end <= sc->fy_from)
			continue;
		age = date_age_years(p->dob, sc->fy_to);
		if (age >= 5 && age <= 15) {
			eligible++;
			settled += !p->quick;
		}
	}
	want = (87 * eligible + 50) / 100;
	t->lac_pep_den = eligible;
	for (i = 0, j = 0; i < sc->npeople; i++) {
		struct person *p = sc->people[i];

		if (p->lac_start == DAY_NONE || p->short_breaks ||
		    p->lac_start > sc->fy_to || p->lac_end <= sc->fy_from)
			continue;
		from = p->lac_start > sc->fy_from ? p->lac_start : sc->fy_from;
		to = p->lac_end <= sc->fy_to ? p->lac_end - 1 : sc->fy_to;
		day = from + (to - from) / 2;
		age = date_age_years(p->dob, sc->fy_to);
		if (age >= 16 && i % 5 == 0)
			EV(sc, "pep.completed", day, p, "%s", "");
		if (age < 5 || age > 15 || p->quick)
			continue;
		if (spread(j++, want, settled)) {
			t->lac_pep++;
			EV(sc, "pep.completed", day, p, "%s", "");
		}
	}
}

/* ---- quality assurance ---- */

/* The first child from index *next on in from..to who is in care (lac)
 * or on a plan (cp) on day. */
static struct person *
alert_child(struct scenario *sc, bool lac, size_t from, size_t to,
    size_t *next, int32_t day)
{
	struct person *p;
	size_t n;

	for (n = 0; n < to - from; n++) {
		p = sc->people[from + (*next)++ % (to - from)];
		if (lac ? in_care(p, day)
			: p->cp_start != DAY_NONE && p->cp_start <= day &&
			      day < p->cp_end)
			return p;
	}
	fail(sc, "no child for an alert on %s", ds(day).s);
	return NULL;
}

/*
 * n alerts in area raised over from..to, `good` of them for good practice.
 * A concern is answered within 5 working days mostly, late or never now
 * and then, escalated now and then, resolved mostly (qa.response_5wd,
 * qa.open_by_stage).
 */
static void
qa_raise(struct scenario *sc, const char *area, int good, int concern,
    int32_t from, int32_t to)
{
	struct seed_tally *t = sc->t;
	bool lac = strcmp(area, "lac") == 0, year = from == sc->fy_from;
	size_t next = 0, pfrom, pto;
	int n = good + concern, i, c = 0, stage;
	unsigned id;
	int32_t day, at;
	struct person *p;
	char iro[8];

	pfrom = lac ? sc->lac_all_year_from : sc->cp_all_year_from;
	pto = lac ? sc->lac_all_year_to : sc->cp_all_year_to;
	for (i = 0; i < n && sc->err == 0; i++) {
		bool is_good = spread(i, good, n);

		day =
		    workday_after(from + (int32_t)((long)i * (to - from) / n));
		if ((p = alert_child(sc, lac, pfrom, pto, &next, day)) == NULL)
			return;
		id = ++sc->next_alert;
		EV(sc, "qa_alert.raised", day, p,
		    ",\"alert\":\"QA%04u\",\"iro\":\"%s\",\"kind\":\"%s\","
		    "\"area\":\"%s\",\"theme\":\"%s\"",
		    id, iro_name(p->iro, iro),
		    is_good ? "good_practice" : "concern", area,
		    is_good ? "good_practice" : "drift_and_delay");
		if (year && lac)
			*(is_good ? &t->qa_lac_good : &t->qa_lac_concern) += 1;
		else if (year)
			*(is_good ? &t->qa_cp_good : &t->qa_cp_concern) += 1;
		else if (lac)
			t->qa_lac_2018++;
		if (is_good)
			continue;
		c++;
		if (year)
			t->qa_response_den++;
		if (c % 20 != 0) {
			at = add_wd(
			    day, c % 8 == 0 ? 6 + rnd(sc, 8) : 1 + rnd(sc, 5));
			if (year && at <= add_wd(day, 5))
				t->qa_response_met++;
			EV(sc, "qa_alert.responded", at, p,
			    ",\"alert\":\"QA%04u\"", id);
		}
		if (c % 7 == 0)
			EV(sc, "qa_alert.escalated", day + 10, p,
			    ",\"alert\":\"QA%04u\",\"stage\":2", id);
		if (c % 21 == 0)
			EV(sc, "qa_alert.escalated", day + 20, p,
			    ",\"alert\":\"QA%04u\",\"stage\":3", id);
		if (c % 42 == 0)
			EV(sc, "qa_alert.escalated", day + 30, p,
			    ",\"alert\":\"QA%04u\",\"stage\":4", id);
		if (c % 9 != 0 && day + 45 < sc->judged)
			EV(sc, "qa_alert.resolved", day + 45, p,
			    ",\"alert\":\"QA%04u\"", id);
		/* qa.open_by_stage on 31 March 2020 */
		if (day <= sc->fy_to && (c % 9 == 0 || day + 45 > sc->fy_to)) {
			stage = 1;
			if (c % 7 == 0 && day + 10 <= sc->fy_to)
				stage = 2;
			if (c % 21 == 0 && day + 20 <= sc->fy_to)
				stage = 3;
			if (c % 42 == 0 && day + 30 <= sc->fy_to)
				stage = 4;
			t->qa_open[stage - 1]++;
		}
	}
}

/*
 * qa.alerts: "From 1st April 2019 to 31st March 2020 there were 130
 * Quality Assurance Alerts completed in respect of children in care. Of
 * these there were 41 for good practice and 89 highlighting areas of
 * concern ... in the previous year there was a total of 87 alerts raised 29
 * for good practice and 58 for areas of concern"; for children on a plan
 * "75 ... 29 were for recognising good practice and 46 were an escalation
 * of concern".
 */
static void
qa_alerts(struct scenario *sc)
{
	qa_raise(sc, "lac", 41, 89, sc->fy_from, sc->fy_to - 3);
	qa_raise(sc, "cp", 29, 46, sc->fy_from, sc->fy_to - 3);
	qa_raise(sc, "lac", 29, 58, ymd(2018, 4, 3), ymd(2019, 3, 25));
}

/* ---- what is open at the ends of the year; caseloads ---- */

/*
 * lac.population: 584 at the end of March 2019, 642 at the end of March
 * 2020.  iro.caseload "average case load being 110 (with weighting process
 * applied)": on 31 March 2020, 642 children in care weigh 1.5 and the 504 -
 * 37 on a plan only weigh 1, 963 + 467 = 1430 over 13 IROs: 110.0.
 */
static void
count_open(struct scenario *sc)
{
	struct seed_tally *t = sc->t;
	long halves[NIRO] = { 0 };
	size_t i;
	int k;

	for (i = 0; i < sc->npeople; i++) {
		struct person *p = sc->people[i];
		int w = 0;

		t->lac_population_start += in_care(p, sc->fy_from - 1);
		t->lac_population += in_care(p, sc->fy_to);
		if (in_care(p, sc->fy_to))
			w = 3;
		else if (p->cp_start != DAY_NONE && p->cp_start <= sc->fy_to &&
			 sc->fy_to < p->cp_end)
			w = 2;
		if (p->iro >= 0)
			halves[p->iro] += w;
	}
	for (k = 0; k < NIRO; k++) {
		t->iro_weight_halves += halves[k];
		t->iro_count += halves[k] > 0;
		t->iro_over_ceiling += halves[k] > 2 * 105;
	}
}

/* ---- the decks of the report's splits ---- */

static void
deal_decks(struct scenario *sc)
{
	/* The PN table, 2019/20, for the 1317 reviews of children 4 and
	 * over: PN1 659, PN2 7, PN3 0, PN4 11, PN5 87, PN6 450, PN7 103. */
	static const unsigned pn[] = { 659, 7, 0, 11, 87, 450, 103 };
	/* lac.sw_report_24h: 68.3% of 1721 is 1175 (1169 + 6); of the 546
	 * others 250 same day, 150 never, 140 after, 6 under 24 hours. */
	static const unsigned sw[] = { 1169, 6, 250, 150, 140, 6 };
	/* "200 second ROA meetings ... 70 children" had a permanence plan;
	 * at later reviews "eighty percent": 1076 of 1345. */
	static const unsigned perm2[] = { 70, 130 };
	static const unsigned perm_later[] = { 1076, 269 };
	/* Records within 20 working days (target 95%): 1652 of 1721,
	 * 96.0%; decisions within 5: 1399, 81.3% (the dip sample's 13 of
	 * 16); the rest late or never. */
	static const unsigned record[] = { 1652, 60, 9 };
	static const unsigned decisions[] = { 1399, 300, 22 };
	/* cp.categories: Neglect 374, Emotional 188, Physical 75,
	 * multiple 60, Sexual 24 (721 plans). */
	static const unsigned category[] = { 374, 188, 75, 60, 24 };
	/* cp.report_to_parents over 828 + 1507 = 2335 conferences: 79.0%
	 * in time (1845), 385 on the day (of which cp_conference() moves 2
	 * to 2 working days before: 1847 before the day, 79.1%, and 383 on
	 * it, 16.4%), none 105 (4.5%); the report's 79%, 16% and 4% to the
	 * whole number. */
	static const unsigned parents[] = { 1845, 385, 60, 45 };
	/* cp.record_distribution: "90% of records had been distributed
	 * within timescales": 2125 of 2361. */
	static const unsigned crecord[] = { 2125, 200, 36 };
	/* cp.plan_shared_5wd (no figure in the report): 686 of 721. */
	static const unsigned shared[] = { 686, 25, 10 };
	/* The table of "Number of conferences having to go out of date or
	 * had to be stood down" (116), in EVENTS.md's reasons: interpreter
	 * 3, late request 27, parent 11, not quorate 33, social worker 10,
	 * chair or clerk sick 4, no clerk or IRO 9, information 1 + 2, young
	 * person upset 1, gas leak 2, unknown 12, other (another LA) 1. */
	static const unsigned stood_down[] = { 3, 27, 11, 33, 10, 4, 9, 3, 1,
		2, 12, 1 };

	deal(sc, &sc->pn, "participation", pn, NITEMS(pn));
	deal(sc, &sc->sw, "sw_report", sw, NITEMS(sw));
	deal(sc, &sc->perm2, "permanence_second", perm2, NITEMS(perm2));
	deal(sc, &sc->perm_later, "permanence_later", perm_later,
	    NITEMS(perm_later));
	deal(sc, &sc->record, "record", record, NITEMS(record));
	deal(sc, &sc->decisions, "decisions", decisions, NITEMS(decisions));
	deal(sc, &sc->category, "category", category, NITEMS(category));
	deal(sc, &sc->parents, "parents", parents, NITEMS(parents));
	deal(sc, &sc->crecord, "conference_record", crecord, NITEMS(crecord));
	deal(sc, &sc->shared, "plan_shared", shared, NITEMS(shared));
	deal(
	    sc, &sc->stood_down, "stood_down", stood_down, NITEMS(stood_down));
}

static void
decks_done(struct scenario *sc)
{
	struct deck *all[] = { &sc->pn, &sc->sw, &sc->perm2, &sc->perm_later,
		&sc->record, &sc->decisions, &sc->category, &sc->parents,
		&sc->crecord, &sc->shared, &sc->stood_down };
	size_t i;

	for (i = 0; i < NITEMS(all); i++)
		deck_done(sc, all[i]);
}

/* ---- output ---- */

/* Every line once, plus one in 150 again, all shuffled by seed. */
static int
write_lines(struct scenario *sc, FILE *f, uint64_t seed)
{
	size_t n = sc->nline, ndup = n / 150, total = n + ndup, i, j, tmp;
	size_t *order;
	uint64_t rng = seed != 0 ? seed : UINT64_C(0x9e3779b97f4a7c15);
	int rc = 0;

	if ((order = malloc(total * sizeof(*order))) == NULL)
		return IRK_ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 0; i < ndup; i++)
		order[n + i] = (size_t)(next64(&rng) % n);
	for (i = total; i > 1; i--) {
		j = (size_t)(next64(&rng) % i);
		tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < total && rc == 0; i++)
		if (fputs(sc->line[order[i]], f) == EOF ||
		    fputc('\n', f) == EOF)
			rc = IRK_EIO;
	if (rc == 0 && fflush(f) != 0)
		rc = IRK_EIO;
	free(order);
	sc->t->events = (long)n;
	sc->t->duplicates = (long)ndup;
	return rc;
}

int
seed_scenario_write(FILE *f, uint64_t order_seed, struct seed_tally *out)
{
	struct scenario sc;
	struct seed_tally t;
	size_t i;
	int rc = 0;

	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	sc.rng = CONTENT_SEED;
	sc.t = &t;
	sc.fy_from = ymd(2019, 4, 1);
	sc.fy_to = ymd(2020, 3, 31);
	sc.judged = ymd(2020, 6, 30);
	sc.retract_left = 5;
	/* lac.pep: the older children of the LAC cohorts (see the cohort
	 * comments: 242 + 57 + 85 + 40 + 30 + 50 + 30 + 22 + 30), of whom
	 * enough are 5-15 to make 500 with the children who came into care
	 * from a plan. */
	sc.older_total = 586;

	deal_decks(&sc);
	if (sc.err == 0)
		cp_all(&sc);
	sc.pep_quota = 500;
	for (i = 0; i < sc.ndual; i++) {
		int age = date_age_years(sc.dual[i]->dob, sc.fy_to);

		sc.pep_quota -= age >= 5 && age <= 15;
	}
	if (sc.err == 0)
		lac_three_reviews(&sc);
	if (sc.err == 0)
		lac_two_reviews(&sc);
	if (sc.err == 0)
		lac_left_in_year(&sc);
	if (sc.err == 0)
		lac_came_in_last_winter(&sc);
	if (sc.err == 0)
		lac_came_in_spring(&sc);
	if (sc.err == 0)
		lac_came_in_summer(&sc);
	if (sc.err == 0)
		lac_came_in_and_went_home(&sc);
	if (sc.err == 0)
		lac_came_in_winter(&sc);
	if (sc.err == 0)
		lac_days_only(&sc);
	if (sc.err == 0)
		lac_came_in_from_cp(&sc);
	if (sc.err == 0)
		lac_short_breaks(&sc);
	if (sc.err == 0 && sc.older_seen != sc.older_total)
		fail(&sc, "%ld older children in care, not %ld", sc.older_seen,
		    sc.older_total);
	if (sc.err == 0)
		lac_health_and_education(&sc);
	if (sc.err == 0)
		qa_alerts(&sc);
	if (sc.err == 0)
		count_open(&sc);
	decks_done(&sc);
	rc = sc.err;
	if (rc == 0)
		rc = write_lines(&sc, f, order_seed);
	for (i = 0; i < sc.nline; i++)
		free(sc.line[i]);
	free(sc.line);
	for (i = 0; i < sc.npeople; i++)
		free(sc.people[i]);
	free(sc.people);
	if (out != NULL)
		*out = t;
	return rc;
}
