// Small helpers the core utilities share: error reports in the usual shape, writes that
// finish, and copying a file descriptor to stdout.
#ifndef TESSERA_COREUTILS_UTIL_H
#define TESSERA_COREUTILS_UTIL_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((unused)) static const char *progname = "";

/** "NAME: WHAT: strerror(errno)" on stderr. */
__attribute__((unused)) static void complain(const char *what) {
  fprintf(stderr, "%s: %s: %s\n", progname, what, strerror(errno));
}

/** Writes all of buf; 0, or -1 with errno set. */
__attribute__((unused)) static int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/** Opens an input operand for reading: "-" is stdin. NULL (errno set) when it cannot. */
__attribute__((unused)) static FILE *open_input(const char *name) {
  if (strcmp(name, "-") == 0) return stdin;
  return fopen(name, "r");
}

/** Closes what open_input gave, leaving stdin open. */
__attribute__((unused)) static void close_input(FILE *f) {
  if (f != stdin) fclose(f);
}

/** Flushes stdout; the status to exit with (1 when the flush failed). */
__attribute__((unused)) static int finish(int status) {
  if (fflush(stdout) != 0 || ferror(stdout)) {
    complain("write error");
    return 1;
  }
  return status;
}

/** "NAME: MESSAGE" on stderr, then the usage status 2. */
__attribute__((unused)) static int usage(const char *message) {
  fprintf(stderr, "%s: %s\n", progname, message);
  return 2;
}

/** The last path component of p, ignoring trailing slashes; into out (size n). */
__attribute__((unused)) static void base_name(const char *p, char *out, size_t n) {
  size_t len = strlen(p);
  while (len > 1 && p[len - 1] == '/') len--;
  size_t start = len;
  while (start > 0 && p[start - 1] != '/') start--;
  size_t m = len - start;
  if (m >= n) m = n - 1;
  memcpy(out, p + start, m);
  out[m] = '\0';
}
#endif
