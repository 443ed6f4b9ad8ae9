/*
 * Quality assurance and harmful sexual behaviour (KPIS.md, "Quality
 * assurance and the service"): the points of the qa.* and hsb.* KPIs.
 */
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

int
facts_qa(const struct facts_ctx *c, struct points *out)
{
	(void)c;
	(void)out;
	return 0;
}
