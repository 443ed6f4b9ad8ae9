/*
 * The backup query (PROTOCOL.md addition): {"q": "backup", "dir": DIR}
 * makes a consistent compacted copy of the store in DIR, a folder on the
 * daemon's host (absolute path), while ingest goes on in the main thread.
 * The copy runs in the query thread, so other queries wait for it; the
 * answer gives the copy's last_seq, its size and how long it took.
 */
#include <stdio.h>
#include <time.h>

#include "daemon/log.h"
#include "daemon/query_impl.h"
#include "domain/err.h"
#include "proto/pack.h"
#include "store/backup.h"

int
q_backup(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	char dir[CONFIG_PATH_MAX];
	struct timespec t0, t1;
	uint64_t seq = 0, bytes = 0;
	double secs;
	bool has;
	int rc;

	if (query_arg_str(req, "dir", dir, sizeof(dir), &has) != 0 || !has ||
	    dir[0] != '/') {
		snprintf(why, whylen,
		    "backup: \"dir\" must be an absolute "
		    "path on the daemon's host");
		return IRK_EINVAL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = store_backup(d->store, dir, &seq, &bytes)) != 0) {
		snprintf(why, whylen, "backup %s: %s", dir,
		    rc == IRK_EDUP ? "it already holds a store (data.mdb)"
				   : irk_strerror(rc));
		log_warnx("%s", why);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	log_info("backup: %s: last seq %llu, %llu bytes in %.3f s", dir,
	    (unsigned long long)seq, (unsigned long long)bytes, secs);
	msgpack_pack_map(pk, 5);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "dir");
	pack_cstr(pk, dir);
	pack_cstr(pk, "last_seq");
	msgpack_pack_uint64(pk, seq);
	pack_cstr(pk, "bytes");
	msgpack_pack_uint64(pk, bytes);
	pack_cstr(pk, "seconds");
	msgpack_pack_double(pk, secs);
	return 0;
}
