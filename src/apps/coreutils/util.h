// Small helpers the core utilities share: error reports in the usual shape, writes that
// finish, allocation that cannot fail, paths, and opening input operands; and, before main,
// a chdir to the shell's $PWD.
// Userland C on wasi-libc (apps layer); each program sets progname first thing in main.
#ifndef TESSERA_COREUTILS_UTIL_H
#define TESSERA_COREUTILS_UTIL_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((unused)) static const char *progname = "";

/** Runs before main: starts in the shell's working directory. The shell exports PWD (an
 *  absolute path) to every command, but wasi-libc resolves relative paths against its own
 *  cwd, which starts at "/". A PWD that is unset, relative or gone leaves it at "/". */
__attribute__((constructor, used)) static void enter_pwd(void) {
  const char *pwd = getenv("PWD");
  int saved = errno;
  if (pwd && pwd[0] == '/' && chdir(pwd) != 0) errno = saved;
}

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

/** realloc that cannot fail: running out of memory ends the program (status 1). */
__attribute__((unused)) static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    fprintf(stderr, "%s: out of memory\n", progname);
    exit(1);
  }
  return q;
}

/** strdup that cannot fail, likewise. */
__attribute__((unused)) static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xrealloc(NULL, n), s, n);
}

/** dir + "/" + name (no doubled slash), freshly allocated. */
__attribute__((unused)) static char *path_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  int slash = a > 0 && dir[a - 1] != '/';
  char *p = xrealloc(NULL, a + (size_t)slash + b + 1);
  memcpy(p, dir, a);
  if (slash) p[a] = '/';
  memcpy(p + a + (size_t)slash, name, b + 1);
  return p;
}

/** The name an operand goes by in messages and headings: "-" is standard input. */
__attribute__((unused)) static const char *input_name(const char *name) {
  return strcmp(name, "-") == 0 ? "standard input" : name;
}

/** Opens an input operand for reading: "-" is stdin. NULL (errno set) when it cannot. A
 *  directory is refused with EISDIR here: reading one fails with EBADF under some runtimes. */
__attribute__((unused)) static FILE *open_input(const char *name) {
  if (strcmp(name, "-") == 0) return stdin;
  FILE *f = fopen(name, "r");
  struct stat st;
  if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    errno = EISDIR;
    return NULL;
  }
  return f;
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

/** The last path component of p, ignoring trailing slashes ("/" for the root); into out
 *  (size n), cut to fit. */
__attribute__((unused)) static void base_name(const char *p, char *out, size_t n) {
  size_t len = strlen(p);
  while (len > 1 && p[len - 1] == '/') len--;
  size_t start = len;
  while (start > 0 && p[start - 1] != '/') start--;
  if (start == len && len > 0) start = len - 1;  // only slashes: the root
  size_t m = len - start;
  if (m >= n) m = n - 1;
  memcpy(out, p + start, m);
  out[m] = '\0';
}
#endif
