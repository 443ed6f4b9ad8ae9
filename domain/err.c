/* Messages for enum irk_err. */
#include "domain/err.h"

const char *
irk_strerror(int rc)
{
	switch (rc) {
	case IRK_OK:
		return "success";
	case IRK_ENOMEM:
		return "out of memory";
	case IRK_EINVAL:
		return "invalid input";
	case IRK_EPROTO:
		return "malformed message";
	case IRK_ENOTFOUND:
		return "not found";
	case IRK_EDUP:
		return "already present";
	case IRK_EFULL:
		return "full";
	case IRK_EIO:
		return "input/output error";
	case IRK_ESTORE:
		return "storage error";
	case IRK_ETIMEDOUT:
		return "timed out";
	case IRK_ERANGE:
		return "out of range";
	case IRK_EVERSION:
		return "unsupported version";
	}
	return "unknown error";
}
