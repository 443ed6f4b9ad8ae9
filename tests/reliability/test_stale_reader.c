/*
 * Stale LMDB readers (issue 6): a process that reads the store beside the
 * daemon (mdb_stat, a backup script) and dies holding a read transaction
 * leaves its slot in the lock file, and the slot pins the pages it saw, so
 * the file grows.  The daemon frees such slots at start-up and every few
 * seconds while it runs.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <lmdb.h>

#include "tests/support/harness.h"

#define CLEARED "cleared 1 stale reader slot(s)"

static struct harness h;
/*
 * The first process to open an LMDB environment resets its reader table,
 * so a slot is only stale while some other process keeps the store open:
 * this one, which holds no transaction.
 */
static pid_t keeper = -1;

/*
 * Fork a process that opens the daemon's store read-only, begins a read
 * transaction when txn is true, says so on a pipe and waits to be killed.
 */
static pid_t
spawn_reader(bool txn)
{
	int fds[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		MDB_env *env;
		MDB_txn *t;

		close(fds[0]);
		if (mdb_env_create(&env) != 0 ||
		    mdb_env_set_maxdbs(env, 32) != 0 ||
		    mdb_env_open(env, h.dir, MDB_RDONLY, 0600) != 0 ||
		    (txn && mdb_txn_begin(env, NULL, MDB_RDONLY, &t) != 0))
			_exit(1);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1); /* it is ready */
	close(fds[0]);
	return pid;
}

static void
kill_and_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The number of reader slots in use, as mdb_stat -r counts them. */
static int
readers_in_use(void)
{
	char cmd[PATH_MAX + 32];
	char line[256];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "mdb_stat -r '%s'", h.dir);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p) != NULL)
		if (strstr(line, "pid") != NULL && strstr(line, "txnid"))
			n = 0; /* the table's header */
		else if (n >= 0 && strstr(line, "(no active readers)") == NULL)
			n++;
	pclose(p);
	return n < 0 ? 0 : n;
}

static void
wait_for_log(const char *what, size_t count, int seconds)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	time_t t0 = time(NULL);

	while (
	    harness_log_count(&h, what) < count && time(NULL) - t0 < seconds)
		nanosleep(&tick, NULL);
	assert_int_equal(harness_log_count(&h, what), count);
}

static void
test_cleared_at_start_up(void **state)
{
	(void)state;
	assert_int_equal(harness_start(&h), 0); /* creates the store */
	assert_int_equal(harness_stop(&h), 0);
	keeper = spawn_reader(false);
	kill_and_wait(spawn_reader(true));
	assert_int_equal(readers_in_use(), 1);
	assert_int_equal(harness_start(&h), 0);
	assert_int_equal(harness_log_count(&h, CLEARED), 1);
}

static void
test_cleared_while_running(void **state)
{
	(void)state;
	/* The daemon and the keeper from the test before are running. */
	kill_and_wait(spawn_reader(true));
	wait_for_log(CLEARED, 2, 20);
	assert_true(harness_events(&h) >= 0); /* still serving */
	assert_int_equal(harness_stop(&h), 0);
	assert_int_equal(readers_in_use(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cleared_at_start_up),
		cmocka_unit_test(test_cleared_while_running),
	};
	int rc;

	if (harness_init(&h) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (keeper > 0)
		kill_and_wait(keeper);
	harness_fini(&h);
	return rc;
}
