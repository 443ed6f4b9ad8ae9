/*
 * Logging, after OpenBSD's log.c: log_warn() appends strerror(errno),
 * log_warnx() does not; fatal() and fatalx() log and exit(1).  Everything goes
 * to stderr.  Under systemd (log_init with journald true) each line starts
 * with its sd-daemon priority ("<3>" error ... "<7>" debug) so journald keeps
 * the level; in the foreground lines carry a time stamp instead.
 *
 * Never log a child id above debug level, nor any other personal data.
 */
#ifndef IRK_LOG_H
#define IRK_LOG_H

#include <stdbool.h>

/* verbose: 0 info and up, 1 debug too.  journald: priority prefixes. */
void log_init(int verbose, bool journald);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
