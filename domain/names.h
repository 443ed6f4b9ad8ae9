/*
 * Series names, each with its rank among the names kept, in strcmp()
 * order: what points_normalize() sorts a list's names by.
 *
 * A child's list holds about thirty distinct names, and sorting them for
 * every list was a sixteenth of a rebuild's deriving thread; the names of
 * all lists are few (the catalogue's series with their codes), so they are
 * ranked once and kept.  Pure code, no I/O.  One thread at a time.
 */
#ifndef IRK_NAMES_H
#define IRK_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Names kept between lists: past this, they are forgotten and found again. */
#define NAMES_KEEP 4096

struct name_ranks; /* opaque */

/*
 * Make room in *rp for a list of n more names, allocating it when *rp is
 * NULL (name_ranks_free() releases it).  When keeping the names seen would
 * pass NAMES_KEEP, they are forgotten first.  Returns 0 or IRK_ENOMEM.
 */
int name_ranks_reserve(struct name_ranks **rp, size_t n);

/*
 * The id of name s (len bytes, no NUL among them) in *id, added when it is
 * new.  Ids stay valid until the next name_ranks_reserve().  Returns 0,
 * IRK_ENOMEM, or IRK_EFULL for a new name past the room the last reserve
 * made.
 */
int name_ranks_find(
    struct name_ranks *r, const char *s, size_t len, uint32_t *id);

/*
 * Rank the names added since the last call: returns rank[], indexed by id,
 * each name's place among the names kept in strcmp() order.  The array is
 * r's, valid until the next call of any of these functions.
 */
const uint32_t *name_ranks_settle(struct name_ranks *r);

void name_ranks_free(struct name_ranks *r);

#endif
