/*
 * The Python client (clients/python) against the real irokpid: the
 * mosaic_bridge example publishes tests/data/mosaic_export.csv (the events
 * of kpi_events.jsonl as a Mosaic export), a re-run resumes after the last
 * acknowledged row and stores nothing twice, a lost state file only gives
 * duplicates, and irokpi.py's publish/query round trip gives per-event
 * statuses (a rejected event named with its field) and resends a batch
 * sent while the daemon was down; breach_notifier.py (irokpi.watch) reads
 * the breach log once, resumes from its state file and follows the PUB
 * socket live, against a daemon whose clock (--clock) the test moves.
 * Uses Debian's /usr/bin/python3 with python3-zmq and python3-msgpack
 * ($IRK_PYTHON to choose another); the tests are skipped when those
 * modules are missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/harness.h"

#define CSV_ROWS 288

struct fixture {
	struct harness h;
	char python[PATH_MAX];
	char dir[PATH_MAX]; /* clients/python */
	char csv[PATH_MAX];
	char state[PATH_MAX];
	char out[PATH_MAX], err[PATH_MAX];
	bool usable; /* python3 with zmq and msgpack */
};

/* Run a python with args; its exit code; output in f->out, f->err. */
static int
py(struct fixture *f, const char *const args[])
{
	char *argv[16];
	size_t n = 0, i;
	int rc;

	argv[n++] = f->python;
	for (i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	rc = harness_run_to(argv, f->out, f->err);
	if (rc != 0) {
		char *e = harness_slurp(f->err, NULL);

		fprintf(stderr, "python exit %d: %s\n", rc, e ? e : "");
		free(e);
	}
	return rc;
}

/* The bridge's summary line (caller frees). */
static char *
bridge_out(struct fixture *f)
{
	return harness_slurp(f->out, NULL);
}

static int
bridge(struct fixture *f)
{
	char script[PATH_MAX + 32];

	snprintf(script, sizeof(script), "%s/mosaic_bridge.py", f->dir);
	return py(f,
	    (const char *[]){ script, "--data-dir", f->h.dir, "--state",
		f->state, "--batch", "50", "--timeout", "10", f->csv, NULL });
}

static int
setup(void **state)
{
	struct fixture *f;
	const char *env = getenv("IRK_PYTHON"), *data;

	if (harness_irokpid() == NULL || harness_irokpi() == NULL)
		return -1;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	snprintf(f->python, sizeof(f->python), "%s",
	    env != NULL && *env != '\0' ? env : "/usr/bin/python3");
	data = harness_data("mosaic_export.csv");
	snprintf(f->csv, sizeof(f->csv), "%s", data);
	snprintf(f->dir, sizeof(f->dir), "%s", data);
	/* .../tests/data/mosaic_export.csv -> .../clients/python */
	*strrchr(f->dir, '/') = '\0';
	*strrchr(f->dir, '/') = '\0';
	*strrchr(f->dir, '/') = '\0';
	strncat(
	    f->dir, "/clients/python", sizeof(f->dir) - strlen(f->dir) - 1);
	if (harness_init(&f->h) != 0 || harness_start(&f->h) != 0)
		return -1;
	snprintf(f->state, sizeof(f->state), "%s/bridge.state", f->h.dir);
	snprintf(f->out, sizeof(f->out), "%s/py.out", f->h.dir);
	snprintf(f->err, sizeof(f->err), "%s/py.err", f->h.dir);
	f->usable =
	    py(f, (const char *[]){ "-c", "import zmq, msgpack", NULL }) == 0;
	if (!f->usable)
		fprintf(stderr,
		    "%s has no zmq or msgpack (apt-get install "
		    "python3-zmq python3-msgpack)\n",
		    f->python);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f == NULL)
		return 0;
	harness_fini(&f->h);
	free(f);
	return 0;
}

static void
write_state(struct fixture *f, const char *text)
{
	FILE *s = fopen(f->state, "w");

	assert_non_null(s);
	fputs(text, s);
	assert_int_equal(fclose(s), 0);
}

/*
 * The bridge stores every row; a re-run sends nothing; a state file saying
 * 100 rows resends only the rest (all duplicates, nothing stored); with no
 * state file every row is resent and nothing is stored twice.
 */
static void
test_bridge_resumes(void **state)
{
	struct fixture *f = *state;
	char *out, *st;

	if (!f->usable)
		skip();
	assert_int_equal(bridge(f), 0);
	out = bridge_out(f);
	assert_non_null(strstr(out, "288 rows acknowledged: 288 stored, "
				    "0 duplicates, 0 rejected"));
	free(out);
	assert_int_equal(harness_events(&f->h), CSV_ROWS);
	st = harness_slurp(f->state, NULL);
	assert_string_equal(st, "288\n");
	free(st);

	/* Again: the state file says all done, nothing is sent. */
	assert_int_equal(bridge(f), 0);
	out = bridge_out(f);
	assert_non_null(strstr(out, "288 rows acknowledged: 0 stored, "
				    "0 duplicates, 0 rejected"));
	free(out);

	/* Stopped after 100 rows: the other 188 are sent, as duplicates. */
	write_state(f, "100\n");
	assert_int_equal(bridge(f), 0);
	out = bridge_out(f);
	assert_non_null(strstr(out, "288 rows acknowledged: 0 stored, "
				    "188 duplicates, 0 rejected"));
	free(out);

	/* State lost: all resent, the daemon stores none twice. */
	assert_int_equal(unlink(f->state), 0);
	assert_int_equal(bridge(f), 0);
	out = bridge_out(f);
	assert_non_null(strstr(out, "288 rows acknowledged: 0 stored, "
				    "288 duplicates, 0 rejected"));
	free(out);
	assert_int_equal(harness_events(&f->h), CSV_ROWS);
}

/*
 * Rows that cannot be events: the daemon's rejection and the bridge's own
 * (a bad yes/no, no row_id) are each named with their line and counted
 * done; the good rows around them are stored; a re-run sends nothing.
 */
static void
test_bridge_rejects(void **state)
{
	struct fixture *f = *state;
	char script[PATH_MAX + 32], *out, *err;
	const char *csv = harness_data("mosaic_export_bad.csv");
	char path[PATH_MAX], st[PATH_MAX];
	long long before;

	if (!f->usable)
		skip();
	snprintf(path, sizeof(path), "%s", csv);
	snprintf(st, sizeof(st), "%s/bad.state", f->h.dir);
	snprintf(script, sizeof(script), "%s/mosaic_bridge.py", f->dir);
	before = harness_events(&f->h);
	assert_int_equal(py(f, (const char *[]){ script, "--data-dir",
				   f->h.dir, "--state", st, path, NULL }),
	    1);
	out = harness_slurp(f->out, NULL);
	err = harness_slurp(f->err, NULL);
	assert_non_null(strstr(out, "5 rows acknowledged: 2 stored, "
				    "0 duplicates, 3 rejected"));
	assert_non_null(strstr(err, "mosaic_export_bad.csv:3: rejected: "
				    "participation"));
	assert_non_null(strstr(err, "mosaic_export_bad.csv:4: rejected: "
				    "permanence_plan"));
	assert_non_null(strstr(err, "mosaic_export_bad.csv:6: rejected: "
				    "no id and no row_id"));
	free(out);
	free(err);
	assert_int_equal(harness_events(&f->h), before + 2);
	out = harness_slurp(st, NULL);
	assert_string_equal(out, "5\n");
	free(out);
	assert_int_equal(py(f, (const char *[]){ script, "--data-dir",
				   f->h.dir, "--state", st, path, NULL }),
	    0);
	out = harness_slurp(f->out, NULL);
	assert_non_null(strstr(out, "5 rows acknowledged: 0 stored, "
				    "0 duplicates, 0 rejected"));
	free(out);
}

static const char client_script[] =
    "import sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import irokpi\n"
    "with irokpi.Client(data_dir=sys.argv[2], timeout=10) as k:\n"
    "    ack = k.publish([\n"
    "        {'id': 'py-1', 'type': 'iro.allocated', 'at': '2019-05-01',\n"
    "         'child': 'PY1', 'iro': 'I01'},\n"
    "        {'id': 'py-2', 'type': 'review.held', 'at': '2019-05-02',\n"
    "         'child': 'PY1', 'iro': 'I01', 'participation': 'PN9',\n"
    "         'sw_report_at': None, 'permanence_plan': False},\n"
    "        {'id': 'py-1', 'type': 'iro.allocated', 'at': '2019-05-01',\n"
    "         'child': 'PY1', 'iro': 'I01'}])\n"
    "    print('status', ack.stored, ack.duplicates,\n"
    "          [r[1] for r in ack.rejected])\n"
    "    print('events', k.stats()['events'])\n"
    "    try:\n"
    "        k.kpi(window='nonsense')\n"
    "    except irokpi.Rejected as e:\n"
    "        print('refused', e.reason != '')\n"
    "    print('child', len(k.child('PY1')['events']))\n"
    "    print('deadlines', 'deadlines' in k.deadlines(within=7))\n";

/* publish() gives each event's status; query() answers and refuses. */
static void
test_client(void **state)
{
	struct fixture *f = *state;
	long long before;
	char *out;

	if (!f->usable)
		skip();
	before = harness_events(&f->h);
	assert_int_equal(py(f, (const char *[]){ "-c", client_script, f->dir,
				   f->h.dir, NULL }),
	    0);
	out = harness_slurp(f->out, NULL);
	fprintf(stderr, "%s", out);
	assert_non_null(strstr(out, "status 1 1 ['participation']\n"));
	assert_non_null(strstr(out, "refused True\n"));
	assert_non_null(strstr(out, "child 1\n"));
	assert_non_null(strstr(out, "deadlines True\n"));
	free(out);
	assert_int_equal(harness_events(&f->h), before + 1);
}

static const char resend_script[] =
    "import sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import irokpi\n"
    "with irokpi.Client(data_dir=sys.argv[2], timeout=0.5, tries=40) as k:\n"
    "    ack = k.publish([{'id': 'py-late', 'type': 'iro.allocated',\n"
    "                      'at': '2019-06-01', 'child': 'PY2',\n"
    "                      'iro': 'I02'}])\n"
    "    print('acked', ack.stored + ack.duplicates)\n";

/*
 * A batch sent while the daemon is down is acked once it is back: the
 * client resends after each timeout, and the event is stored once.
 */
static void
test_resend(void **state)
{
	struct fixture *f = *state;
	char *argv[] = { f->python, "-c", (char *)resend_script, f->dir,
		f->h.dir, NULL };
	long long before;
	pid_t pid;
	int ws, fd;
	char *out;

	if (!f->usable)
		skip();
	before = harness_events(&f->h);
	assert_int_equal(harness_stop(&f->h), 0);
	fflush(NULL);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((fd = open(f->out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) <
			0 ||
		    dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	sleep(2); /* several timeouts pass */
	assert_int_equal(harness_start(&f->h), 0);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	out = harness_slurp(f->out, NULL);
	assert_non_null(strstr(out, "acked 1\n"));
	free(out);
	assert_int_equal(harness_events(&f->h), before + 1);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* irokpid --data-dir DIR --clock DIR/clock for w, its clock at day. */
static int
start_clocked(struct harness *w, const char *day)
{
	char clk[PATH_MAX], log[PATH_MAX];
	FILE *c;
	pid_t pid;
	int fd, i;

	snprintf(clk, sizeof(clk), "%s/clock", w->dir);
	snprintf(log, sizeof(log), "%s/daemon.log", w->dir);
	if ((c = fopen(clk, "w")) == NULL)
		return -1;
	fprintf(c, "%s\n", day);
	if (fclose(c) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) <
			0 ||
		    dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(126);
		execl(harness_irokpid(), harness_irokpid(), "--data-dir",
		    w->dir, "--clock", clk, (char *)NULL);
		_exit(127);
	}
	w->daemon = pid;
	for (i = 0; i < 200; i++, sleep_ms(50))
		if (harness_events(w) >= 0)
			return 0;
	return -1;
}

static void
set_clock(struct harness *w, const char *day)
{
	char clk[PATH_MAX];
	FILE *c;

	snprintf(clk, sizeof(clk), "%s/clock", w->dir);
	assert_non_null(c = fopen(clk, "w"));
	fprintf(c, "%s\n", day);
	assert_int_equal(fclose(c), 0);
}

static const char publish_script[] =
    "import json, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import irokpi\n"
    "with irokpi.Client(data_dir=sys.argv[2], timeout=10) as k:\n"
    "    print('stored', k.publish([json.loads(sys.argv[3])]).stored)\n";

#define OVERDUE_LINE \
	"OVERDUE lac.review: child W01, due 2020-01-30 (breach 1)\n"
#define MET_LATE_LINE                                                      \
	"MET LATE lac.review: child W01, due 2020-01-30, done 2020-02-10 " \
	"(breach "

/*
 * breach_notifier.py on irokpi.watch(): a child enters care, the clock
 * passes the first review's due date: the overdue breach is read from the
 * log (catch-up), once, and a state file makes a second run print nothing;
 * a live notifier then prints the met_late breach of a late review, as it
 * is published, and records its seq.
 */
static void
test_breach_notifier(void **state)
{
	struct fixture *f = *state;
	struct harness w = { .daemon = -1 };
	char script[PATH_MAX + 32], st[PATH_MAX], *out = NULL;
	char live[PATH_MAX], *argv[14];
	long seq;
	pid_t pid;
	int i, ws, fd;

	if (!f->usable)
		skip();
	snprintf(script, sizeof(script), "%s/breach_notifier.py", f->dir);
	assert_int_equal(harness_init(&w), 0);
	snprintf(st, sizeof(st), "%s/notifier.state", w.dir);
	assert_int_equal(start_clocked(&w, "2020-01-01"), 0);
	assert_int_equal(
	    py(f, (const char *[]){ "-c", publish_script, f->dir, w.dir,
		      "{\"id\":\"w1\",\"type\":\"lac.started\","
		      "\"at\":\"2020-01-02\",\"child\":\"W01\","
		      "\"legal_status\":\"C2\"}",
		      NULL }),
	    0);
	set_clock(&w, "2020-03-01");
	/* The daemon sweeps as its day turns: wait for the breach. */
	for (i = 0; i < 100; i++, sleep_ms(100)) {
		assert_int_equal(py(f, (const char *[]){ script, "--data-dir",
					   w.dir, "--catch-up", NULL }),
		    0);
		free(out);
		out = harness_slurp(f->out, NULL);
		if (out != NULL && out[0] != '\0')
			break;
	}
	assert_string_equal(out, OVERDUE_LINE);
	free(out);

	/* With a state file: once, then nothing. */
	assert_int_equal(py(f, (const char *[]){ script, "--data-dir", w.dir,
				   "--catch-up", "--state", st, NULL }),
	    0);
	out = harness_slurp(f->out, NULL);
	assert_string_equal(out, OVERDUE_LINE);
	free(out);
	out = harness_slurp(st, NULL);
	assert_string_equal(out, "1\n");
	free(out);
	assert_int_equal(py(f, (const char *[]){ script, "--data-dir", w.dir,
				   "--catch-up", "--state", st, NULL }),
	    0);
	out = harness_slurp(f->out, NULL);
	assert_string_equal(out, "");
	free(out);

	/* Live: the next breach as it is published. */
	argv[0] = f->python;
	argv[1] = script;
	argv[2] = "--data-dir";
	argv[3] = w.dir;
	argv[4] = "--state";
	argv[5] = st;
	argv[6] = "--max";
	argv[7] = "1";
	argv[8] = "--idle";
	argv[9] = "30";
	argv[10] = "--topic";
	argv[11] = "breach.met_late.";
	argv[12] = NULL;
	snprintf(live, sizeof(live), "%s/live.out", w.dir);
	fflush(NULL);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((fd = open(live, O_WRONLY | O_CREAT | O_TRUNC, 0600)) <
			0 ||
		    dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	sleep(2); /* subscribed and caught up */
	assert_int_equal(
	    py(f, (const char *[]){ "-c", publish_script, f->dir, w.dir,
		      "{\"id\":\"w2\",\"type\":\"review.held\","
		      "\"at\":\"2020-02-10\",\"child\":\"W01\","
		      "\"iro\":\"I1\",\"participation\":\"PN1\","
		      "\"sw_report_at\":null,"
		      "\"permanence_plan\":false}",
		      NULL }),
	    0);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	/* Only the met_late topic: other breaches of the late review (its
	 * record and decisions, already overdue) are not followed. */
	out = harness_slurp(live, NULL);
	assert_non_null(out);
	if (strncmp(out, MET_LATE_LINE, strlen(MET_LATE_LINE)) != 0)
		fprintf(stderr, "live: %s\n", out);
	assert_int_equal(
	    strncmp(out, MET_LATE_LINE, strlen(MET_LATE_LINE)), 0);
	assert_int_equal(harness_count_lines(out, ""), 1);
	/* The state file holds that breach's seq. */
	seq = strtol(out + strlen(MET_LATE_LINE), NULL, 10);
	free(out);
	assert_true(seq > 1);
	out = harness_slurp(st, NULL);
	assert_int_equal(strtol(out, NULL, 10), seq);
	free(out);
	harness_fini(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridge_resumes),
		cmocka_unit_test(test_bridge_rejects),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_resend),
		cmocka_unit_test(test_breach_notifier),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
