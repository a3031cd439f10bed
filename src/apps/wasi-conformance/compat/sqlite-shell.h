/* Force-included into the sqlite3 shell build (scripts/build-wasi.mjs): stubs for the calls
 * shell.c makes that Debian's wasi-libc (2022-05) lacks. A WASI sandbox has no file modes,
 * and realpath's NULL makes the shell keep the path it was given. */
#include <stddef.h>
#include <sys/types.h>

static inline int chmod(const char *path, mode_t mode) {
  (void)path;
  (void)mode;
  return 0;
}
static inline int fchmod(int fd, mode_t mode) {
  (void)fd;
  (void)mode;
  return 0;
}
#define realpath(path, resolved) ((void)(path), (void)(resolved), (char *)NULL)
