/*
 * CURVE key files, as `irokpi keygen` writes them and the daemon and the
 * client read them: the 40 Z85 characters of one key on the first line.
 */
#ifndef IRK_KEYFILE_H
#define IRK_KEYFILE_H

#define KEYFILE_Z85 41 /* a Z85 key, 40 characters, and the NUL */

/*
 * Read the key in path into z85.  Returns 0, IRK_EIO (errno set: the file
 * cannot be opened) or IRK_EINVAL (not a key).
 */
int keyfile_read(const char *path, char z85[KEYFILE_Z85]);

#endif
