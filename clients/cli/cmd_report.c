/*
 * irokpi report: the tables of an IRO service's annual report (the shape
 * of /work/shared/seed's 2019-20 report) for financial year YEAR beside the
 * year before, from two kpi queries (PROTOCOL.md): fyYEAR and fy(YEAR-1),
 * with the same as_at.  Every KPI the daemon has goes into the summary;
 * each breakdown section is printed when its KPI exists and skipped
 * otherwise, so the report grows with the catalogue without a change here.
 *
 * Each section is built as a struct table (table.h) and printed as Markdown,
 * CSV or HTML (a self-contained page that adds inline SVG charts, the
 * by-year ones from kpi queries for the years before too).  Markdown and
 * HTML cells carry a figure the way the seed writes it ("98.4%
 * (1407/1430)", "374 (51.9%)"); CSV cells carry bare numbers, one a column,
 * for a spreadsheet.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/cli/table.h"
#include "clients/irokpi.h"

enum { OPT_FY = CLI_OPT_FIRST_LOCAL, OPT_FORMAT, OPT_AS_AT, OPT_JSON };

/* One financial year's kpi answer. */
struct year {
	char label[16]; /* "fy2019" */
	json_t *reply;  /* the whole answer, owned */
	json_t *kpis;   /* its "kpis", borrowed from reply */
};

/*
 * The breakdown sections, in the seed report's order: a KPI's breakdown
 * group (NULL: all of its breakdown) with a year a column.
 */
static const struct section {
	const char *name;  /* CSV: the section column */
	const char *title; /* Markdown: the heading */
	const char *kpi;
	const char *group;
	const char *label; /* Markdown: the header of the row labels */
} sections[] = {
	{ "participation", "Participation in LAC reviews by code",
	    "lac.participation", "codes", "Code" },
	{ "repeat_plans_since",
	    "Repeat child protection plans by time since the previous plan",
	    "cp.repeat_plans", "since_previous", "Time since" },
	{ "repeat_plans_age", "Repeat child protection plans by age at start",
	    "cp.repeat_plans", "age_at_start", "Age" },
	{ "categories", "Child protection plans started by category of abuse",
	    "cp.categories", NULL, "Category" },
	{ "conferences_disrupted",
	    "Conferences stood down or out of date, by reason",
	    "cp.conferences_disrupted", NULL, "Reason" },
	{ "qa_alerts", "Quality assurance alerts by area and kind",
	    "qa.alerts", NULL, "Alerts" },
};

static void
usage(void)
{
	printf(
	    "usage: irokpi report --fy YEAR [options]\n"
	    "\n"
	    "The annual report's tables for the financial year YEAR (1 "
	    "April YEAR to\n31 March YEAR+1) beside the year before: a "
	    "summary of every KPI (value,\nlast year's, target, RAG), "
	    "then participation by code, repeat plans by\ntime since the "
	    "previous plan and by age, categories of abuse, conferences\n"
	    "stood down by reason and QA alerts by area and kind, for "
	    "the KPIs this\nirokpid has.\n"
	    "\n"
	    "options:\n"
	    "  --fy YEAR        the financial year, 2019 or fy2019 "
	    "(required)\n"
	    "  --format F       md (Markdown tables, the default), csv "
	    "(RFC 4180,\n"
	    "                   one table a section, a blank line "
	    "between) or html\n"
	    "                   (one self-contained page: the tables and "
	    "inline SVG\n"
	    "                   charts, the by-year ones over the last "
	    "5 years)\n"
	    "  --as-at DATE     take DATE (YYYY-MM-DD) as today\n"
	    "  --json           both kpi answers as one line of JSON, "
	    "keyed by year\n" CLI_GLOBAL_HELP "  --help           this text\n"
	    "\n"
	    "Exit status: 0 done, 1 the daemon refused, 2 no answer or "
	    "wrong usage.\n");
}

/* ---- cells ---- */

/* The string under key, or "?" when there is none. */
static const char *
text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "?";
}

/* A bare number for CSV: "" for null or absent. */
static void
number_text(json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.15g", json_real_value(v));
	else
		snprintf(buf, len, "%s", "");
}

/* A KPI's headline as the seed writes it: "98.4% (1407/1430)", "642". */
static void
headline_md(json_t *kpi, char *buf, size_t len)
{
	const char *unit = json_string_value(json_object_get(kpi, "unit"));
	const char *as_at = json_string_value(json_object_get(kpi, "as_at"));
	json_t *value = json_object_get(kpi, "value");
	char fig[64];

	cli_format_figure(value, unit, fig, sizeof(fig));
	if (json_is_number(value) && unit != NULL &&
	    strcmp(unit, "percent") == 0)
		snprintf(buf, len, "%s (%lld/%lld)", fig,
		    (long long)json_integer_value(json_object_get(kpi, "num")),
		    (long long)json_integer_value(
			json_object_get(kpi, "den")));
	else
		snprintf(buf, len, "%s", fig);
	if (as_at != NULL && strlen(buf) + 4 + strlen(as_at) < len)
		snprintf(
		    buf + strlen(buf), len - strlen(buf), " at %s", as_at);
}

/* A ratio item of a breakdown, {num, den, value}, as kpi answers give. */
static bool
is_ratio(json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 3 &&
	       json_is_integer(json_object_get(v, "num")) &&
	       json_is_integer(json_object_get(v, "den")) &&
	       json_object_get(v, "value") != NULL;
}

/* ---- the summary ---- */

static int
summary_md(const struct year *cur, const struct year *prev, struct table *t)
{
	const char *head[] = { "KPI", "Title", cur->label, prev->label,
		"Target", "RAG" };
	const char *id, *unit;
	char now[96], before[96], target[32], rag[16];
	const char *cells[6];
	json_t *kpi;

	if (table_init(t, "summary",
		"Summary: what is working well and what we are worried about",
		"llrrll", head) != 0)
		return -1;
	json_object_foreach(cur->kpis, id, kpi)
	{
		unit = json_string_value(json_object_get(kpi, "unit"));
		headline_md(kpi, now, sizeof(now));
		headline_md(
		    json_object_get(prev->kpis, id), before, sizeof(before));
		cli_format_target(json_object_get(kpi, "target"), unit, target,
		    sizeof(target));
		cli_format_scalar(
		    json_object_get(kpi, "rag"), rag, sizeof(rag));
		cells[0] = id;
		cells[1] = json_string_value(json_object_get(kpi, "title"));
		cells[2] = now;
		cells[3] = before;
		cells[4] = target;
		cells[5] = rag;
		if (table_add_row(t, cells) != 0)
			return -1;
	}
	return 0;
}

/* A CSV field: a string as it is, a number bare (into buf), else "". */
static const char *
csv_value(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		return json_string_value(v);
	number_text(v, buf, len);
	return buf;
}

/* Columns: kpi, title, unit, each year's value, num, den, as_at, target. */
static int
summary_csv(const struct year *cur, const struct year *prev, struct table *t)
{
	static const char *const fields[] = { "value", "num", "den", "as_at" };
	const struct year *years[2] = { cur, prev };
	const char *head[15], *cells[15], *id;
	char names[8][32], bufs[10][64];
	json_t *kpi, *target;
	size_t y, i, nc = 0, nb;

	head[nc++] = "kpi";
	head[nc++] = "title";
	head[nc++] = "unit";
	for (y = 0; y < 2; y++)
		for (i = 0; i < NITEMS(fields); i++) {
			snprintf(names[y * 4 + i], sizeof(names[0]), "%s%s%s",
			    years[y]->label, i > 0 ? "_" : "",
			    i > 0 ? fields[i] : "");
			head[nc++] = names[y * 4 + i];
		}
	head[nc++] = "target";
	head[nc++] = "better";
	head[nc++] = "amber";
	head[nc++] = "rag";
	if (table_init(t, "summary", "Summary", "lllrrrlrrrlrlrl", head) != 0)
		return -1;
	json_object_foreach(cur->kpis, id, kpi)
	{
		nc = nb = 0;
		cells[nc++] = id;
		cells[nc++] = json_string_value(json_object_get(kpi, "title"));
		cells[nc++] = json_string_value(json_object_get(kpi, "unit"));
		for (y = 0; y < 2; y++)
			for (i = 0; i < NITEMS(fields); i++, nb++)
				cells[nc++] = csv_value(
				    json_object_get(
					json_object_get(years[y]->kpis, id),
					fields[i]),
				    bufs[nb], sizeof(bufs[nb]));
		target = json_object_get(kpi, "target");
		cells[nc++] = csv_value(json_object_get(target, "value"),
		    bufs[nb], sizeof(bufs[nb]));
		nb++;
		cells[nc++] =
		    json_string_value(json_object_get(target, "better"));
		cells[nc++] = csv_value(json_object_get(target, "amber"),
		    bufs[nb], sizeof(bufs[nb]));
		cells[nc++] = json_string_value(json_object_get(kpi, "rag"));
		if (table_add_row(t, cells) != 0)
			return -1;
	}
	return 0;
}

/* ---- breakdown sections ---- */

/* One line of a section: a breakdown item in either year. */
struct row {
	const char *group; /* "" for a top-level item */
	const char *key;
	json_t *v[2]; /* this year, last year; NULL when absent */
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static int
rows_put(struct rows *rs, const char *group, const char *key, size_t year,
    json_t *v)
{
	struct row *r;
	size_t i, cap;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].group, group) == 0 &&
		    strcmp(rs->v[i].key, key) == 0) {
			rs->v[i].v[year] = v;
			return 0;
		}
	if (rs->n == rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 16;
		if ((r = realloc(rs->v, cap * sizeof(*r))) == NULL)
			return -1;
		rs->v = r;
		rs->cap = cap;
	}
	r = &rs->v[rs->n++];
	r->group = group;
	r->key = key;
	r->v[0] = r->v[1] = NULL;
	r->v[year] = v;
	return 0;
}

/*
 * The items of one year's breakdown that section s shows, in the
 * daemon's order: the group's, or every item (a group's flattened).
 */
static int
rows_collect(struct rows *rs, const struct section *s, json_t *bd, size_t year)
{
	const char *key, *sub;
	json_t *v, *w;

	if (s->group != NULL) {
		json_object_foreach(json_object_get(bd, s->group), key, v)
		{
			if (rows_put(rs, s->group, key, year, v) != 0)
				return -1;
		}
		return 0;
	}
	json_object_foreach(bd, key, v)
	{
		if (!json_is_object(v) || is_ratio(v)) {
			if (rows_put(rs, "", key, year, v) != 0)
				return -1;
			continue;
		}
		json_object_foreach(v, sub, w)
		{
			if (rows_put(rs, key, sub, year, w) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * One cell: a count, or a ratio as "count (share%)" in Markdown and as
 * count and share in two CSV columns.  An item a year lacks counted 0.
 */
static void
item_cells(json_t *v, bool csv, char *count, char *share, size_t len)
{
	json_t *n = is_ratio(v) ? json_object_get(v, "num") : v;
	json_t *value = json_object_get(v, "value");

	if (n == NULL)
		snprintf(count, len, "0");
	else if (csv)
		number_text(n, count, len);
	else
		cli_format_scalar(n, count, len);
	if (csv) {
		if (is_ratio(v))
			number_text(value, share, len);
		else
			snprintf(share, len, "%s", "");
	} else if (is_ratio(v) && json_is_number(value))
		snprintf(count + strlen(count), len - strlen(count),
		    " (%.1f%%)", json_number_value(value));
}

static int
section_table(const struct section *s, const struct year *years[2], bool csv,
    struct table *t)
{
	struct rows rs = { 0 };
	const char *head[7], *cells[7];
	char names[2][32], count[2][64], share[2][64], align[8];
	bool grouped = false, ratio = false;
	size_t i, y, nc;
	int rc = -1;

	for (y = 0; y < 2; y++)
		if (rows_collect(&rs, s,
			json_object_get(
			    json_object_get(years[y]->kpis, s->kpi),
			    "breakdown"),
			y) != 0)
			goto done;
	for (i = 0; i < rs.n; i++) {
		grouped |= s->group == NULL && rs.v[i].group[0] != '\0';
		ratio |= is_ratio(rs.v[i].v[0]) || is_ratio(rs.v[i].v[1]);
	}
	nc = 0;
	if (grouped) {
		align[nc] = 'l';
		head[nc++] = csv ? "breakdown" : "Breakdown";
	}
	align[nc] = 'l';
	head[nc++] = csv ? "item" : s->label;
	for (y = 0; y < 2; y++) {
		align[nc] = 'r';
		head[nc++] = years[y]->label;
		if (csv && ratio) {
			snprintf(names[y], sizeof(names[y]), "%s_share",
			    years[y]->label);
			align[nc] = 'r';
			head[nc++] = names[y];
		}
	}
	align[nc] = '\0';
	if (table_init(t, s->name, s->title, align, head) != 0)
		goto done;
	for (i = 0; i < rs.n; i++) {
		nc = 0;
		if (grouped)
			cells[nc++] = rs.v[i].group;
		cells[nc++] = rs.v[i].key;
		for (y = 0; y < 2; y++) {
			item_cells(rs.v[i].v[y], csv, count[y], share[y],
			    sizeof(count[y]));
			cells[nc++] = count[y];
			if (csv && ratio)
				cells[nc++] = share[y];
		}
		if (table_add_row(t, cells) != 0)
			goto done;
	}
	rc = 0;
done:
	free(rs.v);
	return rc;
}

/* ---- the report ---- */

static void
print_table(const struct table *t, bool csv, bool first)
{
	if (csv) {
		if (!first)
			fputs("\r\n", stdout);
		table_print_csv(t, stdout);
	} else {
		fputs("\n", stdout);
		table_print_md(t, stdout);
	}
}

static int
print_report(const struct year *cur, const struct year *prev, bool csv)
{
	const struct year *years[2] = { cur, prev };
	json_t *win = json_object_get(cur->reply, "window");
	json_t *pwin = json_object_get(prev->reply, "window");
	const char *today = text(cur->reply, "today");
	struct table t = { 0 };
	size_t i;
	int rc;

	if (!csv)
		printf("# IRO service annual report: %s beside %s\n\n"
		       "%s is %s to %s, %s is %s to %s; figures as known on "
		       "%s.\nAs-at figures are counted on the last day of the "
		       "year, or on %s when\nthat is earlier.\n",
		    cur->label, prev->label, cur->label, text(win, "from"),
		    text(win, "to"), prev->label, text(pwin, "from"),
		    text(pwin, "to"), today, today);
	if ((rc = csv ? summary_csv(cur, prev, &t)
		      : summary_md(cur, prev, &t)) == 0)
		print_table(&t, csv, true);
	table_free(&t);
	for (i = 0; rc == 0 && i < NITEMS(sections); i++) {
		/* Not in this irokpid's catalogue (yet): no section. */
		if (json_object_get(cur->kpis, sections[i].kpi) == NULL)
			continue;
		if ((rc = section_table(&sections[i], years, csv, &t)) == 0)
			print_table(&t, csv, false);
		table_free(&t);
	}
	if (rc != 0) {
		fprintf(stderr, "irokpi: report: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* ---- HTML ---- */

/*
 * --format html: one self-contained page (inline CSS, inline SVG, no
 * script, no URL) with the Markdown report's tables and a bar chart for
 * each series the annual report draws.  The page makes no request of its
 * own, so it can be mailed to a board or opened from a shared drive.
 */

/* How many financial years the "by year" charts go back, this one included. */
#define HTML_YEARS 5

static void
html_text(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
}

static void
html_table(FILE *f, const struct table *t)
{
	size_t r, c;

	fputs("<h2>", f);
	html_text(f, t->title);
	fputs("</h2>\n<table>\n<tr>", f);
	for (c = 0; c < t->ncols; c++) {
		fputs("<th>", f);
		html_text(f, t->head[c]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (r = 0; r < t->nrows; r++) {
		fputs("<tr>", f);
		for (c = 0; c < t->ncols; c++) {
			fputs(t->align[c] == 'r' ? "<td class=\"n\">" : "<td>",
			    f);
			html_text(f, t->cells[r * t->ncols + c]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* A number for a chart: a count, a ratio's num, or NAN when absent. */
static double
chart_value(json_t *v)
{
	if (is_ratio(v))
		v = json_object_get(v, "num");
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Up to two series (this year, last year) of bars over nl labels. */
struct chart {
	const char *id, *title, *unit; /* unit: "%" or "" */
	size_t nl, ns;
	const char *labels[32];
	const char *series[2];
	double v[2][32];
};

/* The axis top: max rounded up to 4 times 1, 2, 3, 4, 5, 6, 8 or 10 times
 * a power of ten, so that the four grid steps are round numbers. */
static double
nice_max(double max)
{
	static const double steps[] = { 1, 2, 3, 4, 5, 6, 8, 10 };
	double p = 1;
	size_t i;

	while (p * 10 <= max / 4)
		p *= 10;
	for (i = 0; i < NITEMS(steps); i++)
		if (steps[i] * p * 4 >= max)
			return steps[i] * p * 4;
	return p * 40;
}

static const char *const chart_colours[2] = { "#1f5f99", "#9cb8d6" };

static void
svg_chart(FILE *f, const struct chart *ch)
{
	const double w = 640, h = 300, left = 56, right = 16, top = 36,
		     bottom = 96;
	double max = 0, step, bw, x, y, bh, tick;
	size_t l, s, i;

	for (s = 0; s < ch->ns; s++)
		for (l = 0; l < ch->nl; l++)
			if (!isnan(ch->v[s][l]) && ch->v[s][l] > max)
				max = ch->v[s][l];
	if (strcmp(ch->unit, "%") == 0)
		max = 100;
	else if (max <= 0)
		max = 4;
	else
		max = nice_max(max);
	step = (w - left - right) / (double)(ch->nl ? ch->nl : 1);
	bw = step * 0.8 / (double)(ch->ns ? ch->ns : 1);
	fprintf(f,
	    "<figure>\n<svg id=\"%s\" class=\"chart\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n"
	    "<title>",
	    ch->id, w, h, w, h);
	html_text(f, ch->title);
	fprintf(f, "</title>\n<text x=\"%.0f\" y=\"20\" class=\"t\">", left);
	html_text(f, ch->title);
	fputs("</text>\n", f);
	for (i = 0; i <= 4; i++) {
		tick = max * (double)i / 4;
		y = h - bottom - (h - top - bottom) * (double)i / 4;
		fprintf(f,
		    "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
		    "class=\"g\"/><text x=\"%.0f\" y=\"%.1f\" "
		    "class=\"y\">%.*f%s</text>\n",
		    left, y, w - right, y, left - 4, y + 4,
		    tick != (long)tick ? 1 : 0, tick, ch->unit);
	}
	for (l = 0; l < ch->nl; l++) {
		for (s = 0; s < ch->ns; s++) {
			if (isnan(ch->v[s][l]))
				continue;
			bh = (h - top - bottom) * ch->v[s][l] / max;
			x = left + step * (double)l + step * 0.1 +
			    bw * (double)s;
			fprintf(f,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>",
			    x, h - bottom - bh, bw, bh, chart_colours[s]);
			html_text(f, ch->series[s]);
			fputs(" ", f);
			html_text(f, ch->labels[l]);
			fprintf(f, ": %g%s</title></rect>\n", ch->v[s][l],
			    ch->unit);
		}
		fprintf(f,
		    "<text x=\"%.1f\" y=\"%.0f\" class=\"x\" "
		    "transform=\"rotate(-30 %.1f %.0f)\">",
		    left + step * ((double)l + 0.5), h - bottom + 14,
		    left + step * ((double)l + 0.5), h - bottom + 14);
		html_text(f, ch->labels[l]);
		fputs("</text>\n", f);
	}
	for (s = 0; ch->ns > 1 && s < ch->ns; s++) {
		fprintf(f,
		    "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" "
		    "height=\"10\" fill=\"%s\"/><text x=\"%.0f\" "
		    "y=\"%.0f\" class=\"k\">",
		    left + 75 * (double)s, h - 16, chart_colours[s],
		    left + 14 + 75 * (double)s, h - 7);
		html_text(f, ch->series[s]);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n</figure>\n", f);
}

/* One value a year, oldest first: field of kpi in each answer we have. */
static void
chart_by_year(FILE *f, const char *id, const char *title, const char *unit,
    const struct year *years, size_t ny, const char *kpi, const char *field)
{
	struct chart ch = { .id = id, .title = title, .unit = unit, .ns = 1 };
	size_t i;

	ch.series[0] = "";
	for (i = ny; i-- > 0 && ch.nl < NITEMS(ch.labels);) {
		if (years[i].kpis == NULL ||
		    json_object_get(years[i].kpis, kpi) == NULL)
			continue;
		ch.labels[ch.nl] = years[i].label;
		ch.v[0][ch.nl++] = chart_value(json_object_get(
		    json_object_get(years[i].kpis, kpi), field));
	}
	if (ch.nl > 0)
		svg_chart(f, &ch);
}

/* A breakdown section's items, this year beside last year. */
static int
chart_section(FILE *f, const char *id, const struct section *s,
    const char *only, const struct year *years[2])
{
	struct chart ch = { .id = id, .title = s->title, .unit = "", .ns = 2 };
	struct rows rs = { 0 };
	size_t i, y;

	for (y = 0; y < 2; y++)
		if (rows_collect(&rs, s,
			json_object_get(
			    json_object_get(years[y]->kpis, s->kpi),
			    "breakdown"),
			y) != 0) {
			free(rs.v);
			return -1;
		}
	ch.series[0] = years[0]->label;
	ch.series[1] = years[1]->label;
	for (i = 0; i < rs.n && ch.nl < NITEMS(ch.labels); i++) {
		/* Plain counts only: a ratio's share is in the table. */
		if ((only != NULL && strcmp(rs.v[i].group, only) != 0) ||
		    (!json_is_number(rs.v[i].v[0]) &&
			!json_is_number(rs.v[i].v[1]) &&
			!is_ratio(rs.v[i].v[0]) && !is_ratio(rs.v[i].v[1])))
			continue;
		ch.labels[ch.nl] = rs.v[i].key;
		for (y = 0; y < 2; y++) {
			ch.v[y][ch.nl] = chart_value(rs.v[i].v[y]);
			if (isnan(ch.v[y][ch.nl]))
				ch.v[y][ch.nl] = 0;
		}
		ch.nl++;
	}
	if (ch.nl > 0)
		svg_chart(f, &ch);
	free(rs.v);
	return 0;
}

static const char html_style[] =
    "body{font-family:sans-serif;margin:2em;color:#222;max-width:60em}"
    "table{border-collapse:collapse;margin:0 0 1.5em}"
    "th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left}"
    "td.n{text-align:right}th{background:#e8eef5}"
    "figure{margin:1em 0}.chart{border:1px solid #ddd;background:#fff}"
    ".chart .t{font-size:14px;font-weight:bold}"
    ".chart .x{font-size:10px;text-anchor:end}"
    ".chart .y{font-size:10px;text-anchor:end}"
    ".chart .k{font-size:10px}.chart .g{stroke:#ddd}";

/* The charts of the page, and which section table each one follows. */
static const struct {
	const char *id;
	const char *kpi;   /* a section's, or NULL for a by-year chart */
	const char *group; /* a section's group */
	const char *only;  /* NULL, or the one breakdown group charted */
} html_charts[] = {
	{ "chart-participation", "lac.participation", "codes", NULL },
	{ "chart-repeat-plans", "cp.repeat_plans", "since_previous", NULL },
	{ "chart-categories", "cp.categories", NULL, NULL },
	{ "chart-stood-down", "cp.conferences_disrupted", NULL, "by_reason" },
};

static int
print_html(const struct year *ys, size_t ny)
{
	const struct year *years[2] = { &ys[0], &ys[1] };
	json_t *win = json_object_get(ys[0].reply, "window");
	struct table t = { 0 };
	size_t i, j;
	int rc;

	printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	       "<meta charset=\"utf-8\">\n<title>IRO service annual "
	       "report %s</title>\n<style>%s</style>\n</head>\n<body>\n"
	       "<h1>IRO service annual report: %s beside %s</h1>\n",
	    ys[0].label, html_style, ys[0].label, ys[1].label);
	printf("<p>%s is ", ys[0].label);
	html_text(stdout, text(win, "from"));
	fputs(" to ", stdout);
	html_text(stdout, text(win, "to"));
	fputs("; figures as known on ", stdout);
	html_text(stdout, text(ys[0].reply, "today"));
	fputs(".</p>\n", stdout);
	chart_by_year(stdout, "chart-review-timeliness",
	    "LAC review timeliness by year (meetings held in time)", "%", ys,
	    ny, "lac.review_timeliness", "value");
	chart_by_year(stdout, "chart-review-meetings",
	    "LAC review meetings held by year", "", ys, ny,
	    "lac.review_timeliness", "den");
	if ((rc = summary_md(&ys[0], &ys[1], &t)) == 0)
		html_table(stdout, &t);
	table_free(&t);
	for (i = 0; rc == 0 && i < NITEMS(sections); i++) {
		if (json_object_get(ys[0].kpis, sections[i].kpi) == NULL)
			continue;
		if ((rc = section_table(&sections[i], years, false, &t)) == 0)
			html_table(stdout, &t);
		table_free(&t);
		for (j = 0; rc == 0 && j < NITEMS(html_charts); j++)
			if (strcmp(html_charts[j].kpi, sections[i].kpi) == 0 &&
			    (html_charts[j].group == NULL) ==
				(sections[i].group == NULL) &&
			    (html_charts[j].group == NULL ||
				strcmp(html_charts[j].group,
				    sections[i].group) == 0))
				rc = chart_section(stdout, html_charts[j].id,
				    &sections[i], html_charts[j].only, years);
	}
	fputs("</body>\n</html>\n", stdout);
	if (rc != 0) {
		fprintf(stderr, "irokpi: report: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* Ask for every KPI over fyYEAR. */
static int
ask_year(
    struct cli *c, struct irokpi *k, int fy, const char *as_at, struct year *y)
{
	json_t *req;
	int ret;

	snprintf(y->label, sizeof(y->label), "fy%d", fy);
	if ((req = json_pack("{s:s, s:s}", "q", "kpi", "window", y->label)) ==
		NULL ||
	    (as_at != NULL && json_object_set_new(req, "as_at",
				  json_string_nocheck(as_at)) != 0)) {
		json_decref(req);
		fprintf(stderr, "irokpi: report: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	ret = cli_query(c, k, req, &y->reply);
	json_decref(req);
	if (ret != CLI_EXIT_OK)
		return ret;
	json_object_del(y->reply, "ok");
	if (!json_is_object(y->kpis = json_object_get(y->reply, "kpis"))) {
		fprintf(
		    stderr, "irokpi: report: the reply has no \"kpis\" map\n");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int
print_json(const struct year *cur, const struct year *prev)
{
	json_t *both = json_object();
	int ret = CLI_EXIT_FAIL;

	if (both == NULL ||
	    json_object_set(both, cur->label, cur->reply) != 0 ||
	    json_object_set(both, prev->label, prev->reply) != 0)
		fprintf(stderr, "irokpi: report: out of memory\n");
	else
		ret = cli_print_json(both);
	json_decref(both);
	return ret;
}

/* "2019" or "fy2019". */
static int
parse_fy(const char *s, long *out)
{
	if (strncmp(s, "fy", 2) == 0)
		s += 2;
	return cli_parse_long("report", "--fy", s, 1901, 9998, out);
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "fy", required_argument, NULL, OPT_FY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "as-at", required_argument, NULL, OPT_AS_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct year ys[HTML_YEARS] = { 0 };
	struct irokpi *k = NULL;
	const char *as_at = NULL, *format = "md";
	bool as_json = false, html;
	long fy = -1;
	size_t i, ny = 2;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "report", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_FY:
			if (parse_fy(optarg, &fy) != 0)
				return CLI_EXIT_FAIL;
			break;
		case OPT_FORMAT:
			format = optarg;
			break;
		case OPT_AS_AT:
			as_at = optarg;
			break;
		case OPT_JSON:
			as_json = true;
			break;
		}
	}
	if (ch < 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(
		    "report", "unexpected argument \"%s\"", argv[optind]);
	if (fy < 0)
		return cli_usage_error("report", "which year? Give --fy YEAR");
	if (strcmp(format, "md") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "html") != 0)
		return cli_usage_error("report",
		    "--format: \"%s\" is none of md, csv and html", format);
	/* The page's by-year charts go back further than the tables. */
	if ((html = strcmp(format, "html") == 0) && !as_json)
		ny = HTML_YEARS;
	if ((ret = cli_open(c, "report", false, true, &k)) != CLI_EXIT_OK)
		return ret;
	for (i = 0; i < ny && fy - (long)i >= 1900; i++)
		if ((ret = ask_year(c, k, (int)(fy - (long)i), as_at,
			 &ys[i])) != CLI_EXIT_OK)
			goto out;
	if (as_json)
		ret = print_json(&ys[0], &ys[1]);
	else if (html)
		ret = print_html(ys, i);
	else
		ret = print_report(&ys[0], &ys[1], strcmp(format, "csv") == 0);
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
out:
	for (i = 0; i < HTML_YEARS; i++)
		json_decref(ys[i].reply);
	irokpi_close(&k);
	return ret;
}
