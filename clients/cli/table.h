/*
 * A table of text cells, printed as a Markdown table or as RFC 4180 CSV.
 * The report builds each of its sections as one of these, so that its two
 * formats cannot say different things.
 */
#ifndef IRK_CLI_TABLE_H
#define IRK_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	char *section; /* CSV: the first column of every line */
	char *title;   /* Markdown: the heading */
	size_t ncols;
	char *align;  /* ncols of 'l' (labels) or 'r' (figures) */
	char **head;  /* ncols */
	char **cells; /* nrows * ncols, row after row */
	size_t nrows, cap;
};

/*
 * Start table t with ncols columns named head (copied), aligned in Markdown
 * as align says, one letter a column: 'l' for labels, 'r' for figures
 * ("llrr").  Returns 0 or -1 when out of memory; table_free() t either
 * way.
 */
int table_init(struct table *t, const char *section, const char *title,
    const char *align, const char *const head[]);

/* Append a row of ncols cells (copied; NULL is an empty cell); 0 or -1. */
int table_add_row(struct table *t, const char *const cells[]);

/*
 * "## title", a blank line, then the table with its columns padded to
 * line up, '|' in a cell escaped; "_None._" when there is no row.
 */
void table_print_md(const struct table *t, FILE *f);

/*
 * A header line ("section" and the column names) and one line a row, the
 * section first; a field with a comma, a double quote, CR or LF is quoted,
 * its quotes doubled; every line ends with CRLF.
 */
void table_print_csv(const struct table *t, FILE *f);

/* Release t's memory; safe on a zeroed or half-made table. */
void table_free(struct table *t);

#endif
