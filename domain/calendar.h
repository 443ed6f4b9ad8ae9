/*
 * The England and Wales working-day calendar: Monday to Friday except bank
 * holidays.  The bank holidays of 2015-2030 are built in (with the moved and
 * extra days of 2020, 2022 and 2023); a council adds or removes days with an
 * override list, one "YYYY-MM-DD" a line (a leading '-' removes a built-in
 * day, '#' starts a comment).  "Within N working days of D" means on or before
 * calendar_add_working_days(D, N) (KPIS.md, shared rules).
 *
 * Pure: the caller reads the override file and hands its text in.
 */
#ifndef IRK_CALENDAR_H
#define IRK_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

/*
 * A calendar holding the built-in bank holidays.  On success *out is owned by
 * the caller; release it with calendar_free().  Returns 0 or IRK_ENOMEM.
 */
int calendar_new(struct calendar **out);

/* NULL-safe; sets *cp to NULL. */
void calendar_free(struct calendar **cp);

/* Add (holiday true) or remove (false) one holiday.  Returns 0 or IRK_E*. */
int calendar_set_holiday(struct calendar *c, int32_t day, bool holiday);

/*
 * Apply an override list (len bytes of text).  Returns 0, or IRK_EINVAL with
 * *bad_line set to the 1-based line at fault; lines before it are applied.
 */
int calendar_apply_overrides(
    struct calendar *c, const char *text, size_t len, int *bad_line);

/* True for a bank holiday in this calendar (weekends are not holidays). */
bool calendar_is_holiday(const struct calendar *c, int32_t day);

/* True for Monday to Friday when not a holiday. */
bool calendar_is_working_day(const struct calendar *c, int32_t day);

/*
 * The nth working day after day (n > 0), or before it (n < 0); n == 0 gives
 * day itself.  Example: Friday 2020-01-03 + 1 = Monday 2020-01-06.
 */
int32_t calendar_add_working_days(
    const struct calendar *c, int32_t day, int n);

#endif
