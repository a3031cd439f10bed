/* The harness shared by the WASI conformance programs: PASS/FAIL lines, errno names,
 * and a fresh scratch directory inside a preopen. Userland C on wasi-libc (apps layer);
 * it trusts nothing the runtime under test returns, and the exit status counts failures. */
#ifndef TESSERA_WASI_CONFORMANCE_H
#define TESSERA_WASI_CONFORMANCE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define UNUSED __attribute__((unused))

static int conf_passed, conf_failed, conf_skipped;

/* Rights asked for on the files and directories the programs create. */
#define R_FILE                                                                                 \
  (__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |                 \
   __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL |         \
   __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE |              \
   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |                        \
   __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_POLL_FD_READWRITE)
#define R_DIR                                                                                  \
  (__WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_CREATE_FILE |                      \
   __WASI_RIGHTS_PATH_LINK_SOURCE | __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN | \
   __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_READLINK | __WASI_RIGHTS_PATH_RENAME_SOURCE | \
   __WASI_RIGHTS_PATH_RENAME_TARGET | __WASI_RIGHTS_PATH_FILESTAT_GET |                        \
   __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE | __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES |              \
   __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES |                       \
   __WASI_RIGHTS_PATH_SYMLINK | __WASI_RIGHTS_PATH_REMOVE_DIRECTORY |                          \
   __WASI_RIGHTS_PATH_UNLINK_FILE)

#define NS_PER_SEC 1000000000ULL
/* An fd number no runtime hands out during these programs. */
#define BAD_FD ((__wasi_fd_t)9999)

static const char *const conf_errno_names[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
    "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
    "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
    "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
    "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE",
    "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT",
    "NOSPC", "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
    "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT",
    "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV",
    "NOTCAPABLE"};

UNUSED static const char *errname(__wasi_errno_t e) {
  static char other[16];
  if (e < sizeof conf_errno_names / sizeof conf_errno_names[0]) return conf_errno_names[e];
  snprintf(other, sizeof other, "errno %u", (unsigned)e);
  return other;
}

/* Line-buffered, so that a trap still leaves every finished check on stdout. */
UNUSED static void conf_begin(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

UNUSED static int conf_end(void) {
  if (conf_skipped > 0)
    printf("DONE passed=%d failed=%d skipped=%d\n", conf_passed, conf_failed, conf_skipped);
  else
    printf("DONE passed=%d failed=%d\n", conf_passed, conf_failed);
  fflush(stdout);
  return conf_failed > 100 ? 100 : conf_failed;
}

UNUSED static void pass(const char *name) {
  conf_passed++;
  printf("PASS %s\n", name);
}

UNUSED __attribute__((format(printf, 2, 3))) static void fail(const char *name,
                                                              const char *fmt, ...) {
  va_list ap;
  conf_failed++;
  printf("FAIL %s: ", name);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

/* True when the environment's CONF_SKIP (a comma-separated list of check names) names this
 * check; it is then reported as SKIP and not run. Only for checks that crash a runtime, so
 * that a harness can still run the rest of the program on it. */
UNUSED static int skipped(const char *name) {
  const char *list = getenv("CONF_SKIP");
  size_t len = strlen(name);
  for (const char *p = list; p != NULL && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
    if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == 0)) {
      conf_skipped++;
      printf("SKIP %s\n", name);
      return 1;
    }
  }
  return 0;
}

/* Returns ok, so that a check can guard the checks that depend on it. */
UNUSED __attribute__((format(printf, 3, 4))) static int check(const char *name, int ok,
                                                              const char *fmt, ...) {
  va_list ap;
  if (ok) {
    pass(name);
    return 1;
  }
  conf_failed++;
  printf("FAIL %s: ", name);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  return 0;
}

UNUSED static int expect_ok(const char *name, __wasi_errno_t got) {
  return check(name, got == 0, "expected SUCCESS, got %s", errname(got));
}

UNUSED static int expect_err(const char *name, __wasi_errno_t got, __wasi_errno_t want) {
  return check(name, got == want, "expected %s, got %s", errname(want), errname(got));
}

/* For the few cases where preview1 leaves the choice between two errnos open. */
UNUSED static int expect_err2(const char *name, __wasi_errno_t got, __wasi_errno_t a,
                              __wasi_errno_t b) {
  return check(name, got == a || got == b, "expected %s or %s, got %s", errname(a), errname(b),
               errname(got));
}

/* An escape out of a directory capability answers NOTCAPABLE, the witx's capability errno. */
UNUSED static int expect_escape(const char *name, __wasi_errno_t got) {
  return expect_err(name, got, __WASI_ERRNO_NOTCAPABLE);
}

UNUSED static __wasi_timestamp_t now_ns(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
  return t;
}

/* ---- small raw-call helpers ---- */

UNUSED static __wasi_errno_t open_file(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                                       __wasi_fdflags_t fdflags, __wasi_fd_t *fd) {
  return __wasi_path_open(dir, 0, path, oflags, R_FILE, 0, fdflags, fd);
}

UNUSED static __wasi_errno_t open_dir(__wasi_fd_t dir, const char *path, __wasi_fd_t *fd) {
  return __wasi_path_open(dir, 0, path, __WASI_OFLAGS_DIRECTORY, R_DIR, R_DIR | R_FILE, 0, fd);
}

UNUSED static __wasi_errno_t write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &n);
  if (e == 0 && n != iov.buf_len) e = __WASI_ERRNO_IO;
  return e;
}

/* Reads up to cap-1 bytes from the current offset and NUL-terminates. */
UNUSED static __wasi_errno_t read_str(__wasi_fd_t fd, char *buf, size_t cap) {
  size_t total = 0;
  for (;;) {
    __wasi_iovec_t iov = {(uint8_t *)buf + total, cap - 1 - total};
    __wasi_size_t n = 0;
    __wasi_errno_t e;
    if (iov.buf_len == 0) break;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    if (e != 0) return e;
    if (n == 0) break;
    total += n;
  }
  buf[total] = 0;
  return 0;
}

/* Creates (or truncates) a file holding content. */
UNUSED static __wasi_errno_t make_file(__wasi_fd_t dir, const char *path, const char *content) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_file(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd);
  if (e != 0) return e;
  e = write_str(fd, content);
  (void)__wasi_fd_close(fd);
  return e;
}

/* Reads a whole file into buf (NUL-terminated); buf[0] is 0 on error. */
UNUSED static __wasi_errno_t slurp(__wasi_fd_t dir, const char *path, char *buf, size_t cap) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_file(dir, path, 0, 0, &fd);
  buf[0] = 0;
  if (e != 0) return e;
  e = read_str(fd, buf, cap);
  (void)__wasi_fd_close(fd);
  return e;
}

UNUSED static int path_exists(__wasi_fd_t dir, const char *path) {
  __wasi_filestat_t st;
  return __wasi_path_filestat_get(dir, 0, path, &st) == 0;
}

/* ---- the scratch directory ---- */

typedef struct {
  __wasi_fd_t preopen; /* the preopen named by argv[1], or the first one */
  __wasi_fd_t dir;     /* a fresh subdirectory of it, removed at the end */
  char preopen_name[256];
  char name[64];
} scratch_t;

/* The preopen whose name is want (NULL: the first preopen), or -1. */
UNUSED static long find_preopen(const char *want, char *name_out, size_t cap) {
  for (__wasi_fd_t fd = 3; fd < 3 + 64; fd++) {
    __wasi_prestat_t ps;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
    if (e == __WASI_ERRNO_BADF) break;
    if (e != 0 || ps.tag != __WASI_PREOPENTYPE_DIR) continue;
    if (ps.u.dir.pr_name_len >= cap) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name_out, ps.u.dir.pr_name_len) != 0) continue;
    name_out[ps.u.dir.pr_name_len] = 0;
    if (want == NULL || strcmp(want, name_out) == 0) return fd;
  }
  return -1;
}

/* Creates <prog>.<random hex> in the preopen and opens it. On failure prints a FAIL for
 * "setup" and returns 0. */
UNUSED static int scratch_open(scratch_t *s, const char *prog, int argc, char **argv) {
  const char *want = argc > 1 ? argv[1] : NULL;
  uint8_t rnd[8] = {0};
  long fd = find_preopen(want, s->preopen_name, sizeof s->preopen_name);
  __wasi_errno_t e;
  if (fd < 0) {
    fail("setup", "no preopened directory %s%s", want ? "named " : "", want ? want : "at all");
    return 0;
  }
  s->preopen = (__wasi_fd_t)fd;
  if (__wasi_random_get(rnd, sizeof rnd) != 0) {
    __wasi_timestamp_t t = now_ns(__WASI_CLOCKID_MONOTONIC);
    memcpy(rnd, &t, sizeof rnd);
  }
  snprintf(s->name, sizeof s->name, "%s.%02x%02x%02x%02x%02x%02x%02x%02x", prog, rnd[0], rnd[1],
           rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
  e = __wasi_path_create_directory(s->preopen, s->name);
  if (e != 0) {
    fail("setup", "path_create_directory(%s) in preopen %s: %s", s->name, s->preopen_name,
         errname(e));
    return 0;
  }
  e = open_dir(s->preopen, s->name, &s->dir);
  if (e != 0) {
    fail("setup", "path_open(%s, DIRECTORY): %s", s->name, errname(e));
    return 0;
  }
  return 1;
}

/* Removes path (relative to dir) and everything below it; returns the first error. */
UNUSED static __wasi_errno_t remove_tree(__wasi_fd_t dir, const char *path) {
  static uint8_t buf[4096];
  char names[64][64];
  uint8_t types[64];
  __wasi_fd_t sub;
  __wasi_errno_t e = open_dir(dir, path, &sub), first = 0;
  if (e != 0) return e;
  /* List from the start each round: the entries just removed are gone from the listing.
   * The round limit stops a runtime whose unlink leaves the entry from looping forever. */
  for (int round = 0; first == 0 && round < 1000; round++) {
    __wasi_size_t used = 0;
    size_t off = 0;
    int count = 0;
    e = __wasi_fd_readdir(sub, buf, sizeof buf, 0, &used);
    if (e != 0) {
      first = e;
      break;
    }
    while (off + sizeof(__wasi_dirent_t) <= used && count < 64) {
      __wasi_dirent_t d;
      memcpy(&d, buf + off, sizeof d);
      off += sizeof d;
      if (off + d.d_namlen > used) break;
      if (d.d_namlen < 64 && !(d.d_namlen == 1 && buf[off] == '.') &&
          !(d.d_namlen == 2 && buf[off] == '.' && buf[off + 1] == '.')) {
        memcpy(names[count], buf + off, d.d_namlen);
        names[count][d.d_namlen] = 0;
        types[count++] = d.d_type;
      }
      off += d.d_namlen;
    }
    if (count == 0) break;
    for (int i = 0; i < count; i++) {
      e = types[i] == __WASI_FILETYPE_DIRECTORY ? remove_tree(sub, names[i])
                                                 : __wasi_path_unlink_file(sub, names[i]);
      if (e != 0 && first == 0) first = e;
    }
  }
  (void)__wasi_fd_close(sub);
  e = __wasi_path_remove_directory(dir, path);
  return first != 0 ? first : e;
}

/* Closes and removes the scratch directory; its success is the last check. */
UNUSED static void scratch_close(scratch_t *s) {
  (void)__wasi_fd_close(s->dir);
  expect_ok("cleanup", remove_tree(s->preopen, s->name));
}

#endif
