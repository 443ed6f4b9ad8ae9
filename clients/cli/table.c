/*
 * Tables of text cells (table.h): kept as copied strings, printed as
 * Markdown or CSV.  Widths are counted in bytes, which lines columns up for
 * the ASCII the daemon answers with; a title with other characters still
 * makes a valid table, only less tidy.
 */
#include <stdlib.h>
#include <string.h>

#include "clients/cli/table.h"

static char *
dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

int
table_init(struct table *t, const char *section, const char *title,
    const char *align, const char *const head[])
{
	size_t i, ncols = strlen(align);

	memset(t, 0, sizeof(*t));
	if ((t->head = calloc(ncols, sizeof(*t->head))) == NULL)
		return -1;
	t->ncols = ncols;
	if ((t->align = strdup(align)) == NULL ||
	    (t->section = dup_or_empty(section)) == NULL ||
	    (t->title = dup_or_empty(title)) == NULL)
		return -1;
	for (i = 0; i < ncols; i++)
		if ((t->head[i] = dup_or_empty(head[i])) == NULL)
			return -1;
	return 0;
}

int
table_add_row(struct table *t, const char *const cells[])
{
	char **v;
	size_t i, cap;

	if (t->nrows == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if ((v = realloc(t->cells, cap * t->ncols * sizeof(*v))) ==
		    NULL)
			return -1;
		t->cells = v;
		t->cap = cap;
	}
	v = &t->cells[t->nrows * t->ncols];
	for (i = 0; i < t->ncols; i++)
		if ((v[i] = dup_or_empty(cells[i])) == NULL) {
			while (i-- > 0)
				free(v[i]);
			return -1;
		}
	t->nrows++;
	return 0;
}

/* Bytes s takes in a Markdown cell, with each '|' escaped. */
static size_t
md_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '|' ? 2 : 1;
	return n;
}

static void
md_cell(FILE *f, const char *s, size_t width, int right)
{
	size_t pad = width - md_width(s);

	fputs("| ", f);
	if (right)
		fprintf(f, "%*s", (int)pad, "");
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', f);
		/* A line break would end the row: a cell keeps one line. */
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
	if (!right)
		fprintf(f, "%*s", (int)pad, "");
	fputc(' ', f);
}

void
table_print_md(const struct table *t, FILE *f)
{
	size_t *w, i, r, len;

	fprintf(f, "## %s\n\n", t->title);
	if (t->nrows == 0) {
		fprintf(f, "_None._\n");
		return;
	}
	if ((w = calloc(t->ncols, sizeof(*w))) == NULL)
		return;
	for (i = 0; i < t->ncols; i++) {
		w[i] = md_width(t->head[i]) < 3 ? 3 : md_width(t->head[i]);
		for (r = 0; r < t->nrows; r++)
			if ((len = md_width(t->cells[r * t->ncols + i])) >
			    w[i])
				w[i] = len;
	}
	for (i = 0; i < t->ncols; i++)
		md_cell(f, t->head[i], w[i], t->align[i] == 'r');
	fputs("|\n", f);
	for (i = 0; i < t->ncols; i++) {
		fputs("| ", f);
		for (len = 0; len + 1 < w[i]; len++)
			fputc('-', f);
		fputc(t->align[i] == 'r' ? ':' : '-', f);
		fputc(' ', f);
	}
	fputs("|\n", f);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			md_cell(f, t->cells[r * t->ncols + i], w[i],
			    t->align[i] == 'r');
		fputs("|\n", f);
	}
	free(w);
}

static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
table_print_csv(const struct table *t, FILE *f)
{
	size_t i, r;

	fputs("section", f);
	for (i = 0; i < t->ncols; i++) {
		fputc(',', f);
		csv_field(f, t->head[i]);
	}
	fputs("\r\n", f);
	for (r = 0; r < t->nrows; r++) {
		csv_field(f, t->section);
		for (i = 0; i < t->ncols; i++) {
			fputc(',', f);
			csv_field(f, t->cells[r * t->ncols + i]);
		}
		fputs("\r\n", f);
	}
}

void
table_free(struct table *t)
{
	size_t i;

	if (t->head != NULL)
		for (i = 0; i < t->ncols; i++)
			free(t->head[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->head);
	free(t->cells);
	free(t->align);
	free(t->section);
	free(t->title);
	memset(t, 0, sizeof(*t));
}
