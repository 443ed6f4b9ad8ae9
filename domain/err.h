/*
 * One error convention for the whole tree, after LMDB and nng: a function that
 * can fail returns int, 0 on success or a negative enum irk_err value, and
 * irk_strerror() names it.  Only store/ sees MDB_* codes and only the socket
 * layers see zmq_errno(); both translate into these at their boundary.
 */
#ifndef IRK_ERR_H
#define IRK_ERR_H

enum irk_err {
	IRK_OK = 0,
	IRK_ENOMEM = -1,    /* out of memory */
	IRK_EINVAL = -2,    /* invalid argument or input */
	IRK_EPROTO = -3,    /* malformed message from a peer */
	IRK_ENOTFOUND = -4, /* absent: a result, not a failure */
	IRK_EDUP = -5,      /* already present */
	IRK_EFULL = -6,     /* a fixed capacity or the map is full */
	IRK_EIO = -7,       /* I/O or operating system error */
	IRK_ESTORE = -8,    /* LMDB failure other than the above */
	IRK_ETIMEDOUT = -9, /* no answer in time */
	IRK_ERANGE = -10,   /* value out of its allowed range */
	IRK_EVERSION = -11, /* unsupported version */
};

/* A static, human-readable message for rc; never NULL. */
const char *irk_strerror(int rc);

/* Number of elements of a static array. */
#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

#endif
