/*
 * Ranked names: after each list, the ranks of all its names are in
 * strcmp() order and one name has one id, for random lists of names that
 * share prefixes, past the point where the names kept are forgotten.
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

#include "domain/err.h"
#include "domain/names.h"

#define LIST_MAX     200
#define NAME_MAX_LEN 40

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/* A name of up to NAME_MAX_LEN bytes from a few letters, so that names
 * share prefixes and one is often a prefix of another; sometimes empty. */
static size_t
random_name(char *out, unsigned *seed)
{
	static const char letters[] = "ab:\x7f\x80";
	size_t len = (size_t)(rand_r(seed) % (NAME_MAX_LEN + 1)), i;

	if (rand_r(seed) % 4 == 0)
		len %= 4;
	for (i = 0; i < len; i++)
		out[i] = letters[rand_r(seed) % (sizeof(letters) - 1)];
	out[len] = '\0';
	return len;
}

static void
check_list(struct name_ranks **r, size_t n, unsigned *seed)
{
	static char names[LIST_MAX][NAME_MAX_LEN + 1];
	uint32_t ids[LIST_MAX];
	const uint32_t *rank;
	size_t i, j;

	assert_int_equal(name_ranks_reserve(r, n), 0);
	for (i = 0; i < n; i++) {
		size_t len = random_name(names[i], seed);

		assert_int_equal(
		    name_ranks_find(*r, names[i], len, &ids[i]), 0);
	}
	rank = name_ranks_settle(*r);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			int c = sign(strcmp(names[i], names[j]));

			if (c == 0)
				assert_int_equal(ids[i], ids[j]);
			assert_int_equal(sign((rank[ids[i]] > rank[ids[j]]) -
					      (rank[ids[i]] < rank[ids[j]])),
			    c);
		}
}

static void
test_ranks_follow_strcmp(void **state)
{
	struct name_ranks *r = NULL;
	unsigned seed = (unsigned)time(NULL);
	int round;

	(void)state;
	fprintf(stderr, "# seed %u\n", seed);
	/* About 30,000 names in all: the names kept are forgotten at least
	 * five times on the way. */
	for (round = 0; round < 300; round++)
		check_list(&r, (size_t)(rand_r(&seed) % LIST_MAX), &seed);
	name_ranks_free(r);
}

/* Names seen before rank among the new ones of a later list. */
static void
test_old_and_new_names_interleave(void **state)
{
	struct name_ranks *r = NULL;
	const uint32_t *rank;
	uint32_t a, b, c, a2;

	(void)state;
	assert_int_equal(name_ranks_reserve(&r, 2), 0);
	assert_int_equal(name_ranks_find(r, "b", 1, &b), 0);
	assert_int_equal(name_ranks_find(r, "d", 1, &a), 0);
	rank = name_ranks_settle(r);
	assert_true(rank[b] < rank[a]);
	assert_int_equal(name_ranks_reserve(&r, 3), 0);
	assert_int_equal(name_ranks_find(r, "d", 1, &a2), 0);
	assert_int_equal(a2, a);
	assert_int_equal(name_ranks_find(r, "c", 1, &c), 0);
	assert_int_equal(name_ranks_find(r, "", 0, &a2), 0);
	rank = name_ranks_settle(r);
	assert_int_equal(rank[a2], 0);
	assert_int_equal(rank[b], 1);
	assert_int_equal(rank[c], 2);
	assert_int_equal(rank[a], 3);
	name_ranks_free(r);
}

/* More new names than reserved are refused, not written past the table. */
static void
test_more_than_reserved_refused(void **state)
{
	struct name_ranks *r = NULL;
	uint32_t id;

	(void)state;
	assert_int_equal(name_ranks_reserve(&r, 1), 0);
	assert_int_equal(name_ranks_find(r, "x", 1, &id), 0);
	assert_int_equal(name_ranks_find(r, "x", 1, &id), 0);
	assert_int_equal(name_ranks_find(r, "y", 1, &id), IRK_EFULL);
	name_ranks_free(r);
	/* Room for none, in a table that never held a name. */
	r = NULL;
	assert_int_equal(name_ranks_reserve(&r, 0), 0);
	assert_int_equal(name_ranks_find(r, "x", 1, &id), IRK_EFULL);
	name_ranks_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranks_follow_strcmp),
		cmocka_unit_test(test_old_and_new_names_interleave),
		cmocka_unit_test(test_more_than_reserved_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
