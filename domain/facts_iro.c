/*
 * The IRO service (KPIS.md, iro.caseload): which IRO holds each child on
 * each day, and the weight the child carries in that caseload.
 */
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

int
facts_iro(const struct facts_ctx *c, struct points *out)
{
	(void)c;
	(void)out;
	return 0;
}
