/*
 * What the irokpi subcommands share: the global options (where the daemon
 * is, how long to wait), opening the client library on them, running a query
 * with the CLI's exit-code rules, and small parsing and printing helpers.
 * main.c holds the subcommand table and these helpers; each cmd_*.c is one
 * subcommand with its own getopt_long(3) table, to which it appends
 * CLI_GLOBAL_LONGOPTS so that the global options work after the subcommand
 * too.
 */
#ifndef IRK_CLI_H
#define IRK_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include <jansson.h>

#include "clients/irokpi.h"

/* Exit codes: scripts rely on them (irokpi.1). */
#define CLI_EXIT_OK       0 /* done, nothing rejected */
#define CLI_EXIT_REJECTED 1 /* the daemon said no (rejects, query error) */
#define CLI_EXIT_FAIL     2 /* no daemon, a timeout, or wrong usage */

/* Long-only option values of the global options. */
enum {
	CLI_OPT_DATA_DIR = 0x100,
	CLI_OPT_INGEST,
	CLI_OPT_QUERY,
	CLI_OPT_TIMEOUT,
	CLI_OPT_SERVER_KEY,
	CLI_OPT_KEY,
	CLI_OPT_FIRST_LOCAL /* commands number their own options from here */
};

/* clang-format off */
#define CLI_GLOBAL_LONGOPTS \
	{ "data-dir", required_argument, NULL, CLI_OPT_DATA_DIR }, \
	{ "ingest", required_argument, NULL, CLI_OPT_INGEST }, \
	{ "query", required_argument, NULL, CLI_OPT_QUERY }, \
	{ "timeout", required_argument, NULL, CLI_OPT_TIMEOUT }, \
	{ "server-key", required_argument, NULL, CLI_OPT_SERVER_KEY }, \
	{ "key", required_argument, NULL, CLI_OPT_KEY }

/* Lines of --help on the global options, for every command... */
#define CLI_ENDPOINT_HELP \
	"  --data-dir DIR   the daemon's data folder (default: $IROKPI_DIR)\n" \
	"  --ingest EP      ingest endpoint (default: ipc://DIR/ingest.sock)\n" \
	"  --query EP       query endpoint (default: ipc://DIR/query.sock)\n" \
	"  --server-key F   tcp with CURVE: the daemon's public key file\n" \
	"                   (default: $IROKPI_SERVER_KEY)\n" \
	"  --key F          tcp with CURVE: this client's secret key file,\n" \
	"                   NAME.key from irokpi keygen (default: $IROKPI_KEY)\n"

/* ...and the query commands' --timeout. */
#define CLI_GLOBAL_HELP CLI_ENDPOINT_HELP \
	"  --timeout MS     wait up to MS for the answer (default 5000)\n"
/* clang-format on */

/* The global options, as given (all NULL or -1 when absent). */
struct cli {
	const char *data_dir;   /* --data-dir; else $IROKPI_DIR */
	const char *ingest;     /* --ingest */
	const char *query;      /* --query */
	long timeout;           /* --timeout, or -1 */
	const char *server_key; /* --server-key; else $IROKPI_SERVER_KEY */
	const char *key;        /* --key; else $IROKPI_KEY */
};

/* A subcommand: argv[0] is its name, argv[argc] is NULL. */
typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

int cmd_publish(struct cli *c, int argc, char **argv);
int cmd_kpi(struct cli *c, int argc, char **argv);
int cmd_child(struct cli *c, int argc, char **argv);
int cmd_caseload(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_admin(struct cli *c, int argc, char **argv);
int cmd_keygen(struct cli *c, int argc, char **argv);
int cmd_deadlines(struct cli *c, int argc, char **argv);
int cmd_watch(struct cli *c, int argc, char **argv);

/*
 * Handle a global option met by a command's getopt_long() loop.  Returns
 * CLI_EXIT_OK when opt was a global option and was fine, CLI_EXIT_FAIL
 * (message printed) for a bad value, or -1 when opt is not a global option.
 */
int cli_global_option(struct cli *c, int opt, const char *arg);

/*
 * getopt_long() over a command's options (longopts; "-h" is --help), with
 * the global options handled: returns the next of the command's own
 * options for its switch, 0 when the options are done (optind is at the
 * first operand), or -1 when the command must return *ret now: --help was
 * printed by help(), a global option had a bad value, or an option was
 * unknown or missing its value (the message is on stderr).
 */
int cli_next_option(struct cli *c, const char *cmd, int argc, char **argv,
    const struct option *longopts, void (*help)(void), int *ret);

/*
 * Report getopt_long()'s '?' or ':' for command cmd (message and the hint
 * to try --help on stderr).  Returns CLI_EXIT_FAIL.
 */
int cli_bad_option(const char *cmd, int argc, char **argv);

/* Print "irokpi: CMD: message" and a --help hint; returns CLI_EXIT_FAIL. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Parse a decimal integer in min..max.  Returns 0, or -1 after printing
 * "irokpi: CMD: OPTION: ..." on stderr.
 */
int cli_parse_long(const char *cmd, const char *option, const char *s,
    long min, long max, long *out);

/*
 * Open the client library on the endpoints the global options name; the
 * side not wanted is left out.  On success *out is owned by the caller
 * (irokpi_close()).  Returns CLI_EXIT_OK or CLI_EXIT_FAIL after a message.
 */
int cli_open(struct cli *c, const char *cmd, bool ingest, bool query,
    struct irokpi **out);

/*
 * Send req (borrowed) with the --timeout given (default 5000 ms).  On
 * CLI_EXIT_OK *reply is the "ok": true reply, owned by the caller
 * (json_decref()).  Otherwise a message is on stderr and the result is
 * CLI_EXIT_REJECTED for an "ok": false reply ("irokpi: ERROR") or
 * CLI_EXIT_FAIL for no answer or a broken one.
 */
int cli_query(
    struct cli *c, struct irokpi *k, const json_t *req, json_t **reply);

/*
 * Print j on one line with sorted keys, then a newline: stable bytes for
 * scripts to compare.  Returns CLI_EXIT_OK, or CLI_EXIT_FAIL when stdout
 * fails.
 */
int cli_print_json(const json_t *j);

/* Finish stdout; CLI_EXIT_FAIL with a message when a write failed. */
int cli_finish_stdout(void);

/*
 * cli_open() and cli_query() in one, for a command that asks one question:
 * the same results, with *reply owned by the caller on CLI_EXIT_OK.
 */
int cli_ask(struct cli *c, const char *cmd, const json_t *req, json_t **reply);

/*
 * cli_ask(), then the reply without its "ok": on one line (cli_print_json)
 * with as_json, else as print() shows it; then stdout finished.  The
 * command's exit code.
 */
int cli_show(struct cli *c, const char *cmd, const json_t *req, bool as_json,
    int (*print)(json_t *reply));

/* ---- format.c: text forms of what replies hold ---- */

/*
 * The keys of object o, sorted bytewise.  The array is the caller's (free
 * it); the keys are borrowed from o.  NULL when out of memory.
 */
const char **cli_sorted_keys(json_t *o, size_t *n);

/*
 * A scalar as text into buf: "-" for null or absent, integers as they are,
 * reals with up to 15 significant digits, strings, "true" / "false";
 * anything else as compact JSON.
 */
void cli_format_scalar(json_t *v, char *buf, size_t len);

/*
 * A KPI figure of unit ("percent", "count", "average"; NULL is taken as
 * count): "98.4%" for a percentage, "110.0" for an average, the count
 * itself, or "-" when v is null or absent.
 */
void cli_format_figure(json_t *v, const char *unit, char *buf, size_t len);

/*
 * A kpi answer's target ({value, better, amber} or null) for unit: ">= 98%"
 * when higher is better, "<= 19%" when lower is, "-" when there is none.
 */
void cli_format_target(
    json_t *target, const char *unit, char *buf, size_t len);

#endif
