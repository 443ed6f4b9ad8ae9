/*
 * libFuzzer target: the configuration parser, config_load() from
 * daemon/config.c (compiled into the target from its source; nothing is
 * added to daemon/).  config_load() reads a path, so each input is written
 * to a private temporary file first.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "fuzz/fuzz.h"

static char path[64];

static void
remove_path(void)
{
	unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char err[512];
	FILE *f;

	if (path[0] == '\0') {
		int fd;
		snprintf(path, sizeof(path), "/tmp/irk-fuzz-config-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
		atexit(remove_path);
	}
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	(void)config_load(path, &cfg, err, sizeof(err));
	return 0;
}
