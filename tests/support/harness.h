/*
 * Integration-test harness: the real irokpid in a temporary folder, and the
 * real irokpi CLI run against it.
 *
 * A harness owns one mkdtemp(3) folder, which is the daemon's data folder
 * (so its sockets are DIR/ingest.sock and DIR/query.sock) and also holds
 * the daemon's log (DIR/daemon.log, appended to across restarts) and the
 * captured output of CLI runs.  The binaries come from the environment that
 * irk_add_test() sets: IROKPID (the daemon) and IROKPI (the CLI).  Children
 * are started with fork/exec and asked to die with the test process
 * (PR_SET_PDEATHSIG), so a crashed test leaves no daemon behind.
 *
 * Functions return 0 or -1 (with a message on stderr): a test asserts on
 * them and moves on.
 */
#ifndef IRK_HARNESS_H
#define IRK_HARNESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

struct harness {
	char dir[128]; /* the temporary folder; "" when none.  Short: */
	/* ipc paths must fit a sockaddr_un (108) */
	pid_t daemon;  /* the running daemon, or -1 */
	unsigned runs; /* CLI runs so far, to name their output files */
};

/* One CLI run: started by harness_cli_start(), finished by _wait(). */
struct run {
	pid_t pid;
	int status;      /* exit code, or 128 + signal number */
	char *out, *err; /* everything it wrote, NUL-terminated */
	size_t out_len, err_len;
	char out_path[PATH_MAX], err_path[PATH_MAX];
};

/* The binaries; NULL (and a message) when the variable is not set. */
const char *harness_irokpid(void);
const char *harness_irokpi(void);

/* Path of a fixture under $IRK_TEST_DATA (static buffer, next call reuses). */
const char *harness_data(const char *name);

/* Exit code of a daemon in which valgrind found errors. */
#define VALGRIND_STATUS 99

/* True when IRK_VALGRIND asks for the daemon to run under valgrind. */
bool harness_valgrind(void);

/* Make the temporary folder (under $TMPDIR or /tmp).  No daemon yet. */
int harness_init(struct harness *h);

/*
 * Start `$IROKPID --data-dir DIR` with stdout and stderr appended to
 * DIR/daemon.log and wait (up to 10 s) until a stats query on DIR/query.sock
 * is answered.  On failure the log is copied to stderr and the daemon, if it
 * still runs, is killed.
 */
int harness_start(struct harness *h);

/* The same with more arguments after --data-dir DIR (a NULL-terminated
 * list, at most 20; NULL for none), e.g. --clock FILE. */
int harness_start_with(struct harness *h, const char *const *extra);

/*
 * SIGTERM and wait (up to 10 s, then SIGKILL).  Returns the exit code; under
 * IRK_VALGRIND that is VALGRIND_STATUS when memcheck found an error or a
 * definite leak, and DIR/valgrind.log is copied to stderr.
 */
int harness_stop(struct harness *h);

/* SIGKILL and wait: power loss, as far as the daemon can tell. */
int harness_kill(struct harness *h);

/* Kill a daemon still running and remove the folder (nftw(3)).  Safe twice. */
void harness_fini(struct harness *h);

/*
 * Ask the daemon's query socket req (borrowed), waiting up to timeout_ms.
 * 0 with the reply in *out (the caller's: json_decref()) when it says ok.
 */
int harness_query(
    struct harness *h, json_t *req, int timeout_ms, json_t **out);

/* irokpi publish path; 0 when it exits 0, else -1 with its output on
 * stderr. */
int harness_publish(struct harness *h, const char *path);

/* Write day (YYYY-MM-DD) to DIR/clock, the file of irokpid --clock. */
int harness_set_clock(struct harness *h, const char *day);

/*
 * The daemon's stats reply (the whole map, "ok" included), asked through the
 * client library.  On success *out is owned by the caller (json_decref()).
 */
int harness_stats(struct harness *h, json_t **out);

/* stats "events", or -1 when the daemon does not answer. */
long long harness_events(struct harness *h);

/*
 * A ZeroMQ socket of the type in ctx, connected to the daemon's socket file
 * sock ("ingest.sock", ...) in its folder, with linger 0 and a receive
 * timeout of rcv_ms.  The caller closes it; NULL on failure.
 */
void *harness_connect(const struct harness *h, void *ctx, int type,
    const char *sock, int rcv_ms);

/*
 * Run `$IROKPI --data-dir DIR ARGS...` (argv: NULL-terminated, without the
 * program name), stdin from stdin_path (NULL: /dev/null), stdout and stderr
 * to files in DIR.  harness_cli_start() returns at once; harness_cli_wait()
 * waits, fills status/out/err and returns 0 or -1.  harness_cli() does both.
 * Release the output with run_free().
 */
int harness_cli_start(struct harness *h, struct run *r, const char *stdin_path,
    const char *const argv[]);
int harness_cli_wait(struct run *r);

/* Like harness_cli_wait() without waiting: 1 finished, 0 running, -1. */
int harness_cli_poll(struct run *r);
int harness_cli(struct harness *h, struct run *r, const char *stdin_path,
    const char *const argv[]);
void run_free(struct run *r);

/* Count the lines of s that start with prefix. */
size_t harness_count_lines(const char *s, const char *prefix);

/* The number of lines of the daemon's log (DIR/daemon.log) that contain
 * what. */
size_t harness_log_count(const struct harness *h, const char *what);

/* A whole file, NUL-terminated, its length in *len (may be NULL); the
 * caller frees it.  NULL when it cannot be read. */
char *harness_slurp(const char *path, size_t *len);

/* Run argv (found on PATH) with stdin from /dev/null and stdout and stderr
 * written to the files out and err; wait for it.  Its exit code (128 + n
 * for a signal), or -1 when it could not be started. */
int harness_run_to(char *const argv[], const char *out, const char *err);

#endif
