/*
 * Growing arrays: the one place that doubles a capacity.
 */
#ifndef IRK_GROW_H
#define IRK_GROW_H

#include <stddef.h>

/*
 * Make room for need items of size bytes in the array whose pointer is at
 * arrayp (a T ** for any object type T), capacity *cap: the capacity
 * doubles, from first when it is 0, until need fits.  Returns 0, or
 * IRK_ENOMEM with the array and *cap as they were.  The caller keeps
 * ownership of the array (free() it).
 */
int grow(void *arrayp, size_t *cap, size_t need, size_t size, size_t first);

#endif
