/*
 * The systemd notify protocol (sd_notify(3)): READY=1 once every socket is
 * bound and the store is open, RELOADING=1 around SIGHUP, STOPPING=1 on the
 * way out, STATUS= lines with counts, and WATCHDOG=1 pings from the main loop
 * when the unit sets WatchdogSec=.  Built without libsystemd every call does
 * nothing and the watchdog is off.  Main thread only.
 */
#ifndef IRK_NOTIFY_H
#define IRK_NOTIFY_H

#include <stdint.h>

/* The watchdog ping period in milliseconds (half of WatchdogSec=), or 0
 * when systemd did not ask for pings. */
int64_t notify_watchdog_ms(void);

void notify_ready(const char *status);
void notify_reloading(void);
void notify_stopping(void);
void notify_watchdog(void);
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
