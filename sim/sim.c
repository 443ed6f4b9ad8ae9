/*
 * The generator.  Each family is generated whole (its children's events in
 * business order), then disturbed the way real feeds are (late arrivals,
 * duplicates, wrong entries retracted), then emitted.  Memory stays flat: one
 * family's lines at a time.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/err.h"
#include "sim/sim.h"

#define LINE_MAX_BYTES 640
#define NIROS          24

struct line {
	int32_t day;
	char text[LINE_MAX_BYTES];
};

struct gen {
	const struct sim_config *cfg;
	struct calendar *cal;
	uint64_t rng;
	uint64_t next_id, next_child, family;
	int32_t first, last; /* business dates generated */
	struct line *lines;
	size_t n, cap;
};

static uint64_t
rnd(struct gen *g)
{
	/* splitmix64: small, fast, and good enough for test data. */
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int
rint_in(struct gen *g, int lo, int hi)
{
	return lo + (int)(rnd(g) % (uint64_t)(hi - lo + 1));
}

static bool
chance(struct gen *g, double p)
{
	return (double)(rnd(g) >> 11) / (double)(1ull << 53) < p;
}

static struct line *
line_new(struct gen *g, int32_t day)
{
	struct line *l;

	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;

		if ((l = realloc(g->lines, cap * sizeof(*l))) == NULL)
			return NULL;
		g->lines = l;
		g->cap = cap;
	}
	l = &g->lines[g->n++];
	l->day = day;
	return l;
}

/* Append one event: envelope, then the body given as JSON members. */
static int
ev(struct gen *g, const char *type, int32_t day, const char *child,
    const char *fmt, ...)
{
	char at[DATE_STRLEN], body[LINE_MAX_BYTES - 160];
	struct line *l;
	va_list ap;

	if (day > g->last)
		return 0;
	if ((l = line_new(g, day)) == NULL)
		return IRK_ENOMEM;
	body[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(body, sizeof(body), fmt, ap);
		va_end(ap);
	}
	date_format(day, at);
	snprintf(l->text, sizeof(l->text),
	    "{\"id\":\"s%llx-%llu\",\"type\":\"%s\",\"at\":\"%s\","
	    "\"child\":\"%s\"%s%s}",
	    (unsigned long long)g->cfg->seed, (unsigned long long)g->next_id++,
	    type, at, child, body[0] ? "," : "", body);
	return 0;
}

static void
fmt_day(int32_t day, char *buf)
{
	date_format(day, buf);
}

struct kid {
	char id[24];
	int32_t dob;
};

static const char *
participation(struct gen *g, const struct kid *k, int32_t day)
{
	static const char *const codes[] = { "PN1", "PN1", "PN1", "PN2", "PN2",
		"PN3", "PN3", "PN4", "PN5", "PN6", "PN6", "PN7" };

	if (date_age_years(k->dob, day) < 4)
		return "PN0";
	return codes[rint_in(g, 0, (int)NITEMS(codes) - 1)];
}

/* An alert id unique in the stream. */
static void
alert_id(struct gen *g, char *buf, size_t len)
{
	snprintf(buf, len, "a%llx-%llu", (unsigned long long)g->cfg->seed,
	    (unsigned long long)g->next_id);
}

/* A Quality Assurance Alert about a child's case (qa.*): raised, mostly
 * answered, sometimes escalated, usually resolved. */
static int
gen_qa_alert(struct gen *g, const struct kid *k, const char *iro,
    const char *area, int32_t day)
{
	bool concern = chance(g, 0.65);
	int32_t responded = calendar_add_working_days(g->cal, day,
	    chance(g, 0.85) ? rint_in(g, 1, 5) : rint_in(g, 6, 15));
	char alert[48];
	int rc = 0, stage;

	alert_id(g, alert, sizeof(alert));
	rc |= ev(g, "qa_alert.raised", day, k->id,
	    "\"alert\":\"%s\",\"iro\":\"%s\",\"kind\":\"%s\","
	    "\"area\":\"%s\",\"theme\":\"planning\"",
	    alert, iro, concern ? "concern" : "good_practice", area);
	if (!concern)
		return rc;
	if (chance(g, 0.9))
		rc |= ev(g, "qa_alert.responded", responded, k->id,
		    "\"alert\":\"%s\"", alert);
	for (stage = 2; stage <= 4 && chance(g, 0.15); stage++)
		rc |= ev(g, "qa_alert.escalated", responded + 7 * (stage - 1),
		    k->id, "\"alert\":\"%s\",\"stage\":%d", alert, stage);
	if (chance(g, 0.8))
		rc |=
		    ev(g, "qa_alert.resolved", responded + rint_in(g, 20, 60),
			k->id, "\"alert\":\"%s\"", alert);
	return rc;
}

/* Harmful sexual behaviour (hsb.*): identified with a Brook category;
 * amber_red and red are mostly followed by an initial meeting. */
static int
gen_hsb(struct gen *g, const struct kid *k, int32_t day)
{
	static const char *const brook[] = { "green", "amber", "amber_red",
		"red" };
	int b = rint_in(g, 0, 3), rc = 0;
	int32_t meeting;

	rc |=
	    ev(g, "hsb.identified", day, k->id, "\"brook\":\"%s\"", brook[b]);
	if (b < 2 || !chance(g, 0.8))
		return rc;
	meeting = calendar_add_working_days(g->cal, day,
	    chance(g, 0.8) ? rint_in(g, 3, 20) : rint_in(g, 21, 40));
	rc |= ev(g, "hsb.meeting_held", meeting, k->id,
	    "\"kind\":\"initial\",\"brook\":\"%s\"", brook[b]);
	if (chance(g, 0.5))
		rc |= ev(g, "hsb.meeting_held", meeting + rint_in(g, 60, 120),
		    k->id, "\"kind\":\"review\",\"brook\":\"%s\"",
		    brook[rint_in(g, 1, 3)]);
	return rc;
}

/* The yearly checks of a child in care (lac.pep, lac.health_assessment,
 * lac.dental_check), from start to end. */
static int
gen_checks(struct gen *g, const struct kid *k, int32_t start, int32_t end)
{
	int32_t day;
	int rc = 0, age;

	for (day = start + rint_in(g, 20, 120); day < end && day <= g->last;
	     day += rint_in(g, 300, 400)) {
		age = date_age_years(k->dob, day);
		if (age >= 5 && age <= 15 && chance(g, 0.87))
			rc |= ev(g, "pep.completed", day, k->id, NULL);
		if (chance(g, 0.9))
			rc |= ev(g, "health_assessment.completed",
			    day + rint_in(g, 0, 20), k->id, NULL);
		if (chance(g, 0.85))
			rc |= ev(g, "dental_check.completed",
			    day + rint_in(g, 0, 40), k->id, NULL);
	}
	return rc;
}

/* A looked-after episode for the family, from day; returns its end. */
static int
gen_lac(struct gen *g, struct kid *kids, int nk, int32_t day)
{
	char iro[8], sw[DATE_STRLEN + 2], meeting[48], rec[DATE_STRLEN];
	bool short_breaks = chance(g, 0.03);
	int32_t due, held, end = DAY_NEVER;
	int i, number, rc = 0;

	snprintf(iro, sizeof(iro), "I%02d", rint_in(g, 1, NIROS));
	if (chance(g, 0.4))
		end = day + rint_in(g, 60, 900);
	for (i = 0; i < nk; i++) {
		rc |= ev(g, "iro.allocated", day, kids[i].id, "\"iro\":\"%s\"",
		    iro);
		rc |= ev(g, "lac.started", day, kids[i].id,
		    "\"legal_status\":\"%s\"",
		    short_breaks ? "V3" : (chance(g, 0.5) ? "C2" : "V2"));
	}
	for (i = 0; i < nk; i++) {
		rc |= gen_checks(g, &kids[i], day, end);
		if (chance(g, 0.05))
			rc |= gen_hsb(g, &kids[i], day + rint_in(g, 10, 300));
	}
	due = calendar_add_working_days(g->cal, day, 20);
	for (number = 1;; number++) {
		if (chance(g, g->cfg->late_review_rate))
			held = due + rint_in(g, 1, 30);
		else
			held = due - rint_in(g, 0, 12);
		if (held <= day)
			held = day + 1;
		if (held >= end || held > g->last)
			break;
		snprintf(meeting, sizeof(meeting), "m%llx-%llu-%d",
		    (unsigned long long)g->cfg->seed,
		    (unsigned long long)g->family, number);
		for (i = 0; i < nk; i++) {
			if (chance(g, 0.1))
				snprintf(sw, sizeof(sw), "null");
			else {
				sw[0] = '"';
				fmt_day(held - rint_in(g, 0, 6), sw + 1);
				strcat(sw, "\"");
			}
			rc |= ev(g, "review.held", held, kids[i].id,
			    "\"iro\":\"%s\",\"participation\":\"%s\","
			    "\"sw_report_at\":%s,\"permanence_plan\":%s%"
			    "s%s%s%s",
			    iro, participation(g, &kids[i], held), sw,
			    chance(g, number == 2 ? 0.35 : 0.8) ? "true"
								: "false",
			    nk > 1 ? ",\"meeting\":\"" : "",
			    nk > 1 ? meeting : "", nk > 1 ? "\"" : "",
			    held > due ? ",\"late_reason\":\"illness\"" : "");
			fmt_day(held, rec);
			rc |= ev(g, "review.decisions_uploaded",
			    held + rint_in(g, 1, 8), kids[i].id,
			    "\"review_at\":\"%s\"", rec);
			rc |= ev(g, "review.record_uploaded",
			    held + rint_in(g, 5, 30), kids[i].id,
			    "\"review_at\":\"%s\"", rec);
		}
		if (chance(g, 0.08))
			rc |= gen_qa_alert(g, &kids[0], iro, "lac", held);
		/* Now and then the case moves to another IRO. */
		if (chance(g, 0.1)) {
			snprintf(
			    iro, sizeof(iro), "I%02d", rint_in(g, 1, NIROS));
			for (i = 0; i < nk; i++)
				rc |= ev(g, "iro.allocated",
				    held + rint_in(g, 1, 20), kids[i].id,
				    "\"iro\":\"%s\"", iro);
		}
		due = date_add_months(held, number == 1 ? 3 : 6);
		day = held;
	}
	if (end != DAY_NEVER)
		for (i = 0; i < nk; i++)
			rc |= ev(g, "lac.ended", end, kids[i].id, NULL);
	return rc != 0 ? IRK_ENOMEM : 0;
}

/* ,"meeting":"..." for siblings seen together, or "" for one child. */
static void
cp_meeting(struct gen *g, char *buf, size_t len, int number, int nk)
{
	if (nk < 2) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, ",\"meeting\":\"c%llx-%llu-%d\"",
	    (unsigned long long)g->cfg->seed, (unsigned long long)g->family,
	    number);
}

/* ,"agencies_invited":[...],"agencies_attended":[...] (cp.agency_attendance);
 * now and then an agency comes uninvited. */
static void
cp_agencies(struct gen *g, char *buf, size_t len)
{
	snprintf(buf, len,
	    ",\"agencies_invited\":[\"police\",\"health\",\"school\"%s],"
	    "\"agencies_attended\":[%s\"health\"%s%s]",
	    chance(g, 0.3) ? ",\"probation\"" : "",
	    chance(g, 0.8) ? "\"police\"," : "",
	    chance(g, 0.7) ? ",\"school\"" : "",
	    chance(g, 0.05) ? ",\"housing\"" : "");
}

/* A conference stood down before it was held (cp.conferences_disrupted). */
static int
cp_stood_down(struct gen *g, const struct kid *kids, int nk, int32_t day,
    const char *kind, const char *reason, const char *meeting)
{
	int i, rc = 0;

	for (i = 0; i < nk; i++)
		rc |= ev(g, "conference.stood_down", day, kids[i].id,
		    "\"kind\":\"%s\",\"reason\":\"%s\"%s", kind, reason,
		    meeting);
	return rc;
}

/* The conference record sent out (cp.record_distribution). */
static int
cp_record(struct gen *g, const struct kid *k, int32_t conf)
{
	char at[DATE_STRLEN];

	if (!chance(g, 0.95))
		return 0;
	fmt_day(conf, at);
	return ev(g, "conference.record_distributed",
	    calendar_add_working_days(g->cal, conf,
		chance(g, 0.9) ? rint_in(g, 1, 10) : rint_in(g, 11, 20)),
	    k->id, "\"conference_at\":\"%s\"", at);
}

/* A child protection plan for the family from day; *end gets its end. */
static int
gen_cp(struct gen *g, struct kid *kids, int nk, int32_t day, int32_t *end,
    bool repeat)
{
	static const char *const cats[] = { "neglect", "neglect", "neglect",
		"neglect", "neglect", "emotional", "emotional", "emotional",
		"physical", "multiple", "sexual" };
	static const char *const reasons[] = { "interpreter", "late_request",
		"parent_unavailable", "not_quorate", "sw_absent",
		"information_missing", "other" };
	char iro[8], rp[DATE_STRLEN + 2], meeting[64], agencies[160];
	const char *cat = cats[rint_in(g, 0, (int)NITEMS(cats) - 1)];
	int32_t icpc, conf, due;
	int i, reviews = rint_in(g, 0, 4), number, rc = 0;
	bool plan = chance(g, 0.84);

	snprintf(iro, sizeof(iro), "I%02d", rint_in(g, 1, NIROS));
	icpc = calendar_add_working_days(g->cal, day,
	    chance(g, 0.95) ? rint_in(g, 5, 15) : rint_in(g, 16, 25));
	*end = icpc;
	cp_meeting(g, meeting, sizeof(meeting), 0, nk);
	cp_agencies(g, agencies, sizeof(agencies));
	if (chance(g, 0.1))
		rc |= cp_stood_down(g, kids, nk, icpc - rint_in(g, 1, 5),
		    "initial",
		    reasons[rint_in(g, 0, (int)NITEMS(reasons) - 1)], meeting);
	for (i = 0; i < nk; i++) {
		rc |= ev(g, "strategy.held", day, kids[i].id, NULL);
		rc |= ev(g, "iro.allocated", icpc, kids[i].id,
		    "\"iro\":\"%s\"", iro);
		rp[0] = '"';
		fmt_day(icpc - rint_in(g, 0, 3), rp + 1);
		strcat(rp, "\"");
		rc |= ev(g, "conference.held", icpc, kids[i].id,
		    "\"kind\":\"initial\",\"iro\":\"%s\",\"outcome\":\"%s\","
		    "\"report_to_parents_at\":%s,\"child_attended\":%s,"
		    "\"advocacy\":%s%s%s",
		    iro, plan ? "plan" : "no_plan",
		    chance(g, 0.05) ? "null" : rp,
		    chance(g, 0.1) ? "true" : "false",
		    chance(g, 0.2) ? "true" : "false", agencies, meeting);
		rc |= cp_record(g, &kids[i], icpc);
		if (plan)
			rc |= ev(g, "cp_plan.started", icpc, kids[i].id,
			    "\"category\":\"%s\"%s", cat,
			    !repeat && chance(g, 0.04)
				? ",\"previous_plans\":1"
				: "");
		if (plan && chance(g, 0.9))
			rc |= ev(g, "cp_plan.shared",
			    calendar_add_working_days(
				g->cal, icpc, rint_in(g, 1, 8)),
			    kids[i].id, NULL);
	}
	if (chance(g, 0.1))
		rc |= gen_qa_alert(g, &kids[0], iro, "cp", icpc + 1);
	if (!plan)
		return rc != 0 ? IRK_ENOMEM : 0;
	conf = icpc;
	for (number = 1; number <= reviews; number++) {
		due = date_add_months(conf, number == 1 ? 3 : 6);
		conf = chance(g, 0.93) ? due - rint_in(g, 0, 10)
				       : due + rint_in(g, 1, 20);
		cp_meeting(g, meeting, sizeof(meeting), number, nk);
		cp_agencies(g, agencies, sizeof(agencies));
		if (chance(g, 0.1))
			rc |= cp_stood_down(g, kids, nk,
			    conf - rint_in(g, 1, 5), "review",
			    reasons[rint_in(g, 0, (int)NITEMS(reasons) - 1)],
			    meeting);
		/* A different chair now and then (cp.chair_consistency). */
		if (chance(g, 0.15))
			snprintf(
			    iro, sizeof(iro), "I%02d", rint_in(g, 1, NIROS));
		for (i = 0; i < nk; i++) {
			rp[0] = '"';
			fmt_day(conf - rint_in(g, 0, 5), rp + 1);
			strcat(rp, "\"");
			rc |= ev(g, "conference.held", conf, kids[i].id,
			    "\"kind\":\"review\",\"iro\":\"%s\","
			    "\"outcome\":\"%s\","
			    "\"report_to_parents_at\":%s,"
			    "\"child_attended\":%s%s%s",
			    iro, number == reviews ? "end" : "continue", rp,
			    chance(g, 0.1) ? "true" : "false", agencies,
			    meeting);
			rc |= cp_record(g, &kids[i], conf);
		}
	}
	*end = conf + (reviews == 0 ? rint_in(g, 30, 120) : 0);
	for (i = 0; i < nk; i++)
		rc |= ev(g, "cp_plan.ended", *end, kids[i].id, NULL);
	return rc != 0 ? IRK_ENOMEM : 0;
}

static int
gen_family(struct gen *g)
{
	struct kid kids[3];
	int nk = chance(g, 0.7) ? 1 : chance(g, 0.66) ? 2 : 3;
	int32_t start = g->first + rint_in(g, 0, g->last - g->first), end;
	int i, rc = 0;
	uint64_t r = rnd(g) % 100;

	for (i = 0; i < nk; i++) {
		char dob[DATE_STRLEN];

		snprintf(kids[i].id, sizeof(kids[i].id), "P%07llu",
		    (unsigned long long)++g->next_child);
		kids[i].dob = start - rint_in(g, -200, 17 * 365);
		fmt_day(kids[i].dob, dob);
		rc |= ev(g, "child.registered", start, kids[i].id,
		    "\"dob\":\"%s\",\"gender\":\"%c\"", dob,
		    "FMU"[rint_in(g, 0, 2) == 2 && chance(g, 0.1)
			      ? 2
			      : rint_in(g, 0, 1)]);
	}
	if (r < 55)
		return rc != 0 ? IRK_ENOMEM : gen_lac(g, kids, nk, start);
	if ((rc = gen_cp(g, kids, nk, start, &end, false)) != 0)
		return rc;
	if (r < 75)
		return gen_cp(
		    g, kids, nk, end + rint_in(g, 60, 900), &end, true);
	if (r < 90)
		return 0;
	return gen_lac(g, kids, nk, end + rint_in(g, 1, 400));
}

static int
line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

/* A wrong first entry: the same event with another id and date, which a
 * retraction then withdraws.  One time in four the real event is also
 * retracted by mistake, and that retraction withdrawn in turn, which
 * brings it back (EVENTS.md: as if the retraction had never arrived). */
static int
add_mistake(struct gen *g, size_t i, uint64_t *emitted,
    int (*emit)(void *, const char *, size_t), void *arg)
{
	char wrong[LINE_MAX_BYTES], retraction[256], id[64], undo[2][320];
	const char *src = g->lines[i].text, *p, *q;
	int rc, real;

	/* {"id":"X",... -> {"id":"X-w",... */
	p = strstr(src, "\"id\":\"") + 6;
	q = strchr(p, '"');
	snprintf(id, sizeof(id), "%.*s-w", (int)(q - p), p);
	snprintf(wrong, sizeof(wrong), "{\"id\":\"%s%s", id, q);
	p = strstr(src, "\"at\":\"") + 6;
	snprintf(retraction, sizeof(retraction),
	    "{\"id\":\"%s-r\",\"type\":\"event.retracted\",\"at\":\"%.10s\","
	    "\"target\":\"%s\"}",
	    id, p, id);
	if ((rc = emit(arg, wrong, strlen(wrong))) != 0 ||
	    (rc = emit(arg, retraction, strlen(retraction))) != 0)
		return rc;
	*emitted += 2;
	if (!chance(g, 0.25))
		return 0;
	real = (int)(strlen(id) - 2); /* the real event's id: X */
	snprintf(undo[0], sizeof(undo[0]),
	    "{\"id\":\"%.*s-u\",\"type\":\"event.retracted\","
	    "\"at\":\"%.10s\",\"target\":\"%.*s\"}",
	    real, id, p, real, id);
	snprintf(undo[1], sizeof(undo[1]),
	    "{\"id\":\"%.*s-u-r\",\"type\":\"event.retracted\","
	    "\"at\":\"%.10s\",\"target\":\"%.*s-u\"}",
	    real, id, p, real, id);
	if ((rc = emit(arg, undo[0], strlen(undo[0]))) != 0 ||
	    (rc = emit(arg, undo[1], strlen(undo[1]))) != 0)
		return rc;
	*emitted += 2;
	return 0;
}

int
sim_run(const struct sim_config *cfg,
    int (*emit)(void *arg, const char *line, size_t len), void *arg)
{
	struct gen g = { .cfg = cfg, .rng = cfg->seed };
	uint64_t emitted = 0;
	size_t i, j;
	int rc = 0;

	if (calendar_new(&g.cal) != 0)
		return IRK_ENOMEM;
	g.first = date_from_ymd(cfg->first_year, 4, 1);
	g.last = date_from_ymd(cfg->first_year + cfg->years, 3, 31);
	for (g.family = 0; cfg->families == 0 || g.family < cfg->families;
	     g.family++) {
		g.n = 0;
		if ((rc = gen_family(&g)) != 0)
			break;
		qsort(g.lines, g.n, sizeof(g.lines[0]), line_cmp);
		for (i = 0; i < g.n; i++) {
			if (chance(&g, cfg->shuffle_rate) && i + 1 < g.n) {
				struct line tmp = g.lines[i];

				j = i + 1 +
				    (size_t)rint_in(&g, 0, (int)(g.n - i - 2));
				g.lines[i] = g.lines[j];
				g.lines[j] = tmp;
			}
		}
		for (i = 0; i < g.n && rc == 0; i++) {
			if (cfg->max_events && emitted >= cfg->max_events)
				goto done;
			if (chance(&g, cfg->retract_rate) &&
			    (rc = add_mistake(&g, i, &emitted, emit, arg)) !=
				0)
				break;
			rc = emit(
			    arg, g.lines[i].text, strlen(g.lines[i].text));
			emitted++;
			if (rc == 0 && chance(&g, cfg->duplicate_rate)) {
				rc = emit(arg, g.lines[i].text,
				    strlen(g.lines[i].text));
				emitted++;
			}
		}
		if (rc != 0 || (cfg->max_events && emitted >= cfg->max_events))
			break;
	}
done:
	free(g.lines);
	calendar_free(&g.cal);
	return rc;
}

void
sim_defaults(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = 1;
	cfg->first_year = 2017;
	cfg->years = 3;
	cfg->families = 1000;
	cfg->duplicate_rate = 0.01;
	cfg->retract_rate = 0.005;
	cfg->shuffle_rate = 0.1;
	cfg->late_review_rate = 0.02;
}
