/*
 * Text forms of the values query replies hold, shared by the commands that
 * print tables (kpi, child, caseload, report), so that a figure reads the
 * same wherever it is shown.  The daemon does the arithmetic and the
 * rounding; these only print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **
cli_sorted_keys(json_t *o, size_t *n)
{
	const char **keys, *key;
	json_t *v;
	size_t i = 0;

	*n = json_object_size(o);
	if ((keys = calloc(*n + 1, sizeof(*keys))) == NULL)
		return NULL;
	json_object_foreach(o, key, v)
	{
		if (i < *n)
			keys[i++] = key;
	}
	qsort(keys, i, sizeof(*keys), cmp_str);
	*n = i;
	return keys;
}

void
cli_format_scalar(json_t *v, char *buf, size_t len)
{
	char *s;

	if (v == NULL || json_is_null(v))
		snprintf(buf, len, "-");
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.15g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else if ((s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
					JSON_REAL_PRECISION(15))) != NULL) {
		snprintf(buf, len, "%s", s);
		free(s);
	} else
		snprintf(buf, len, "?");
}

void
cli_format_figure(json_t *v, const char *unit, char *buf, size_t len)
{
	if (!json_is_number(v) || unit == NULL)
		cli_format_scalar(v, buf, len);
	else if (strcmp(unit, "percent") == 0)
		snprintf(buf, len, "%.1f%%", json_number_value(v));
	else if (strcmp(unit, "average") == 0)
		snprintf(buf, len, "%.1f", json_number_value(v));
	else
		cli_format_scalar(v, buf, len);
}

void
cli_format_target(json_t *target, const char *unit, char *buf, size_t len)
{
	const char *better =
	    json_string_value(json_object_get(target, "better"));
	json_t *value = json_object_get(target, "value");
	char figure[64];

	if (better == NULL || !json_is_number(value)) {
		snprintf(buf, len, "-");
		return;
	}
	/* A target is a bound, not a result: 98, not 98.0. */
	snprintf(figure, sizeof(figure), "%.15g%s", json_number_value(value),
	    unit != NULL && strcmp(unit, "percent") == 0 ? "%" : "");
	snprintf(buf, len, "%s %s",
	    strcmp(better, "lower") == 0 ? "<=" : ">=", figure);
}
