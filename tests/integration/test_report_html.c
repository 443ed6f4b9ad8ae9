/*
 * `irokpi report --format html` rendered by a real browser: the real
 * irokpid is fed tests/data/kpi_events.jsonl through the real irokpi, the
 * page is written, and headless Chromium (Debian's chromium) parses it
 * (--dump-dom) and draws it (--screenshot).  The DOM must hold the six
 * charts as inline SVG with their bars, and nothing that would make the
 * page fetch anything; the screenshot must be a PNG.  Without a chromium
 * the browser tests are skipped (the page checks still run).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/harness.h"

#define CLI_TIMEOUT "30000"

static const char *const charts[] = {
	"chart-review-timeliness",
	"chart-review-meetings",
	"chart-participation",
	"chart-repeat-plans",
	"chart-categories",
	"chart-stood-down",
};

struct fixture {
	struct harness h;
	struct run publish, report;
	char page[PATH_MAX];
};

/* The browser, or NULL: $IRK_CHROMIUM, else chromium on the usual paths. */
static const char *
chromium(void)
{
	static const char *const paths[] = { "/usr/bin/chromium",
		"/usr/bin/chromium-browser" };
	const char *env = getenv("IRK_CHROMIUM");
	size_t i;

	if (env != NULL && *env != '\0')
		return access(env, X_OK) == 0 ? env : NULL;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Nothing the browser would fetch: no src, href, url(), @import. */
static void
assert_self_contained(const char *html)
{
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
}

static int
setup(void **state)
{
	struct fixture *f;
	FILE *out;

	if (harness_irokpid() == NULL || harness_irokpi() == NULL)
		return -1;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if (harness_init(&f->h) != 0 || harness_start(&f->h) != 0)
		return -1;
	if (harness_cli(&f->h, &f->publish, NULL,
		(const char *[]){ "publish", "--timeout", CLI_TIMEOUT,
		    harness_data("kpi_events.jsonl"), NULL }) != 0 ||
	    f->publish.status != 0)
		return -1;
	if (harness_cli(&f->h, &f->report, NULL,
		(const char *[]){ "report", "--fy", "2019", "--format", "html",
		    "--as-at", "2020-06-30", "--timeout", CLI_TIMEOUT,
		    NULL }) != 0)
		return -1;
	snprintf(f->page, sizeof(f->page), "%s/report.html", f->h.dir);
	if ((out = fopen(f->page, "w")) == NULL)
		return -1;
	fwrite(f->report.out, 1, f->report.out_len, out);
	return fclose(out) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f == NULL)
		return 0;
	run_free(&f->publish);
	run_free(&f->report);
	harness_fini(&f->h);
	free(f);
	return 0;
}

/* The page as irokpi writes it: every chart, every section, no URL. */
static void
test_page(void **state)
{
	struct fixture *f = *state;
	const char *html = f->report.out;
	char id[64];
	size_t i;

	if (f->report.status != 0)
		fprintf(stderr, "%s", f->report.err);
	assert_int_equal(f->report.status, 0);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "</html>"));
	for (i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		snprintf(id, sizeof(id), "<svg id=\"%s\"", charts[i]);
		if (strstr(html, id) == NULL)
			fprintf(stderr, "no chart %s\n", charts[i]);
		assert_non_null(strstr(html, id));
	}
	assert_int_equal(count(html, "<svg"), 6);
	assert_true(count(html, "<rect") >= 20);
	/* The tables of the Markdown report are there too. */
	assert_non_null(strstr(html, "Participation in LAC reviews by code"));
	assert_non_null(strstr(html, "<td>lac.review_timeliness</td>"));
	assert_non_null(strstr(html, "<td>PN3</td>"));
	assert_self_contained(html);
}

/* --format something else is a usage error, exit 2. */
static void
test_bad_format(void **state)
{
	struct fixture *f = *state;
	struct run r;

	assert_int_equal(harness_cli(&f->h, &r, NULL,
			     (const char *[]){ "report", "--fy", "2019",
				 "--format", "pdf", NULL }),
	    0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "html"));
	run_free(&r);
}

/* The browser's DOM of the page: the charts were parsed as SVG. */
static void
test_chromium_dom(void **state)
{
	struct fixture *f = *state;
	const char *browser = chromium();
	char profile[PATH_MAX], url[PATH_MAX + 8], out[PATH_MAX],
	    err[PATH_MAX], udd[PATH_MAX + 20], *dom;
	size_t i;
	int rc;

	if (browser == NULL) {
		fprintf(stderr, "no chromium: skipped\n");
		skip();
	}
	snprintf(profile, sizeof(profile), "%s/chromium-dom", f->h.dir);
	assert_int_equal(mkdir(profile, 0700), 0);
	snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
	snprintf(url, sizeof(url), "file://%s", f->page);
	snprintf(out, sizeof(out), "%s/dom.html", f->h.dir);
	snprintf(err, sizeof(err), "%s/dom.err", f->h.dir);
	rc = harness_run_to(
	    (char *[]){ (char *)browser, "--headless", "--no-sandbox",
		"--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking",
		"--disable-component-update", "--disable-sync", udd,
		"--dump-dom", url, NULL },
	    out, err);
	if (rc != 0 && (dom = harness_slurp(err, NULL)) != NULL) {
		fprintf(stderr, "chromium: %s\n", dom);
		free(dom);
	}
	assert_int_equal(rc, 0);
	assert_non_null(dom = harness_slurp(out, NULL));
	for (i = 0; i < sizeof(charts) / sizeof(charts[0]); i++)
		assert_non_null(strstr(dom, charts[i]));
	assert_int_equal(count(dom, "<svg"), 6);
	assert_true(count(dom, "<rect") >= 20);
	assert_self_contained(dom);
	free(dom);
}

/* A screenshot: a PNG of some size. */
static void
test_chromium_screenshot(void **state)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n' };
	struct fixture *f = *state;
	const char *browser = chromium();
	char profile[PATH_MAX], url[PATH_MAX + 8], shot[PATH_MAX],
	    opt[PATH_MAX + 16], out[PATH_MAX], err[PATH_MAX],
	    udd[PATH_MAX + 20], *img;
	size_t len = 0;

	if (browser == NULL) {
		fprintf(stderr, "no chromium: skipped\n");
		skip();
	}
	snprintf(profile, sizeof(profile), "%s/chromium-shot", f->h.dir);
	assert_int_equal(mkdir(profile, 0700), 0);
	snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
	snprintf(url, sizeof(url), "file://%s", f->page);
	/* IRK_SCREENSHOT keeps the picture where a person can look at it. */
	if (getenv("IRK_SCREENSHOT") != NULL && *getenv("IRK_SCREENSHOT"))
		snprintf(shot, sizeof(shot), "%s", getenv("IRK_SCREENSHOT"));
	else
		snprintf(shot, sizeof(shot), "%s/report.png", f->h.dir);
	snprintf(opt, sizeof(opt), "--screenshot=%s", shot);
	snprintf(out, sizeof(out), "%s/shot.out", f->h.dir);
	snprintf(err, sizeof(err), "%s/shot.err", f->h.dir);
	assert_int_equal(
	    harness_run_to(
		(char *[]){ (char *)browser, "--headless", "--no-sandbox",
		    "--disable-gpu", "--disable-quic", "--no-first-run",
		    "--disable-background-networking",
		    "--disable-component-update", "--disable-sync", udd,
		    "--hide-scrollbars", "--window-size=1000,2400", opt, url,
		    NULL },
		out, err),
	    0);
	assert_non_null(img = harness_slurp(shot, &len));
	assert_true(len > 10000);
	assert_memory_equal(img, png, sizeof(png));
	free(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_bad_format),
		cmocka_unit_test(test_chromium_dom),
		cmocka_unit_test(test_chromium_screenshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
