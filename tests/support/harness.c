/*
 * Integration-test harness (harness.h): fork/exec of the real daemon and
 * CLI in a mkdtemp(3) folder, readiness through the client library's stats
 * query, output through files (not pipes, so a chatty child can never block
 * on a full pipe while the test waits for it), and nftw(3) to clean up.
 */
#define _XOPEN_SOURCE 700 /* nftw(3) */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <zmq.h>
#endif

#include "clients/irokpi.h"
#include "proto/wire.h"
#include "tests/support/harness.h"

#define READY_MS            10000 /* how long a daemon may take to answer */
#define STOP_MS             30000 /* how long SIGTERM may take (valgrind: leak check) */
#define POLL_MS             50
#define PROBE_MS            250 /* timeout of one readiness probe */
#define VALGRIND_STATUS_STR "99"

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
env_path(const char *name)
{
	const char *p = getenv(name);

	if (p == NULL || *p == '\0') {
		fprintf(stderr, "harness: %s is not set\n", name);
		return NULL;
	}
	return p;
}

const char *
harness_irokpid(void)
{
	return env_path("IROKPID");
}

const char *
harness_irokpi(void)
{
	return env_path("IROKPI");
}

const char *
harness_data(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = env_path("IRK_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : ".", name);
	return path;
}

int
harness_init(struct harness *h)
{
	const char *tmp = getenv("TMPDIR");

	memset(h, 0, sizeof(*h));
	h->daemon = -1;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (strlen(tmp) > 64) {
		fprintf(stderr,
		    "harness: TMPDIR %s is too long for ipc "
		    "socket paths\n",
		    tmp);
		return -1;
	}
	snprintf(h->dir, sizeof(h->dir), "%s/irokpi-it-XXXXXX", tmp);
	if (mkdtemp(h->dir) == NULL) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", h->dir,
		    strerror(errno));
		h->dir[0] = '\0';
		return -1;
	}
	return 0;
}

/* Exit code of a waitpid(2) status; signals as 128 + n, like a shell. */
static int
exit_code(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return -1;
}

/*
 * In the child: stdin/stdout/stderr from/to the given paths, die with the
 * parent, exec.  Never returns.
 */
static void
child_exec(const char *in, const char *out, const char *err, int oflags,
    char *const argv[])
{
	int fd;

#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if ((fd = open(in != NULL ? in : "/dev/null", O_RDONLY)) < 0 ||
	    dup2(fd, STDIN_FILENO) < 0)
		_exit(126);
	close(fd);
	if ((fd = open(out, O_WRONLY | O_CREAT | oflags, 0600)) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0)
		_exit(126);
	close(fd);
	if ((fd = open(err, O_WRONLY | O_CREAT | oflags, 0600)) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	close(fd);
	execvp(argv[0], argv);
	fprintf(stderr, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void
dump_file(struct harness *h, const char *name)
{
	char path[PATH_MAX], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", h->dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return;
	fprintf(stderr, "---- %s ----\n", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end ----\n");
	fclose(f);
}

static void
dump_log(struct harness *h)
{
	dump_file(h, "daemon.log");
}

bool
harness_valgrind(void)
{
	const char *v = getenv("IRK_VALGRIND");

	return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

int
harness_start(struct harness *h)
{
	return harness_start_with(h, NULL);
}

int
harness_start_with(struct harness *h, const char *const *extra)
{
	const char *bin = harness_irokpid();
	char log[PATH_MAX], vglog[PATH_MAX + 16];
	char *argv[32];
	long long deadline;
	int ws, argc = 0;
	pid_t pid;

	if (bin == NULL || h->dir[0] == '\0' || h->daemon > 0)
		return -1;
	snprintf(log, sizeof(log), "%s/daemon.log", h->dir);
	/* IRK_VALGRIND=1: the daemon under memcheck; any error or definite
	 * leak makes it exit VALGRIND_STATUS, which harness_stop() reports. */
	if (harness_valgrind()) {
		snprintf(vglog, sizeof(vglog), "--log-file=%s/valgrind.log",
		    h->dir);
		argv[argc++] = "valgrind";
		argv[argc++] = "--quiet";
		/* valgrind runs one thread at a time; its default lock
		 * lets a busy thread (a rebuild) starve the query thread */
		argv[argc++] = "--fair-sched=yes";
		argv[argc++] = "--error-exitcode=" VALGRIND_STATUS_STR;
		argv[argc++] = "--leak-check=full";
		argv[argc++] = "--errors-for-leak-kinds=definite";
		argv[argc++] = vglog;
	}
	argv[argc++] = (char *)bin;
	argv[argc++] = "--data-dir";
	argv[argc++] = h->dir;
	for (; extra != NULL && *extra != NULL && argc < 31; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_exec(NULL, log, log, O_APPEND, argv);
	h->daemon = pid;
	deadline = now_ms() + READY_MS * (harness_valgrind() ? 6 : 1);
	while (now_ms() < deadline) {
		if (waitpid(pid, &ws, WNOHANG) == pid) {
			fprintf(stderr, "harness: irokpid exited with %d\n",
			    exit_code(ws));
			h->daemon = -1;
			dump_log(h);
			return -1;
		}
		if (harness_events(h) >= 0)
			return 0;
		sleep_ms(POLL_MS);
	}
	fprintf(stderr, "harness: irokpid did not answer within %d ms\n",
	    READY_MS);
	dump_log(h);
	harness_kill(h);
	return -1;
}

static int
reap(struct harness *h, long long wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	int ws;
	pid_t r;

	for (;;) {
		r = waitpid(h->daemon, &ws, WNOHANG);
		if (r == h->daemon) {
			h->daemon = -1;
			return exit_code(ws);
		}
		if (r < 0 && errno != EINTR) {
			h->daemon = -1;
			return -1;
		}
		if (now_ms() >= deadline)
			return -2;
		sleep_ms(10);
	}
}

int
harness_stop(struct harness *h)
{
	int rc;

	if (h->daemon <= 0)
		return -1;
	kill(h->daemon, SIGTERM);
	if ((rc = reap(h, STOP_MS)) == -2) {
		fprintf(stderr, "harness: irokpid ignored SIGTERM for %d ms\n",
		    STOP_MS);
		harness_kill(h);
		return -1;
	}
	if (rc == VALGRIND_STATUS && harness_valgrind())
		dump_file(h, "valgrind.log");
	return rc;
}

int
harness_kill(struct harness *h)
{
	if (h->daemon <= 0)
		return -1;
	kill(h->daemon, SIGKILL);
	return reap(h, 60000);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(
		    stderr, "harness: remove %s: %s\n", path, strerror(errno));
	return 0;
}

void
harness_fini(struct harness *h)
{
	if (h->daemon > 0)
		harness_kill(h);
	if (h->dir[0] != '\0' && getenv("IRK_KEEP_TMP") == NULL)
		nftw(h->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	else if (h->dir[0] != '\0')
		fprintf(stderr, "harness: kept %s\n", h->dir);
	h->dir[0] = '\0';
}

int
harness_query(struct harness *h, json_t *req, int timeout_ms, json_t **out)
{
	struct irokpi *k = NULL;
	json_t *reply = NULL;
	char ep[PATH_MAX + 16];
	int rc = -1;

	snprintf(ep, sizeof(ep), "ipc://%s/%s", h->dir, WIRE_QUERY_SOCK);
	if (req == NULL || irokpi_open(NULL, ep, &k) != 0)
		goto out;
	irokpi_set(k, IROKPI_OPT_QUERY_TIMEOUT, timeout_ms);
	if (irokpi_query_json(k, req, &reply) != 0)
		goto out;
	if (!json_is_true(json_object_get(reply, "ok"))) {
		json_decref(reply);
		goto out;
	}
	*out = reply;
	rc = 0;
out:
	irokpi_close(&k);
	return rc;
}

int
harness_stats(struct harness *h, json_t **out)
{
	json_t *req = json_pack("{s:s}", "q", "stats");
	int rc = harness_query(h, req, PROBE_MS, out);

	json_decref(req);
	return rc;
}

int
harness_publish(struct harness *h, const char *path)
{
	struct run r;
	int rc;

	if (harness_cli(
		h, &r, NULL, (const char *[]){ "publish", path, NULL }) != 0)
		return -1;
	if ((rc = r.status) != 0)
		fprintf(
		    stderr, "harness: publish %s: %s%s", path, r.out, r.err);
	run_free(&r);
	return rc == 0 ? 0 : -1;
}

int
harness_set_clock(struct harness *h, const char *day)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/clock", h->dir);
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "harness: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "%s\n", day);
	return fclose(fp) == 0 ? 0 : -1;
}

void *
harness_connect(
    const struct harness *h, void *ctx, int type, const char *sock, int rcv_ms)
{
	char ep[PATH_MAX + 16];
	void *s = zmq_socket(ctx, type);
	int zero = 0;

	if (s == NULL)
		return NULL;
	snprintf(ep, sizeof(ep), "ipc://%s/%s", h->dir, sock);
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &rcv_ms, sizeof(rcv_ms));
	if (zmq_connect(s, ep) != 0) {
		zmq_close(s);
		return NULL;
	}
	return s;
}

long long
harness_events(struct harness *h)
{
	json_t *s = NULL;
	long long n = -1;

	if (harness_stats(h, &s) != 0)
		return -1;
	if (json_is_integer(json_object_get(s, "events")))
		n = json_integer_value(json_object_get(s, "events"));
	json_decref(s);
	return n;
}

int
harness_cli_start(struct harness *h, struct run *r, const char *stdin_path,
    const char *const argv[])
{
	const char *bin = harness_irokpi();
	char **av;
	size_t n = 0, i;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->status = -1;
	if (bin == NULL)
		return -1;
	while (argv[n] != NULL)
		n++;
	if ((av = calloc(n + 4, sizeof(*av))) == NULL)
		return -1;
	av[0] = (char *)bin;
	av[1] = "--data-dir";
	av[2] = h->dir;
	for (i = 0; i < n; i++)
		av[3 + i] = (char *)argv[i];
	h->runs++;
	snprintf(r->out_path, sizeof(r->out_path), "%s/cli-%u.out", h->dir,
	    h->runs);
	snprintf(r->err_path, sizeof(r->err_path), "%s/cli-%u.err", h->dir,
	    h->runs);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		free(av);
		return -1;
	}
	if (pid == 0)
		child_exec(stdin_path, r->out_path, r->err_path, O_TRUNC, av);
	free(av);
	r->pid = pid;
	return 0;
}

char *
harness_slurp(const char *path, size_t *len)
{
	char *buf = NULL, *p;
	size_t cap = 0, n = 0, got;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap == 0 ? 8192 : cap * 2;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

int
harness_run_to(char *const argv[], const char *out, const char *err)
{
	pid_t pid;
	int ws;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0)
		child_exec(NULL, out, err, O_TRUNC, argv);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return exit_code(ws);
}

static int
finish(struct run *r, int ws)
{
	r->pid = -1;
	r->status = exit_code(ws);
	r->out = harness_slurp(r->out_path, &r->out_len);
	r->err = harness_slurp(r->err_path, &r->err_len);
	return r->out != NULL && r->err != NULL ? 0 : -1;
}

int
harness_cli_wait(struct run *r)
{
	int ws;

	if (r->pid <= 0)
		return -1;
	while (waitpid(r->pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return finish(r, ws);
}

int
harness_cli_poll(struct run *r)
{
	pid_t got;
	int ws;

	if (r->pid <= 0)
		return -1;
	if ((got = waitpid(r->pid, &ws, WNOHANG)) == 0)
		return 0;
	if (got < 0)
		return -1;
	return finish(r, ws) == 0 ? 1 : -1;
}

int
harness_cli(struct harness *h, struct run *r, const char *stdin_path,
    const char *const argv[])
{
	if (harness_cli_start(h, r, stdin_path, argv) != 0)
		return -1;
	return harness_cli_wait(r);
}

void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

size_t
harness_count_lines(const char *s, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);

	while (s != NULL && *s != '\0') {
		if (strncmp(s, prefix, plen) == 0)
			n++;
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	}
	return n;
}

size_t
harness_log_count(const struct harness *h, const char *what)
{
	char path[PATH_MAX];
	char *log, *line;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/daemon.log", h->dir);
	if ((log = harness_slurp(path, NULL)) == NULL)
		return 0;
	for (line = log; line != NULL && *line != '\0';) {
		char *end = strchr(line, '\n');

		if (end != NULL)
			*end = '\0';
		if (strstr(line, what) != NULL)
			n++;
		line = end != NULL ? end + 1 : NULL;
	}
	free(log);
	return n;
}
