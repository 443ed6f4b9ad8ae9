/*
 * Administrative queries: rebuild (start re-deriving every projection) and
 * rebuild_status (poll it).  See rebuild.h.
 */
#include <stdio.h>

#include "daemon/query_impl.h"
#include "daemon/rebuild.h"
#include "domain/err.h"
#include "proto/pack.h"

int
q_rebuild(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	int rc;

	(void)req;
	(void)why;
	(void)whylen;
	rc = rebuild_start(&d->rebuild);
	if (rc != 0 && rc != IRK_EDUP) {
		snprintf(why, whylen, "rebuild: %s", irk_strerror(rc));
		return rc;
	}
	msgpack_pack_map(pk, 2);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "state");
	pack_cstr(pk, rc == IRK_EDUP ? "running" : "started");
	return 0;
}

int
q_rebuild_status(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen)
{
	struct rebuild_status st;

	(void)req;
	(void)why;
	(void)whylen;
	rebuild_get_status(&d->rebuild, &st);
	msgpack_pack_map(pk, st.state == REBUILD_FAILED ? 6 : 5);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "state");
	pack_cstr(pk, rebuild_state_name(st.state));
	pack_cstr(pk, "children");
	msgpack_pack_uint64(pk, st.stats.children);
	pack_cstr(pk, "groups");
	msgpack_pack_uint64(pk, st.stats.groups);
	pack_cstr(pk, "seconds");
	msgpack_pack_double(pk, st.seconds);
	if (st.state == REBUILD_FAILED) {
		pack_cstr(pk, "error");
		pack_cstr(pk, irk_strerror(st.error));
	}
	return 0;
}
