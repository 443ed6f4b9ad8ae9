/*
 * irokpid: start-up, the main loop and shutdown.
 *
 * Start-up order matters: configuration, calendar, store (clearing stale
 * readers), then the sockets, and only when every socket is bound is the
 * daemon ready.  The main thread owns the ingest and breaches sockets and the
 * single LMDB writer; the query thread answers reads.  SIGTERM and SIGINT set
 * a flag the loop reads between batches, so the batch in hand is finished,
 * committed and acknowledged before the daemon closes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "domain/err.h"
#include "proto/wire.h"

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: irokpid --data-dir DIR [--config FILE] [-n] [-v] [-d]\n"
	    "\n"
	    "irokpid stores IRO case events in LMDB and answers KPI queries.\n"
	    "\n"
	    "  -D, --data-dir DIR   LMDB folder, created if missing; the ipc\n"
	    "                       sockets ingest.sock, query.sock and\n"
	    "                       breaches.sock are made in it by default\n"
	    "  -c, --config FILE    read options from an INI file\n"
	    "  -n, --check-config   check the configuration, print "
	    "\"configuration OK\"\n"
	    "  -d, --debug          plain log lines (default when not under "
	    "systemd)\n"
	    "  -v, --verbose        log debug messages too\n"
	    "  -h, --help           show this help\n"
	    "  -V, --version        show the version\n"
	    "\n"
	    "Configuration file options (see irokpid.conf(5)):\n");
	config_print_options();
}

/* ipc://ABSOLUTE_DIR/name, unless the configuration names an endpoint. */
static int
endpoint(char *out, size_t len, const char *configured, const char *dir,
    const char *name)
{
	int n;

	if (configured[0] != '\0')
		n = snprintf(out, len, "%s", configured);
	else
		n = snprintf(out, len, "ipc://%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? IRK_ERANGE : 0;
}

static void *
bind_socket(struct daemon *d, int type, const char *ep)
{
	int maxsize = WIRE_FRAME_MAX, one = 1, zero = 0;
	int64_t max64 = maxsize;
	void *s;

	if ((s = zmq_socket(d->zctx, type)) == NULL)
		fatalx("socket: %s", zmq_strerror(errno));
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	if (type == ZMQ_ROUTER) {
		zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max64, sizeof(max64));
		zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof(one));
	}
	if (zmq_bind(s, ep) != 0)
		fatalx("bind %s: %s", ep, zmq_strerror(errno));
	return s;
}

static void
load_calendar(struct daemon *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int bad = 0;

	if (calendar_new(&d->cal) != 0)
		fatalx("calendar: out of memory");
	if (d->cfg.holidays_file[0] == '\0')
		return;
	if ((fp = fopen(d->cfg.holidays_file, "r")) == NULL)
		fatal("holidays file %s", d->cfg.holidays_file);
	if (getdelim(&text, &len, '\0', fp) < 0 && ferror(fp))
		fatal("holidays file %s", d->cfg.holidays_file);
	fclose(fp);
	if (text != NULL &&
	    calendar_apply_overrides(d->cal, text, strlen(text), &bad) != 0)
		fatalx("%s:%d: not a date YYYY-MM-DD or -YYYY-MM-DD",
		    d->cfg.holidays_file, bad);
	free(text);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data-dir", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon *d;
	const char *data_dir = NULL, *config_path = NULL;
	char dir[PATH_MAX], err[CONFIG_PATH_MAX + 256];
	struct sigaction sa;
	bool check = false, debug = false;
	int ch, verbose = 0, rc;

	while ((ch = getopt_long(argc, argv, "D:c:ndvhV", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'D':
			data_dir = optarg;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'd':
			debug = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("irokpid %s\n", IRK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "irokpid: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(stderr);
		return 2;
	}
	log_init(verbose, !debug && getenv("JOURNAL_STREAM") != NULL);
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	config_defaults(&d->cfg);
	if (config_path != NULL &&
	    config_load(config_path, &d->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "irokpid: %s\n", err);
		return 1;
	}
	if (data_dir != NULL)
		snprintf(
		    d->cfg.data_dir, sizeof(d->cfg.data_dir), "%s", data_dir);
	if (d->cfg.data_dir[0] == '\0') {
		fprintf(stderr, "irokpid: no data folder: give --data-dir DIR "
				"or [store] data_dir\n");
		return 2;
	}
	config_timescale(&d->cfg, &d->ts);
	config_kpi_settings(&d->cfg, &d->kpi);
	load_calendar(d);
	if (check) {
		printf("configuration OK\n");
		return 0;
	}
	if (mkdir(d->cfg.data_dir, 0700) != 0 && errno != EEXIST)
		fatal("data folder %s", d->cfg.data_dir);
	if (realpath(d->cfg.data_dir, dir) == NULL)
		fatal("data folder %s", d->cfg.data_dir);
	if (endpoint(d->ingest_ep, sizeof(d->ingest_ep),
		d->cfg.ingest_endpoint, dir, WIRE_INGEST_SOCK) != 0 ||
	    endpoint(d->query_ep, sizeof(d->query_ep), d->cfg.query_endpoint,
		dir, WIRE_QUERY_SOCK) != 0 ||
	    endpoint(d->breaches_ep, sizeof(d->breaches_ep),
		d->cfg.breaches_endpoint, dir, WIRE_BREACHES_SOCK) != 0)
		fatalx("endpoint names too long");

	if ((rc = store_open(dir, (size_t)d->cfg.map_size_mb << 20, &d->ts,
		 d->cal, &d->store)) != 0)
		fatalx("store %s: %s", dir, irk_strerror(rc));
	if (rebuild_init(&d->rebuild, d->store) != 0)
		fatalx("rebuild: out of memory");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: zmq_poll sees EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((d->zctx = zmq_ctx_new()) == NULL)
		fatalx("zmq context: %s", zmq_strerror(errno));
	umask(0077); /* ipc sockets readable by the owner only */
	d->ingest = bind_socket(d, ZMQ_ROUTER, d->ingest_ep);
	d->query = bind_socket(d, ZMQ_ROUTER, d->query_ep);
	d->breaches = bind_socket(d, ZMQ_PUB, d->breaches_ep);
	d->started = time(NULL);
	if (query_start(d) != 0)
		fatalx("query thread");
	{
		struct store_stats st;

		store_stats(d->store, &st);
		log_info("ready: %llu events, last seq %llu; ingest %s, "
			 "query %s",
		    (unsigned long long)st.events,
		    (unsigned long long)st.last_seq, d->ingest_ep,
		    d->query_ep);
	}

	while (!quit) {
		zmq_pollitem_t items[] = {
			{ d->ingest, 0, ZMQ_POLLIN, 0 },
		};

		rc = zmq_poll(items, NITEMS(items), 1000);
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			log_warnx("poll: %s", zmq_strerror(errno));
			break;
		}
		if (items[0].revents & ZMQ_POLLIN)
			ingest_handle(d);
	}

	log_info("stopping: %llu batches, %llu events stored since start",
	    (unsigned long long)atomic_load(&d->batches),
	    (unsigned long long)atomic_load(&d->stored));
	query_stop(d);
	rebuild_fini(&d->rebuild);
	zmq_close(d->ingest);
	zmq_close(d->breaches);
	zmq_ctx_term(d->zctx);
	store_close(&d->store);
	calendar_free(&d->cal);
	free(d);
	return 0;
}
