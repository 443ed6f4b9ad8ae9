/*
 * The child query (PROTOCOL.md).  Not implemented yet.
 */
#include <stdio.h>

#include "daemon/query_impl.h"
#include "domain/err.h"

int
q_child(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	(void)d;
	(void)req;
	(void)pk;
	snprintf(why, whylen, "child: not implemented yet");
	return IRK_EINVAL;
}
