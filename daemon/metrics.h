/*
 * GET /metrics: irokpid's health and every KPI's financial year to date in
 * Prometheus's text exposition format 0.0.4, over HTTP (libmicrohttpd, on a
 * thread of its own).  Off unless [metrics] listen names a port.
 */
#ifndef IRK_METRICS_H
#define IRK_METRICS_H

#include <stddef.h>

struct daemon;

/*
 * Check a [metrics] listen value: "PORT" (127.0.0.1), "HOST:PORT" or
 * "[IPV6]:PORT".  Returns 0, or IRK_EINVAL with the reason in why.
 */
int metrics_check(const char *listen, char *why, size_t whylen);

/*
 * Start serving on d->cfg.metrics_listen, or do nothing when it is empty.
 * A host that is not loopback is served (it was written out) with a
 * warning.  The server reads d's counters, store and settings until
 * metrics_stop(); d->metrics owns it.  Returns 0 or IRK_E* (logged).
 */
int metrics_start(struct daemon *d);

/* Stop serving and wait for a scrape in progress; NULL-safe. */
void metrics_stop(struct daemon *d);

/*
 * The exposition: every family with # HELP and # TYPE.  Reads atomics, a
 * store view and the KPI settings (under d->settings_lock, shared), so any
 * thread may call it.  On success *out (*len bytes, NUL-terminated) is the
 * caller's to free(3).  Returns 0 or IRK_E*.
 */
int metrics_render(struct daemon *d, char **out, size_t *len);

#endif
