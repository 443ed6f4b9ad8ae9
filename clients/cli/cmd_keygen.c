/*
 * irokpi keygen NAME: a new CURVE key pair in the format irokpid reads
 * (irokpid.conf(5), [keys]): NAME.key holds the secret key (mode 0600) and
 * NAME.pub the public key (mode 0644), each 40 Z85 characters and a newline.
 * The daemon's pair is named in server_key (the .key) and given to clients
 * (the .pub, --server-key); a client's .pub goes into the daemon's
 * producers_dir or readers_dir, its .key stays with the client (--key).
 * Existing files are kept unless --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "clients/cli/cli.h"

enum { OPT_FORCE = CLI_OPT_FIRST_LOCAL };

static void
usage(void)
{
	printf("usage: irokpi keygen [--force] NAME\n"
	       "\n"
	       "Write a new CURVE key pair: NAME.key, the secret key (mode "
	       "0600), and\nNAME.pub, the public key; print the public key.  "
	       "Put a client's NAME.pub\nin irokpid's producers_dir or "
	       "readers_dir; name the daemon's NAME.key in\n[keys] "
	       "server_key and give its NAME.pub to clients (--server-key).\n"
	       "\n"
	       "options:\n"
	       "  --force          overwrite existing files\n"
	       "  --help           this text\n");
}

/* memset that the compiler may not drop (explicit_bzero is not POSIX). */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

static int
write_key(const char *path, const char *z85, mode_t mode, bool force)
{
	int fd, flags = O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL);
	char line[48];
	size_t n;

	if ((fd = open(path, flags, mode)) == -1) {
		fprintf(
		    stderr, "irokpi: keygen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = (size_t)snprintf(line, sizeof(line), "%s\n", z85);
	if (fchmod(fd, mode) != 0 || write(fd, line, n) != (ssize_t)n ||
	    fsync(fd) != 0) {
		fprintf(
		    stderr, "irokpi: keygen: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	wipe(line, sizeof(line));
	return close(fd);
}

int
cmd_keygen(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ NULL, 0, NULL, 0 },
	};
	char pub[41], sec[41], *path = NULL;
	bool force = false;
	size_t len;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "keygen", argc, argv, longopts, usage, &rc)) > 0)
		if (ch == OPT_FORCE)
			force = true;
	if (ch < 0)
		return rc;
	if (optind + 1 != argc)
		return cli_usage_error("keygen", "give one NAME");
	if (zmq_curve_keypair(pub, sec) != 0) {
		fprintf(
		    stderr, "irokpi: keygen: %s\n", zmq_strerror(zmq_errno()));
		return CLI_EXIT_FAIL;
	}
	len = strlen(argv[optind]) + 5;
	if ((path = malloc(len)) == NULL)
		goto out;
	snprintf(path, len, "%s.key", argv[optind]);
	if (write_key(path, sec, 0600, force) != 0)
		goto out;
	snprintf(path, len, "%s.pub", argv[optind]);
	if (write_key(path, pub, 0644, force) != 0)
		goto out;
	printf("%s\n", pub);
	ret = cli_finish_stdout();
out:
	wipe(sec, sizeof(sec));
	free(path);
	return ret;
}
