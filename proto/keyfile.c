/* CURVE key files (keyfile.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "domain/err.h"
#include "proto/keyfile.h"

int
keyfile_read(const char *path, char z85[KEYFILE_Z85])
{
	char line[128];
	uint8_t bin[32];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return IRK_EIO;
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return IRK_EINVAL;
	}
	fclose(fp);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n != KEYFILE_Z85 - 1 || zmq_z85_decode(bin, line) == NULL)
		return IRK_EINVAL;
	memcpy(z85, line, KEYFILE_Z85);
	return 0;
}
