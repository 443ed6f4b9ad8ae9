#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"

int
grow(void *arrayp, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t n = *cap ? *cap : first;
	void *v;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return IRK_ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return IRK_ENOMEM;
	/* The pointer is copied in and out as bytes: arrayp may point to a
	 * pointer of any object type, which void ** may not alias. */
	memcpy(&v, arrayp, sizeof(v));
	if ((v = realloc(v, n * size)) == NULL)
		return IRK_ENOMEM;
	memcpy(arrayp, &v, sizeof(v));
	*cap = n;
	return 0;
}
