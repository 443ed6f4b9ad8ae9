/* Test helper: temporary folders, made and removed whole. */
#ifndef IRK_TMPDIR_H
#define IRK_TMPDIR_H

/* A new empty folder under $TMPDIR (or /tmp); the caller frees the path
 * with tmpdir_remove(), which also deletes the folder and its contents. */
char *tmpdir_make(void);
void tmpdir_remove(char *path);

#endif
