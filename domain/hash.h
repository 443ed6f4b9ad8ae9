/*
 * Hashing for the in-memory tables: FNV-1a's multiply a word at a time over
 * bytes (byte by byte it was a fifth of a rebuild's time), and splitmix64's
 * finaliser, since hash_bytes()'s low bits depend only on the low bits of
 * the bytes and a table or filter keeps bits from anywhere in the word.
 */
#ifndef IRK_HASH_H
#define IRK_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t
hash_bytes(const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	uint64_t h = 14695981039346656037u ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 1099511628211u;
	}
	for (w = 0; len > 0; len--)
		w = w << 8 | p[len - 1];
	return (h ^ w) * 1099511628211u;
}

static inline uint64_t
hash_mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

#endif
