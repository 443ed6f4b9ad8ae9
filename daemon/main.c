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
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "daemon/notify.h"
#include "daemon/zap.h"
#include "domain/err.h"
#include "proto/wire.h"

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93 /* a draft option in libzmq 4.3 */
#endif

#define STATUS_EVERY_MS 5000
#define PUB_QUEUE_MAX   1000 /* messages queued per subscriber */

static volatile sig_atomic_t quit, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
is_tcp(const char *ep)
{
	return strncmp(ep, "tcp://", 6) == 0;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: irokpid --data-dir DIR [--config FILE] [--clock FILE] "
	    "[-n] "
	    "[-v] [-d]\n"
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
	    "      --clock FILE     today is the YYYY-MM-DD in FILE, read\n"
	    "                       again when it changes (tests, replays)\n"
	    "      --example-config print an irokpid.conf with every default\n"
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

/*
 * A public socket.  A tcp endpoint is a CURVE server whose handshakes the
 * ZAP handler judges (zap.h) under domain, unless curve_secret is NULL
 * (allow_insecure_tcp); ipc endpoints rely on file permissions.
 */
static void *
bind_socket(struct daemon *d, int type, const char *ep,
    const char *curve_secret, const char *domain)
{
	int one = 1, zero = 0;
	int64_t max64 = d->cfg.max_event_bytes;
	void *s;

	if ((s = zmq_socket(d->zctx, type)) == NULL)
		fatalx("socket: %s", zmq_strerror(errno));
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	if (type == ZMQ_ROUTER) {
		zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max64, sizeof(max64));
		zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof(one));
	}
	if (type == ZMQ_PUB) {
		/* Per subscriber; past it a PUB drops (it never blocks), and
		 * the subscriber fills the gap from the breaches query. */
		int hwm = PUB_QUEUE_MAX;

		zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof(hwm));
	}
	if (is_tcp(ep) && curve_secret != NULL) {
		if (zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof(one)) !=
			0 ||
		    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, curve_secret,
			ZAP_KEY_Z85 - 1) != 0 ||
		    zmq_setsockopt(
			s, ZMQ_ZAP_DOMAIN, domain, strlen(domain)) != 0)
			fatalx("%s: CURVE: %s", ep, zmq_strerror(errno));
		/* Without this libzmq 4.3 lets a client in when the handler
		 * does not answer; a library built without the draft API
		 * refuses it, and then the handler bound first is what
		 * guards the door. */
		if (zmq_setsockopt(
			s, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof(one)) != 0)
			log_debug("%s: ZMQ_ZAP_ENFORCE_DOMAIN: %s", ep,
			    zmq_strerror(errno));
	}
	if (zmq_bind(s, ep) != 0)
		fatalx("bind %s: %s", ep, zmq_strerror(errno));
	return s;
}

/*
 * tcp needs CURVE: the server key, and the ZAP handler bound before any
 * public socket.  Returns the server's secret key, or NULL when no endpoint
 * is tcp or allow_insecure_tcp lets them go bare (warned every start).
 */
static const char *
access_setup(struct daemon *d, char secret[ZAP_KEY_Z85])
{
	const char *eps[] = { d->ingest_ep, d->query_ep, d->breaches_ep };
	bool tcp = false;
	size_t i;
	int rc;

	for (i = 0; i < NITEMS(eps); i++)
		tcp = tcp || is_tcp(eps[i]);
	if (!tcp)
		return NULL;
	if (d->cfg.server_key[0] == '\0') {
		if (!d->cfg.allow_insecure_tcp)
			fatalx("tcp endpoints need CURVE: set [keys] "
			       "server_key (irokpi keygen), or "
			       "[endpoints] allow_insecure_tcp = true");
		for (i = 0; i < NITEMS(eps); i++)
			if (is_tcp(eps[i]))
				log_warnx("INSECURE: %s is tcp without CURVE: "
					  "anyone who reaches it gets in "
					  "(allow_insecure_tcp = true)",
				    eps[i]);
		return NULL;
	}
	if ((rc = keyfile_read(d->cfg.server_key, secret)) != 0)
		fatalx("[keys] server_key %s: %s", d->cfg.server_key,
		    rc == IRK_EIO ? strerror(errno) : "not a Z85 key");
	if ((rc = zap_start(d->zctx, &d->cfg, &d->zap)) != 0)
		fatalx("zap handler: %s", irk_strerror(rc));
	return secret;
}

static void
post_status(struct daemon *d)
{
	notify_status("%llu batches, %llu events stored, %llu duplicates, "
		      "%llu rejected since start",
	    (unsigned long long)atomic_load(&d->batches),
	    (unsigned long long)atomic_load(&d->stored),
	    (unsigned long long)atomic_load(&d->duplicates),
	    (unsigned long long)atomic_load(&d->rejected));
}

/* One ingest turn (a group of batches, one commit); a turn slower than
 * slow_commit_ms is logged. */
static void
ingest_timed(struct daemon *d)
{
	int64_t t0 = now_ms(), ms;
	size_t batches = ingest_handle(d);

	ms = now_ms() - t0;
	if (ms > d->cfg.slow_commit_ms)
		log_warnx(
		    "ingest: slow commit: %.3f s for %zu batch(es) (over "
		    "%lld ms)",
		    (double)ms / 1000.0, batches, d->cfg.slow_commit_ms);
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
		{ "example-config", no_argument, NULL, 'E' },
		{ "clock", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon *d;
	const char *data_dir = NULL, *config_path = NULL, *clock_file = NULL;
	char dir[PATH_MAX], err[CONFIG_PATH_MAX + 256], secret[ZAP_KEY_Z85];
	const char *curve;
	int64_t wd_ms, next_wd = 0, next_status = 0;
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
		case 'E':
			config_print_example();
			return 0;
		case 'C':
			clock_file = optarg;
			break;
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
		free(d);
		return 1;
	}
	if (d->cfg.metrics_listen[0] != '\0' &&
	    metrics_check(d->cfg.metrics_listen, err, sizeof(err)) != 0) {
		fprintf(stderr, "irokpid: %s: [metrics] listen: %s\n",
		    config_path, err);
		free(d);
		return 1;
	}
	d->config_path = config_path;
	d->clock_file = clock_file;
	d->data_dir_flag = data_dir;
	if (data_dir != NULL)
		snprintf(
		    d->cfg.data_dir, sizeof(d->cfg.data_dir), "%s", data_dir);
	if (d->cfg.data_dir[0] == '\0') {
		fprintf(stderr, "irokpid: no data folder: give --data-dir DIR "
				"or [store] data_dir\n");
		free(d);
		return 2;
	}
	config_timescale(&d->cfg, &d->ts);
	config_kpi_settings(&d->cfg, &d->kpi);
	if (daemon_load_calendar(
		d->cfg.holidays_file, &d->cal, err, sizeof(err)) != 0) {
		fprintf(stderr, "irokpid: %s\n", err);
		free(d);
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		calendar_free(&d->cal);
		free(d);
		return 0;
	}
	log_info("starting irokpid %s: config %s, data %s", IRK_VERSION,
	    config_path != NULL ? config_path : "(none)", d->cfg.data_dir);
	if (pthread_rwlock_init(&d->settings_lock, NULL) != 0)
		fatalx("settings lock");
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
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((d->zctx = zmq_ctx_new()) == NULL)
		fatalx("zmq context: %s", zmq_strerror(errno));
	curve = access_setup(d, secret); /* the ZAP handler first */
	/* ipc sockets: owner and group (irokpi under systemd), 0660 */
	umask(0117);
	d->ingest =
	    bind_socket(d, ZMQ_ROUTER, d->ingest_ep, curve, ZAP_DOMAIN_INGEST);
	d->query =
	    bind_socket(d, ZMQ_ROUTER, d->query_ep, curve, ZAP_DOMAIN_READ);
	d->breaches =
	    bind_socket(d, ZMQ_PUB, d->breaches_ep, curve, ZAP_DOMAIN_READ);
	umask(0077); /* files made from now on (backups): owner only */
	d->started = time(NULL);
	daemon_clock_poll(d);
	breach_init(d);
	if (query_start(d) != 0)
		fatalx("query thread");
	if (d->cfg.metrics_listen[0] != '\0' &&
	    (submon_start(d) != 0 || metrics_start(d) != 0))
		fatalx("metrics: cannot serve [metrics] listen = %s",
		    d->cfg.metrics_listen);
	{
		struct store_stats st;

		store_stats(d->store, &st);
		char status[160];

		store_stats(d->store, &st);
		log_info("ready: %llu events, last seq %llu; ingest %s, "
			 "query %s, breaches %s%s",
		    (unsigned long long)st.events,
		    (unsigned long long)st.last_seq, d->ingest_ep, d->query_ep,
		    d->breaches_ep, curve != NULL ? " (tcp: CURVE)" : "");
		snprintf(status, sizeof(status),
		    "ready: %llu events, last seq %llu",
		    (unsigned long long)st.events,
		    (unsigned long long)st.last_seq);
		notify_ready(status); /* sockets bound, store open */
	}
	if ((wd_ms = notify_watchdog_ms()) > 0)
		log_info("watchdog: ping every %lld ms", (long long)wd_ms);

	while (!quit) {
		zmq_pollitem_t items[] = {
			{ d->ingest, 0, ZMQ_POLLIN, 0 },
			{ d->submon, 0, ZMQ_POLLIN, 0 },
		};
		int64_t now = now_ms(), timeout = 1000, hb;

		if (wd_ms > 0) {
			if (now >= next_wd) {
				notify_watchdog();
				next_wd = now + wd_ms;
			}
			if (next_wd - now < timeout)
				timeout = next_wd - now;
		}
		if (now >= next_status) {
			post_status(d);
			/* a backup or mdb_stat killed mid-read pins pages */
			store_clear_stale_readers(d->store);
			next_status = now + STATUS_EVERY_MS;
		}
		if (reload) {
			reload = 0;
			daemon_reload(d);
		}
		if ((hb = breach_tick(d, now)) < timeout)
			timeout = hb > 0 ? hb : 0;
		rc = zmq_poll(items, d->submon != NULL ? 2 : 1, (long)timeout);
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			log_warnx("poll: %s", zmq_strerror(errno));
			break;
		}
		if (items[0].revents & ZMQ_POLLIN) {
			ingest_timed(d);
			breach_publish_new(d); /* met_late */
		}
		if (d->submon != NULL && (items[1].revents & ZMQ_POLLIN))
			submon_drain(d);
	}

	notify_stopping();
	log_info("stopping: %llu batches, %llu events stored since start",
	    (unsigned long long)atomic_load(&d->batches),
	    (unsigned long long)atomic_load(&d->stored));
	metrics_stop(d);
	query_stop(d);
	rebuild_fini(&d->rebuild);
	zmq_close(d->ingest);
	submon_stop(d);
	zmq_close(d->breaches);
	zap_stop(&d->zap);
	zmq_ctx_term(d->zctx);
	store_close(&d->store);
	calendar_free(&d->cal);
	pthread_rwlock_destroy(&d->settings_lock);
	free(d);
	log_info("stopped");
	return 0;
}
