/*
 * Replay a fuzz target's corpus as a cmocka test, in the ordinary build
 * (gcc or clang, with the sanitizers of IRK_SANITIZE, no libFuzzer): every
 * file under the folders named by FUZZ_DIRS (colon-separated, set by
 * CMake: fuzz/corpus/TARGET and fuzz/regress/TARGET) goes through
 * LLVMFuzzerTestOneInput() once.  A crash that fuzzing found is kept as a
 * file in fuzz/regress/TARGET, so it stays fixed.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz/fuzz.h"

#ifndef FUZZ_DIRS
#error "FUZZ_DIRS must name the corpus folders"
#endif

/* Replay one file; returns 1 when it was a regular, readable file. */
static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (f == NULL)
		return 0;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return 0;
	}
	/* An exact-size copy, so ASan sees any read past the end. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 1;
}

static size_t
replay_dir(const char *dir)
{
	struct dirent *de;
	char path[4096];
	size_t n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n += (size_t)replay_file(path);
	}
	closedir(d);
	return n;
}

static void
test_replay_corpus(void **state)
{
	char dirs[] = FUZZ_DIRS;
	char *save = NULL;
	size_t n = 0;

	(void)state;
	for (char *d = strtok_r(dirs, ":", &save); d != NULL;
	     d = strtok_r(NULL, ":", &save))
		n += replay_dir(d);
	print_message("replayed %zu inputs\n", n);
	assert_true(n > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
