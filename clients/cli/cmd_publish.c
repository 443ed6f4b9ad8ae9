/*
 * irokpi publish: JSON lines in, one summary line out.
 *
 * Each file (standard input for none or "-") is read a line at a time with
 * getline(3) and each line is converted to msgpack on its own, so memory
 * stays flat however long the input: the library holds at most a few
 * batches.  A line that is not a JSON event is refused here and never sent,
 * but it goes through irokpi_publish_reject() all the same, so that every
 * reject reaches stderr in input order, whoever refused it.  The tag given
 * to the library is the file's index and the line number, packed into one
 * integer.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <msgpack.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"
#include "proto/event.h"
#include "proto/json.h"
#include "proto/wire.h"

#define TAG_LINE_BITS   40 /* the rest of the tag is the file's index */
#define GIVE_UP_DEFAULT 30000

enum { OPT_BATCH = CLI_OPT_FIRST_LOCAL, OPT_INFLIGHT, OPT_RESEND };

struct publish {
	char **files; /* as named on the command line, "-" for stdin */
};

static void
usage(void)
{
	printf("usage: irokpi publish [options] [FILE...]\n"
	       "\n"
	       "Send the events of each FILE (standard input when there is "
	       "none, or for \"-\"),\none JSON object a line, to irokpid. "
	       "Blank lines are skipped.  Each rejected\nline is reported on "
	       "stderr as FILE:LINE: id ID: FIELD: reason, and the last\nline "
	       "on stdout is \"stored N, duplicates N, rejected N\".\n"
	       "\n"
	       "options:\n"
	       "  --batch N        events per batch, 1-%d (default 1000)\n"
	       "  --inflight K     batches awaiting an ack at once, 1-64 "
	       "(default 4)\n"
	       "  --resend MS      resend a batch not acked after MS "
	       "(default 10000)\n"
	       "  --timeout MS     give up after MS without any ack "
	       "(default 30000)\n" CLI_ENDPOINT_HELP
	       "  --help           this text\n"
	       "\n"
	       "Exit status: 0 all stored or duplicates, 1 some rejected, 2 "
	       "no daemon,\ntimeout or wrong usage.\n",
	    WIRE_BATCH_MAX);
}

/* Print s with control characters made visible, so a line stays one line. */
static void
put_clean(const char *s)
{
	for (; *s != '\0'; s++)
		fputc(
		    (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, stderr);
}

static void
on_result(const struct irokpi_result *r, void *arg)
{
	struct publish *p = arg;
	uint64_t line = r->tag & ((UINT64_C(1) << TAG_LINE_BITS) - 1);
	size_t file = (size_t)(r->tag >> TAG_LINE_BITS);

	if (r->status != IROKPI_REJECTED)
		return;
	fprintf(
	    stderr, "%s:%llu: id ", p->files[file], (unsigned long long)line);
	put_clean(r->id != NULL ? r->id : "-");
	fputs(": ", stderr);
	put_clean(r->field);
	fputs(": ", stderr);
	put_clean(r->reason);
	fputc('\n', stderr);
}

static bool
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return false;
	return true;
}

static void
report_failure(struct irokpi *k, int rc)
{
	if (rc == IRK_ETIMEDOUT)
		fprintf(stderr, "irokpi: publish: %s\n", irokpi_errmsg(k));
	else
		fprintf(stderr, "irokpi: publish: %s: %s\n", irk_strerror(rc),
		    irokpi_errmsg(k));
}

/*
 * Send one file's lines.  Returns 0, or an IRK_E* from the library (then
 * the message is printed here), or IRK_EIO for a read error (printed).
 */
static int
publish_file(struct irokpi *k, FILE *f, const char *name, size_t index)
{
	msgpack_sbuffer sb;
	struct irk_diag diag;
	char *line = NULL, id[IRK_ID_MAX + 1];
	size_t cap = 0, len;
	ssize_t n;
	uint64_t lineno = 0, tag;
	int rc = 0;

	msgpack_sbuffer_init(&sb);
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		len = (size_t)n;
		if (blank(line, len))
			continue;
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		tag = ((uint64_t)index << TAG_LINE_BITS) | lineno;
		msgpack_sbuffer_clear(&sb);
		memset(&diag, 0, sizeof(diag));
		if (json_to_msgpack(line, len, &sb, &diag) != 0) {
			if (diag.field[0] == '\0')
				snprintf(
				    diag.field, sizeof(diag.field), "(event)");
			if (diag.reason[0] == '\0')
				snprintf(diag.reason, sizeof(diag.reason),
				    "not a JSON object");
			rc = irokpi_publish_reject(k, tag,
			    json_peek_id(line, len, id, sizeof(id)) == 0
				? id
				: NULL,
			    diag.field, diag.reason);
		} else {
			rc = irokpi_publish(k, sb.data, sb.size, tag);
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "irokpi: publish: %s: %s\n", name,
		    strerror(errno));
		rc = IRK_EIO;
	} else if (rc != 0) {
		report_failure(k, rc);
	}
	free(line);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

int
cmd_publish(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "inflight", required_argument, NULL, OPT_INFLIGHT },
		{ "resend", required_argument, NULL, OPT_RESEND },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static char *stdin_only[] = { "-", NULL };
	struct irokpi_counts counts;
	struct irokpi *k = NULL;
	struct publish p;
	long batch = 1000, inflight = 4, resend = 10000;
	size_t i, nfiles;
	FILE *f;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "publish", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_BATCH:
			if (cli_parse_long("publish", "--batch", optarg, 1,
				WIRE_BATCH_MAX, &batch) != 0)
				return CLI_EXIT_FAIL;
			break;
		case OPT_INFLIGHT:
			if (cli_parse_long("publish", "--inflight", optarg, 1,
				64, &inflight) != 0)
				return CLI_EXIT_FAIL;
			break;
		case OPT_RESEND:
			if (cli_parse_long("publish", "--resend", optarg, 1,
				86400000L, &resend) != 0)
				return CLI_EXIT_FAIL;
			break;
		}
	}
	if (ch < 0)
		return rc;
	p.files = optind < argc ? argv + optind : stdin_only;
	nfiles = optind < argc ? (size_t)(argc - optind) : 1;
	if (nfiles >= (size_t)1 << (64 - TAG_LINE_BITS))
		return cli_usage_error("publish", "too many files");
	/* Refuse before sending anything if a file cannot be read. */
	for (i = 0; i < nfiles; i++) {
		if (strcmp(p.files[i], "-") == 0)
			continue;
		if ((f = fopen(p.files[i], "r")) == NULL) {
			fprintf(stderr, "irokpi: publish: %s: %s\n",
			    p.files[i], strerror(errno));
			return CLI_EXIT_FAIL;
		}
		fclose(f);
	}
	if (cli_open(c, "publish", true, false, &k) != CLI_EXIT_OK)
		return CLI_EXIT_FAIL;
	irokpi_set(k, IROKPI_OPT_BATCH, batch);
	irokpi_set(k, IROKPI_OPT_INFLIGHT, inflight);
	irokpi_set(k, IROKPI_OPT_RESEND, resend);
	irokpi_set(k, IROKPI_OPT_GIVE_UP,
	    c->timeout > 0 ? c->timeout : GIVE_UP_DEFAULT);
	irokpi_on_result(k, on_result, &p);

	rc = 0;
	for (i = 0; i < nfiles && rc == 0; i++) {
		if (strcmp(p.files[i], "-") == 0) {
			rc = publish_file(k, stdin, "-", i);
			continue;
		}
		if ((f = fopen(p.files[i], "r")) == NULL) {
			fprintf(stderr, "irokpi: publish: %s: %s\n",
			    p.files[i], strerror(errno));
			rc = IRK_EIO;
			break;
		}
		rc = publish_file(k, f, p.files[i], i);
		fclose(f);
	}
	if (rc == 0 && (rc = irokpi_flush(k)) != 0)
		report_failure(k, rc);
	if (rc != 0 && irokpi_pending(k) > 0)
		fprintf(stderr,
		    "irokpi: publish: %zu events got no verdict; "
		    "publishing them again is safe\n",
		    irokpi_pending(k));
	irokpi_counts(k, &counts);
	printf("stored %llu, duplicates %llu, rejected %llu\n",
	    (unsigned long long)counts.stored,
	    (unsigned long long)counts.duplicates,
	    (unsigned long long)counts.rejected);
	if (rc != 0)
		ret = CLI_EXIT_FAIL;
	else if (counts.rejected > 0)
		ret = CLI_EXIT_REJECTED;
	else
		ret = CLI_EXIT_OK;
	irokpi_close(&k);
	if (cli_finish_stdout() != CLI_EXIT_OK)
		ret = CLI_EXIT_FAIL;
	return ret;
}
