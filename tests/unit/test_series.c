/*
 * Point lists: normalising, diffing and the storage encoding.  The key
 * property: applying diff(old, new) to old's counters gives new's, for
 * random lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "domain/series.h"

/* Each point's len is its name's length, however the point was made. */
static void
assert_lengths(const struct points *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		assert_int_equal(ps->v[i].len, strlen(ps->v[i].series));
}

static void
test_normalize_merges_and_drops_zeros(void **state)
{
	struct points ps = { 0 };

	(void)state;
	points_bucket(&ps, 10, 1, "b");
	points_bucket(&ps, 10, 2, "b");
	points_bucket(&ps, 9, 1, "a");
	points_bucket(&ps, 9, -1, "a");
	points_interval(&ps, 5, 7, "i");
	points_interval(&ps, 5, 7, "i");
	points_member(&ps, 3, 2, "g");
	points_member(&ps, 4, 1, "g");
	points_normalize(&ps);
	assert_int_equal(ps.n, 3);
	assert_string_equal(ps.v[0].series, "b");
	assert_int_equal(ps.v[0].n, 3);
	assert_int_equal(ps.v[1].kind, PK_INTERVAL);
	assert_int_equal(ps.v[1].n, 2);
	assert_int_equal(ps.v[2].kind, PK_MEMBER);
	assert_int_equal(ps.v[2].n, 3);   /* flags or'd */
	assert_int_equal(ps.v[2].day, 3); /* earliest day kept */
	points_free(&ps);
}

/* The order of identity as series.h states it, by the names themselves. */
static int
ref_cmp(const void *x, const void *y)
{
	const struct point *a = x, *b = y;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->series, b->series)) != 0)
		return c;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->kind != PK_MEMBER && a->until != b->until)
		return a->until < b->until ? -1 : 1;
	return 0;
}

/* points_normalize() written plainly: sort by name, merge, drop zeros. */
static void
ref_normalize(const struct point *in, size_t n, struct point *out, size_t *on)
{
	size_t i, o = 0;

	memcpy(out, in, n * sizeof(*in));
	qsort(out, n, sizeof(*out), ref_cmp);
	for (i = 0; i < n; i++) {
		if (o > 0 && out[o - 1].kind == out[i].kind &&
		    strcmp(out[o - 1].series, out[i].series) == 0 &&
		    (out[i].kind == PK_MEMBER ||
			(out[o - 1].day == out[i].day &&
			    out[o - 1].until == out[i].until))) {
			if (out[i].kind == PK_MEMBER)
				out[o - 1].n |= out[i].n;
			else
				out[o - 1].n += out[i].n;
			continue;
		}
		out[o++] = out[i];
	}
	for (i = *on = 0; i < o; i++)
		if (out[i].kind == PK_MEMBER || out[i].n != 0)
			out[(*on)++] = out[i];
}

/*
 * Long lists (past the runs of 16 that are merged), names that share long
 * prefixes and differ inside, days and untils at the ends of their range:
 * the same list as sorting by name.
 */
static void
test_normalize_equals_sort_by_name(void **state)
{
	static const char *const part[] = { "lac.review_timeliness:",
		"lac.review_timeliness:late_reason:", "cp:", "",
		"\xc3\xa9:", "~" };
	static const int32_t days[] = { INT32_MIN, -1, 0, 1, 17000,
		INT32_MAX };
	struct points ps = { 0 };
	struct point *want = NULL, *in = NULL;
	unsigned seed = (unsigned)time(NULL);
	size_t i, n, wn;
	int round;

	(void)state;
	fprintf(stderr, "# seed %u\n", seed);
	for (round = 0; round < 300; round++) {
		n = (size_t)(rand_r(&seed) % 300);
		points_clear(&ps);
		for (i = 0; i < n; i++) {
			int32_t day = rand_r(&seed) % 2
					  ? days[rand_r(&seed) % 6]
					  : rand_r(&seed) % 20;
			int32_t until = days[rand_r(&seed) % 6];
			const char *pre =
			    part[rand_r(&seed) %
				 (sizeof(part) / sizeof(part[0]))];
			char name[16];

			snprintf(name, sizeof(name), "%c%d",
			    'a' + rand_r(&seed) % 3, rand_r(&seed) % 12);
			switch (rand_r(&seed) % 3) {
			case 0:
				points_bucket(&ps, day, rand_r(&seed) % 5 - 2,
				    "%s%s", pre, name);
				break;
			case 1:
				points_interval(
				    &ps, day, until, "%s:%s", pre, name);
				break;
			default:
				points_member(&ps, day, 1 << rand_r(&seed) % 3,
				    "%s", name);
			}
		}
		in = realloc(in, (n + 1) * sizeof(*in));
		want = realloc(want, (n + 1) * sizeof(*want));
		assert_non_null(in);
		assert_non_null(want);
		if (n > 0) /* ps.v is NULL before the first point */
			memcpy(in, ps.v, n * sizeof(*in));
		ref_normalize(in, n, want, &wn);
		points_normalize(&ps);
		assert_lengths(&ps);
		assert_int_equal(ps.n, wn);
		for (i = 0; i < wn; i++) {
			assert_int_equal(ps.v[i].kind, want[i].kind);
			assert_string_equal(ps.v[i].series, want[i].series);
			assert_int_equal(ps.v[i].day, want[i].day);
			assert_int_equal(ps.v[i].until, want[i].until);
			assert_int_equal(ps.v[i].n, want[i].n);
		}
	}
	free(in);
	free(want);
	points_free(&ps);
}

/* Names are formatted as snprintf would, truncated to SERIES_MAX - 1. */
static void
test_names_formatted_and_truncated(void **state)
{
	struct points ps = { 0 };
	char longname[300], want[SERIES_MAX];

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	points_bucket(&ps, 1, 1, "a.%s:%s", "b", "c");
	points_bucket(&ps, 1, 1, "PN%d", 3);
	points_bucket(&ps, 1, 1, "%s%s", "p:", longname);
	points_bucket(&ps, 1, 1, "plain");
	points_bucket(&ps, 1, 1, "%s-%s!", "x", "");
	points_bucket(&ps, 1, 1, "100%%%s", "y");
	/* A %s read before the first other conversion is read again. */
	points_bucket(&ps, 1, 1, "%s:%d", "q", 7);
	assert_string_equal(ps.v[0].series, "a.b:c");
	assert_string_equal(ps.v[1].series, "PN3");
	memcpy(want, "p:", 2);
	memcpy(want + 2, longname, SERIES_MAX - 3);
	want[SERIES_MAX - 1] = '\0';
	assert_string_equal(ps.v[2].series, want);
	assert_int_equal(strlen(ps.v[2].series), SERIES_MAX - 1);
	assert_string_equal(ps.v[3].series, "plain");
	assert_string_equal(ps.v[4].series, "x-!");
	assert_string_equal(ps.v[5].series, "100%y");
	assert_string_equal(ps.v[6].series, "q:7");
	assert_lengths(&ps);
	points_free(&ps);
}

/* Counters as a point list keyed by kind, series and until. */
static int
add_keyed(struct points *c, const struct point *p, int64_t n)
{
	return points_bucket(
	    c, p->day, n, "%d|%s|%d", p->kind, p->series, p->until);
}

/* points_diff callback: members are logged as +name / -name. */
static int
apply(void *arg, const struct point *p, int64_t delta)
{
	struct points *c = arg;

	if (p->kind == PK_MEMBER)
		return points_member(
		    c, p->day, p->n, "%c%s", delta > 0 ? '+' : '-', p->series);
	return add_keyed(c, p, delta);
}

static void
random_points(struct points *ps, unsigned *seed)
{
	int i, n = rand_r(seed) % 40;

	points_clear(ps);
	for (i = 0; i < n; i++) {
		int k = rand_r(seed) % 3;
		char name[8];

		snprintf(name, sizeof(name), "s%d", rand_r(seed) % 5);
		if (k == 0)
			points_bucket(ps, rand_r(seed) % 10,
			    rand_r(seed) % 5 - 2, "%s", name);
		else if (k == 1)
			points_interval(ps, rand_r(seed) % 10,
			    10 + rand_r(seed) % 3, "%s", name);
		else
			points_member(ps, rand_r(seed) % 10,
			    1 + rand_r(seed) % 3, "%s", name);
	}
	points_normalize(ps);
}

static void
test_diff_applied_to_old_gives_new(void **state)
{
	struct points old = { 0 }, new = { 0 }, got = { 0 }, want = { 0 };
	unsigned seed = (unsigned)time(NULL);
	size_t i;
	int round;

	(void)state;
	fprintf(stderr, "# seed %u\n", seed);
	for (round = 0; round < 500; round++) {
		random_points(&old, &seed);
		random_points(&new, &seed);
		points_clear(&got);
		points_clear(&want);
		for (i = 0; i < old.n; i++)
			if (old.v[i].kind != PK_MEMBER)
				add_keyed(&got, &old.v[i], old.v[i].n);
		for (i = 0; i < new.n; i++)
			if (new.v[i].kind != PK_MEMBER)
				add_keyed(&want, &new.v[i], new.v[i].n);
		assert_int_equal(points_diff(&old, &new, apply, &got), 0);
		/* Drop the member log; buckets must now equal want. */
		for (i = 0; i < got.n; i++)
			if (got.v[i].kind == PK_MEMBER) {
				got.v[i].kind = PK_BUCKET;
				got.v[i].n = 0;
			}
		points_normalize(&got);
		points_normalize(&want);
		if (!points_equal(&got, &want))
			fail_msg("round %d: old + diff != new", round);
	}
	points_free(&old);
	points_free(&new);
	points_free(&got);
	points_free(&want);
}

static void
test_member_change_is_remove_then_add(void **state)
{
	struct points old = { 0 }, new = { 0 }, log = { 0 };

	(void)state;
	points_member(&old, 5, 2, "g");
	points_member(&new, 5, 3, "g");
	points_normalize(&old);
	points_normalize(&new);
	assert_int_equal(points_diff(&old, &new, apply, &log), 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(log.v[0].series, "-g");
	assert_string_equal(log.v[1].series, "+g");
	assert_int_equal(log.v[1].n, 3);
	/* Unchanged: nothing. */
	points_clear(&log);
	assert_int_equal(points_diff(&new, &new, apply, &log), 0);
	assert_int_equal(log.n, 0);
	points_free(&old);
	points_free(&new);
	points_free(&log);
}

static void
test_encode_decode_round_trip(void **state)
{
	struct points a = { 0 }, b = { 0 };
	unsigned seed = 7;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		random_points(&a, &seed);
		len = 0;
		assert_int_equal(points_encode(&a, &buf, &len, &cap), 0);
		assert_int_equal(points_decode(buf, len, &b), 0);
		assert_true(points_equal(&a, &b));
		assert_lengths(&b);
	}
	/* Long names sharing part of a word, all of one, or all of them. */
	points_clear(&a);
	points_bucket(&a, 1, 1, "lac.review_timeliness:late_reason:a");
	points_bucket(&a, 2, 1, "lac.review_timeliness:late_reason:a");
	points_bucket(&a, 1, 1, "lac.review_timeliness:late_reason:ab");
	points_bucket(&a, 1, 1, "lac.review_timeliness:late_reasons");
	points_bucket(&a, 1, 1, "lac.review_timeliness:");
	points_bucket(&a, 1, 1, "lac.review_timeliness:x");
	points_normalize(&a);
	len = 0;
	assert_int_equal(points_encode(&a, &buf, &len, &cap), 0);
	assert_int_equal(points_decode(buf, len, &b), 0);
	assert_true(points_equal(&a, &b));
	assert_lengths(&b);
	/* Truncated and corrupt encodings are refused, not read past. */
	random_points(&a, &seed);
	points_bucket(&a, 1, 1, "x");
	len = 0;
	assert_int_equal(points_encode(&a, &buf, &len, &cap), 0);
	assert_int_not_equal(points_decode(buf, len - 1, &b), 0);
	buf[0] = 9;
	assert_int_not_equal(points_decode(buf, len, &b), 0);
	free(buf);
	points_free(&a);
	points_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_merges_and_drops_zeros),
		cmocka_unit_test(test_normalize_equals_sort_by_name),
		cmocka_unit_test(test_names_formatted_and_truncated),
		cmocka_unit_test(test_diff_applied_to_old_gives_new),
		cmocka_unit_test(test_member_change_is_remove_then_add),
		cmocka_unit_test(test_encode_decode_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
