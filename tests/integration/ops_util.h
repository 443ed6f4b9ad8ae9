/*
 * Helpers of the operations tests (test_ops.c, test_curve.c): irokpid
 * started with any arguments and environment (harness.c starts it with
 * --data-dir only), its log, config files and free tcp ports.  Functions
 * return 0 or -1 with a message on stderr.
 */
#ifndef IRK_OPS_UTIL_H
#define IRK_OPS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct opsd {
	pid_t pid;
	char log[256]; /* stdout and stderr, appended */
};

/* A tcp port on 127.0.0.1 that was free a moment ago. */
int ops_free_port(void);

/* Write text to path (mode 0600). */
int ops_write(const char *path, const char *text);

/* The whole file, NUL-terminated (caller frees), or NULL. */
char *ops_read(const char *path);

/*
 * Start $IROKPID with args (NULL-terminated, without the program name) and
 * extra environment entries "NAME=value" (NULL-terminated, may be NULL);
 * output appended to o->log.  Under IRK_VALGRIND the daemon runs in
 * memcheck as harness.c does.  WATCHDOG_PID=self in env is replaced by the
 * child's pid.
 */
int ops_start(struct opsd *o, const char *log, const char *const args[],
    const char *const env[]);

/* Wait up to ms for the process to exit; its exit code, or -1. */
int ops_wait(struct opsd *o, int ms);

/* SIGTERM and wait (10 s, then SIGKILL); the exit code. */
int ops_stop(struct opsd *o);

/* Wait up to ms until the log holds needle; true when it does. */
bool ops_log_wait(const struct opsd *o, const char *needle, int ms);

/* Milliseconds of sleep. */
void ops_sleep(int ms);

#endif
