/*
 * sd_notify(3) from libsystemd, or nothing without it (HAVE_LIBSYSTEMD is
 * set by daemon/CMakeLists.txt when pkg-config finds libsystemd).  Messages
 * carry no personal data: counts and states only.
 */
#include <stdarg.h>
#include <stdio.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "daemon/notify.h"

#ifdef HAVE_LIBSYSTEMD
static void
notify_send(const char *msg)
{
	(void)sd_notify(0, msg);
}
#else
static void
notify_send(const char *msg)
{
	(void)msg;
}
#endif

int64_t
notify_watchdog_ms(void)
{
#ifdef HAVE_LIBSYSTEMD
	uint64_t usec = 0;

	/* sd_watchdog_enabled() checks WATCHDOG_PID against our pid. */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
		return (int64_t)(usec / 2000) > 0 ? (int64_t)(usec / 2000) : 1;
#endif
	return 0;
}

void
notify_status(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	notify_send(msg);
}

void
notify_ready(const char *status)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	notify_send(msg);
}

void
notify_reloading(void)
{
	notify_send("RELOADING=1");
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
notify_watchdog(void)
{
	notify_send("WATCHDOG=1");
}
