/*
 * irokpi report: the tables of an IRO service's annual report (the shape
 * of /work/shared/seed's 2019-20 report) for financial year YEAR beside the
 * year before, from two kpi queries (PROTOCOL.md): fyYEAR and fy(YEAR-1),
 * with the same as_at.  Every KPI the daemon has goes into the summary;
 * each breakdown section is printed when its KPI exists and skipped
 * otherwise, so the report grows with the catalogue without a change here.
 *
 * Each section is built as a struct table (table.h) and printed as Markdown
 * or CSV.  Markdown cells carry a figure the way the seed writes it
 * ("98.4% (1407/1430)", "374 (51.9%)"); CSV cells carry bare numbers, one a
 * column, for a spreadsheet.
 */
#include <getopt.h>
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
	    "  --format F       md (Markdown tables, the default) or csv "
	    "(RFC 4180,\n"
	    "                   one table a section, a blank line "
	    "between)\n"
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
	struct year cur = { 0 }, prev = { 0 };
	struct irokpi *k = NULL;
	const char *as_at = NULL, *format = "md";
	bool as_json = false;
	long fy = -1;
	int ch, rc, ret = CLI_EXIT_FAIL;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage();
			return cli_finish_stdout();
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
		default:
			if ((rc = cli_global_option(c, ch, optarg)) >= 0) {
				if (rc != CLI_EXIT_OK)
					return rc;
				break;
			}
			return cli_bad_option("report", argc, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(
		    "report", "unexpected argument \"%s\"", argv[optind]);
	if (fy < 0)
		return cli_usage_error("report", "which year? Give --fy YEAR");
	if (strcmp(format, "md") != 0 && strcmp(format, "csv") != 0)
		return cli_usage_error("report",
		    "--format: \"%s\" is neither md nor csv", format);
	if ((ret = cli_open(c, "report", false, true, &k)) != CLI_EXIT_OK)
		return ret;
	if ((ret = ask_year(c, k, (int)fy, as_at, &cur)) != CLI_EXIT_OK ||
	    (ret = ask_year(c, k, (int)fy - 1, as_at, &prev)) != CLI_EXIT_OK)
		goto out;
	if (as_json)
		ret = print_json(&cur, &prev);
	else
		ret = print_report(&cur, &prev, strcmp(format, "csv") == 0);
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
out:
	json_decref(cur.reply);
	json_decref(prev.reply);
	irokpi_close(&k);
	return ret;
}
