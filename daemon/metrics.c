/*
 * The HTTP side of /metrics (metrics.h): libmicrohttpd on a thread of its
 * own, answering GET (and HEAD) /metrics with metrics_render()'s page, 404
 * for any other path and 405 for any other method.  A scrape reads only
 * atomics and a store view, so it runs beside ingest and the query thread.
 *
 * Only a port means loopback: a metrics page shows counts, not children,
 * but who may read it is still for the operator to decide, by writing a
 * host out.  A handful of connections at a time, each closed after 10 s
 * idle, so a stuck scraper cannot hold the server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "domain/err.h"

#define METRICS_PATH     "/metrics"
#define METRICS_TYPE     "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CONNS    16
#define METRICS_IDLE_S   10
#define METRICS_LOOPBACK "127.0.0.1"

struct metrics {
	struct MHD_Daemon *mhd;
};

/* A listen value taken apart: host (without brackets) and port. */
struct listen_addr {
	char host[256];
	char port[8];
	uint16_t portnum;
	bool v6; /* written in brackets */
};

static int
listen_split(const char *s, struct listen_addr *a, char *why, size_t whylen)
{
	const char *colon, *port = s, *end;
	char *stop;
	long p;
	size_t hlen = 0;

	memset(a, 0, sizeof(*a));
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL || end[1] != ':') {
			snprintf(
			    why, whylen, "\"%.64s\": want [IPV6]:PORT", s);
			return IRK_EINVAL;
		}
		a->v6 = true;
		hlen = (size_t)(end - s - 1);
		s++;
		port = end + 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		hlen = (size_t)(colon - s);
		port = colon + 1;
	}
	if (hlen >= sizeof(a->host)) {
		snprintf(why, whylen, "host too long");
		return IRK_EINVAL;
	}
	if (hlen == 0)
		snprintf(a->host, sizeof(a->host), "%s", METRICS_LOOPBACK);
	else {
		memcpy(a->host, s, hlen);
		a->host[hlen] = '\0';
	}
	errno = 0;
	p = strtol(port, &stop, 10);
	if (errno != 0 || stop == port || *stop != '\0' || p < 1 ||
	    p > 65535) {
		snprintf(why, whylen,
		    "\"%.64s\" is not a port 1..65535 (want PORT or "
		    "HOST:PORT)",
		    port);
		return IRK_EINVAL;
	}
	snprintf(a->port, sizeof(a->port), "%ld", p);
	a->portnum = (uint16_t)p;
	return 0;
}

/* The address to bind; *res is the caller's (freeaddrinfo()). */
static int
listen_resolve(const struct listen_addr *a, struct addrinfo **res, char *why,
    size_t whylen)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = a->v6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(a->host, a->port, &hints, res)) != 0) {
		snprintf(why, whylen, "%.64s: %s", a->host, gai_strerror(rc));
		return IRK_EINVAL;
	}
	return 0;
}

int
metrics_check(const char *listen, char *why, size_t whylen)
{
	struct listen_addr a;
	struct addrinfo *res = NULL;
	int rc;

	if ((rc = listen_split(listen, &a, why, whylen)) != 0 ||
	    (rc = listen_resolve(&a, &res, why, whylen)) != 0)
		return rc;
	freeaddrinfo(res);
	return 0;
}

static bool
is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

	if (sa->sa_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warnx("metrics: %s", buf);
}

static enum MHD_Result
respond(struct MHD_Connection *c, unsigned status, const char *type,
    char *body, size_t len, bool owned)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(
	    len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL) {
		if (owned)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **state)
{
	static char not_found[] = "not found: try /metrics\n";
	static char not_allowed[] = "method not allowed: GET /metrics\n";
	static char failed[] = "metrics unavailable; see irokpid's log\n";
	struct daemon *d = cls;
	char *body = NULL;
	size_t len = 0;
	int rc;

	(void)version;
	(void)upload;
	(void)upload_len;
	(void)state;
	if (strcmp(url, METRICS_PATH) != 0)
		return respond(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found,
		    sizeof(not_found) - 1, false);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
		    not_allowed, sizeof(not_allowed) - 1, false);
	if ((rc = metrics_render(d, &body, &len)) != 0) {
		log_warnx("metrics: %s", irk_strerror(rc));
		return respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
		    failed, sizeof(failed) - 1, false);
	}
	return respond(c, MHD_HTTP_OK, METRICS_TYPE, body, len, true);
}

int
metrics_start(struct daemon *d)
{
	struct listen_addr a;
	struct addrinfo *res = NULL;
	struct metrics *m = NULL;
	sigset_t all, old;
	unsigned flags =
	    MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	char why[160];
	int rc;

	if (d->cfg.metrics_listen[0] == '\0')
		return 0;
	if ((rc = listen_split(d->cfg.metrics_listen, &a, why, sizeof(why))) !=
		0 ||
	    (rc = listen_resolve(&a, &res, why, sizeof(why))) != 0) {
		log_warnx("metrics: [metrics] listen: %s", why);
		return rc;
	}
	if (!is_loopback(res->ai_addr))
		log_warnx("metrics: %s is not loopback: whoever reaches it "
			  "reads the daemon's counts and KPIs",
		    a.host);
	if (res->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		freeaddrinfo(res);
		return IRK_ENOMEM;
	}
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* The port is the address's; given again for MHD's messages. */
	m->mhd = MHD_start_daemon(flags, a.portnum, NULL, NULL, on_request, d,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
	    res->ai_addr, MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_CONNS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_IDLE_S,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	freeaddrinfo(res);
	if (m->mhd == NULL) {
		log_warnx("metrics: cannot listen on %s%s%s:%s",
		    a.v6 ? "[" : "", a.host, a.v6 ? "]" : "", a.port);
		free(m);
		return IRK_EIO;
	}
	d->metrics = m;
	log_info("metrics: listening on http://%s%s%s:%s%s", a.v6 ? "[" : "",
	    a.host, a.v6 ? "]" : "", a.port, METRICS_PATH);
	return 0;
}

void
metrics_stop(struct daemon *d)
{
	if (d->metrics == NULL)
		return;
	MHD_stop_daemon(d->metrics->mhd);
	free(d->metrics);
	d->metrics = NULL;
}
