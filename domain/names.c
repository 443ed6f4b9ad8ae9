/*
 * Ranked names: a hash table from name to id, and the ids in strcmp()
 * order (order[]), from which each id's rank is read.  New names are
 * sorted among themselves and merged into order[] once per list, so a list
 * of names all seen before costs one lookup a name.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"
#include "domain/names.h"

struct name_entry {
	uint64_t hash;
	uint32_t off; /* in text: lists past 2^24 points are not ranked */
	uint32_t len;
};

struct name_ranks {
	struct name_entry *v; /* by id */
	uint32_t *rank;       /* by id */
	uint32_t *order;      /* the first `ranked` ids, in strcmp() order */
	size_t n, ranked, room;
	size_t vcap, rankcap, ordercap;
	uint32_t *slots; /* id + 1; 0 is empty */
	size_t nslots;   /* a power of two, at least twice room */
	char *text;      /* the names back to back, without NULs */
	size_t textlen, textcap;
};

/* A name's hash from its length and its first and last 8 bytes: names
 * differ mostly at their ends, and a collision costs only a memcmp. */
static uint64_t
name_hash(const char *s, size_t len)
{
	uint64_t a = 0, b = 0, h;

	memcpy(&a, s, len < 8 ? len : 8);
	if (len > 8)
		memcpy(&b, s + len - 8, 8);
	h = (a * 0x9e3779b97f4a7c15u) ^ (b * 0xc2b2ae3d27d4eb4fu) ^ len;
	return h ^ h >> 32 ^ h >> 17;
}

static void
names_forget(struct name_ranks *r)
{
	r->n = r->ranked = r->textlen = 0;
	if (r->slots != NULL)
		memset(r->slots, 0, r->nslots * sizeof(r->slots[0]));
}

static int
slots_grow(struct name_ranks *r, size_t need)
{
	size_t nslots = r->nslots ? r->nslots : 64, i, j;
	uint32_t *s;

	if (r->nslots > 0 && 2 * need <= r->nslots)
		return 0;
	while (nslots < 2 * need)
		nslots *= 2;
	if ((s = calloc(nslots, sizeof(*s))) == NULL)
		return IRK_ENOMEM;
	for (i = 0; i < r->n; i++) {
		for (j = r->v[i].hash & (nslots - 1); s[j] != 0;
		     j = (j + 1) & (nslots - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(r->slots);
	r->slots = s;
	r->nslots = nslots;
	return 0;
}

int
name_ranks_reserve(struct name_ranks **rp, size_t n)
{
	struct name_ranks *r = *rp;
	size_t need;

	if (r == NULL) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return IRK_ENOMEM;
		*rp = r;
	}
	/* A list left half way (out of memory) leaves names unranked. */
	if (r->ranked != r->n || (r->n > 0 && r->n + n > NAMES_KEEP))
		names_forget(r);
	need = r->n + n;
	if (grow(&r->v, &r->vcap, need, sizeof(r->v[0]), 64) != 0 ||
	    grow(&r->rank, &r->rankcap, need, sizeof(r->rank[0]), 64) != 0 ||
	    grow(&r->order, &r->ordercap, need, sizeof(r->order[0]), 64) !=
		0 ||
	    slots_grow(r, need) != 0)
		return IRK_ENOMEM;
	r->room = need;
	return 0;
}

int
name_ranks_find(struct name_ranks *r, const char *s, size_t len, uint32_t *id)
{
	uint64_t h = name_hash(s, len);
	size_t mask = r->nslots - 1, j;
	struct name_entry *e;
	uint32_t k;

	for (j = h & mask; (k = r->slots[j]) != 0; j = (j + 1) & mask) {
		e = &r->v[k - 1];
		if (e->hash == h && e->len == len &&
		    (len == 0 || memcmp(r->text + e->off, s, len) == 0)) {
			*id = k - 1;
			return 0;
		}
	}
	if (r->n == r->room)
		return IRK_EFULL; /* more new names than reserved */
	if (grow(&r->text, &r->textcap, r->textlen + len, 1, 4096) != 0)
		return IRK_ENOMEM;
	if (len > 0) /* text is NULL before the first name that has bytes */
		memcpy(r->text + r->textlen, s, len);
	e = &r->v[r->n];
	e->hash = h;
	e->off = (uint32_t)r->textlen;
	e->len = (uint32_t)len;
	r->textlen += len;
	r->slots[j] = (uint32_t)++r->n;
	*id = (uint32_t)(r->n - 1);
	return 0;
}

/* strcmp() of names a and b, which hold no NUL. */
static int
name_cmp(const struct name_ranks *r, uint32_t a, uint32_t b)
{
	const struct name_entry *x = &r->v[a], *y = &r->v[b];
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n > 0 ? memcmp(r->text + x->off, r->text + y->off, n) : 0;

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Sort ids[0..n) with tmp[0..n): runs of 1, 2, 4... merged back and forth.
 * Returns the array that holds the result. */
static uint32_t *
ids_sort(const struct name_ranks *r, uint32_t *ids, uint32_t *tmp, size_t n)
{
	size_t w, lo, mid, hi, a, b, o;
	uint32_t *sw;

	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			for (a = lo, b = mid, o = lo; o < hi; o++)
				tmp[o] =
				    b >= hi || (a < mid && name_cmp(r, ids[b],
							       ids[a]) > 0)
					? ids[a++]
					: ids[b++];
		}
		sw = ids;
		ids = tmp;
		tmp = sw;
	}
	return ids;
}

const uint32_t *
name_ranks_settle(struct name_ranks *r)
{
	size_t k = r->n - r->ranked, i, j, o;
	uint32_t *fresh;

	if (k == 0)
		return r->rank;
	for (i = r->ranked; i < r->n; i++)
		r->order[i] = (uint32_t)i;
	/* The new ids sorted into rank[0..k), free until the ranks are
	 * written, then merged into order[] from its end. */
	fresh = ids_sort(r, r->order + r->ranked, r->rank, k);
	if (fresh != r->rank)
		memcpy(r->rank, fresh, k * sizeof(r->rank[0]));
	fresh = r->rank;
	for (i = r->ranked, j = k, o = r->n; j > 0; o--) {
		if (i > 0 && name_cmp(r, r->order[i - 1], fresh[j - 1]) > 0)
			r->order[o - 1] = r->order[--i];
		else
			r->order[o - 1] = fresh[--j];
	}
	for (i = 0; i < r->n; i++)
		r->rank[r->order[i]] = (uint32_t)i;
	r->ranked = r->n;
	return r->rank;
}

void
name_ranks_free(struct name_ranks *r)
{
	if (r == NULL)
		return;
	free(r->v);
	free(r->rank);
	free(r->order);
	free(r->slots);
	free(r->text);
	free(r);
}
