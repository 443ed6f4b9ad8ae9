/*
 * irokpid's configuration: an INI file (parsed by inih) read against one
 * table of options, each with its default, bounds and whether SIGHUP may
 * change it.  Command-line flags override the file.  Defaults, checks and the
 * irokpid.conf(5) table all come from that one table.
 */
#ifndef IRK_CONFIG_H
#define IRK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_PATH_MAX 4096

struct config {
	char data_dir[CONFIG_PATH_MAX];
	long long map_size_mb;
	char ingest_endpoint[CONFIG_PATH_MAX]; /* "" = ipc://DIR/ingest.sock */
	char query_endpoint[CONFIG_PATH_MAX];
	char breaches_endpoint[CONFIG_PATH_MAX];
	char holidays_file[CONFIG_PATH_MAX]; /* "" = built-in only */
	char month_mode[16];                 /* "calendar" | "days" */
};

/* Fill cfg with every option's default. */
void config_defaults(struct config *cfg);

/*
 * Read path into cfg (defaults first).  On failure returns IRK_EINVAL or
 * IRK_EIO and writes "file:line: [section] key: reason" into err.
 */
int config_load(
    const char *path, struct config *cfg, char *err, size_t errlen);

/* Print the option table (name, default, meaning) for --help and docs. */
void config_print_options(void);

#endif
