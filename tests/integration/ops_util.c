/*
 * ops_util.h: starting irokpid with a configuration and an environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/integration/ops_util.h"
#include "tests/support/harness.h"

void
ops_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
ops_free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int
ops_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF) {
		fprintf(stderr, "ops: write %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

char *
ops_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	/* An empty file: getdelim() returns -1 and may leave buf allocated
	 * but not terminated. */
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

int
ops_start(struct opsd *o, const char *log, const char *const args[],
    const char *const env[])
{
	const char *bin = harness_irokpid();
	char *argv[40], vglog[300], pidenv[64];
	size_t n = 0, i;
	int fd;

	if (bin == NULL)
		return -1;
	snprintf(o->log, sizeof(o->log), "%s", log);
	if (harness_valgrind()) {
		snprintf(vglog, sizeof(vglog), "--log-file=%s.vg", log);
		argv[n++] = "valgrind";
		argv[n++] = "--quiet";
		argv[n++] = "--error-exitcode=99";
		argv[n++] = "--leak-check=full";
		argv[n++] = "--errors-for-leak-kinds=definite";
		argv[n++] = vglog;
	}
	argv[n++] = (char *)bin;
	for (i = 0; args[i] != NULL && n < 39; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	if ((o->pid = fork()) < 0)
		return -1;
	if (o->pid > 0)
		return 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; env != NULL && env[i] != NULL; i++) {
		if (strcmp(env[i], "WATCHDOG_PID=self") == 0) {
			snprintf(pidenv, sizeof(pidenv), "WATCHDOG_PID=%ld",
			    (long)getpid());
			putenv(pidenv);
		} else
			putenv((char *)env[i]);
	}
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	close(fd);
	execvp(argv[0], argv);
	_exit(127);
}

int
ops_wait(struct opsd *o, int ms)
{
	int ws, waited = 0;
	pid_t r;

	if (o->pid <= 0)
		return -1;
	for (;;) {
		r = waitpid(o->pid, &ws, WNOHANG);
		if (r == o->pid)
			break;
		if (r < 0 || waited >= ms)
			return -1;
		ops_sleep(20);
		waited += 20;
	}
	o->pid = -1;
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	return 128 + WTERMSIG(ws);
}

int
ops_stop(struct opsd *o)
{
	int rc;

	if (o->pid <= 0)
		return -1;
	kill(o->pid, SIGTERM);
	if ((rc = ops_wait(o, 10000)) >= 0)
		return rc;
	kill(o->pid, SIGKILL);
	return ops_wait(o, 5000);
}

bool
ops_log_wait(const struct opsd *o, const char *needle, int ms)
{
	int waited;
	char *text;
	bool found;

	for (waited = 0;; waited += 50) {
		text = ops_read(o->log);
		found = text != NULL && strstr(text, needle) != NULL;
		free(text);
		if (found)
			return true;
		if (waited >= ms) {
			text = ops_read(o->log);
			fprintf(stderr, "ops: \"%s\" not in %s:\n%s\n", needle,
			    o->log, text != NULL ? text : "(none)");
			free(text);
			return false;
		}
		ops_sleep(50);
	}
}
