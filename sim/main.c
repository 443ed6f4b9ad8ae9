/*
 * irokpi-sim: write a generated scenario as JSON lines to standard output,
 * for `irokpi publish`.  See sim.h for what the stream contains.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/sim.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: irokpi-sim [--seed N] [--first-year Y] [--years N]\n"
	    "                  [--families N] [--events N] [--duplicates R]\n"
	    "                  [--retractions R] [--shuffle R] [--late R]\n"
	    "\n"
	    "Writes a realistic stream of irokpi events (JSON lines) for a\n"
	    "council: families entering care and coming onto child "
	    "protection\n"
	    "plans from 1 April of the first year, with duplicates, late\n"
	    "arrivals and retracted mistakes.  Deterministic for a seed.\n"
	    "\n"
	    "  --families N     families to generate (default 1000; 0 = "
	    "until\n"
	    "                   --events is reached)\n"
	    "  --events N       stop after N lines (default: no limit)\n"
	    "  --duplicates R   share of events sent twice (default 0.01)\n"
	    "  --retractions R  share entered wrongly, then retracted "
	    "(0.005);\n"
	    "                   a quarter of those also retract the real "
	    "event\n"
	    "                   and withdraw that retraction\n"
	    "  --shuffle R      share arriving out of order (default 0.1)\n"
	    "  --late R         share of reviews held late (default 0.02)\n");
}

static int
emit_line(void *arg, const char *line, size_t len)
{
	FILE *fp = arg;

	if (fwrite(line, 1, len, fp) != len || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "first-year", required_argument, NULL, 'y' },
		{ "years", required_argument, NULL, 'n' },
		{ "families", required_argument, NULL, 'f' },
		{ "events", required_argument, NULL, 'e' },
		{ "duplicates", required_argument, NULL, 'd' },
		{ "retractions", required_argument, NULL, 'r' },
		{ "shuffle", required_argument, NULL, 'u' },
		{ "late", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_config cfg;
	bool families_given = false;
	int ch;

	sim_defaults(&cfg);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			cfg.seed = strtoull(optarg, NULL, 10);
			break;
		case 'y':
			cfg.first_year = atoi(optarg);
			break;
		case 'n':
			cfg.years = atoi(optarg);
			break;
		case 'f':
			cfg.families = strtoull(optarg, NULL, 10);
			families_given = true;
			break;
		case 'e':
			cfg.max_events = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			cfg.duplicate_rate = atof(optarg);
			break;
		case 'r':
			cfg.retract_rate = atof(optarg);
			break;
		case 'u':
			cfg.shuffle_rate = atof(optarg);
			break;
		case 'l':
			cfg.late_review_rate = atof(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || cfg.first_year < 1900 || cfg.first_year > 2100 ||
	    cfg.years < 1 || cfg.years > 50) {
		usage(stderr);
		return 2;
	}
	if (cfg.max_events > 0 && !families_given)
		cfg.families = 0; /* --events alone: as many as it takes */
	if (sim_run(&cfg, emit_line, stdout) != 0 || fflush(stdout) != 0) {
		perror("irokpi-sim: write");
		return 1;
	}
	return 0;
}
