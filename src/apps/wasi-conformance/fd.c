/* fd: the fd_* family on files and directories in a scratch directory — read/write/seek,
 * pread/pwrite, fdstat and its flags (O_APPEND on every write) and rights, filestat, readdir,
 * renumber, close, sync, advise, allocate, prestat, EBADF. Userland C (apps layer), raw
 * __wasi_* calls throughout; run as: fd [PREOPEN-NAME]. */
#include "conformance.h"

static __wasi_fd_t dir; /* the scratch directory */

static __wasi_errno_t pwrite_str(__wasi_fd_t fd, const char *s, __wasi_filesize_t off) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_fd_pwrite(fd, &iov, 1, off, &n);
  return e == 0 && n != iov.buf_len ? __WASI_ERRNO_IO : e;
}

static __wasi_filesize_t tell(__wasi_fd_t fd) {
  __wasi_filesize_t pos = (__wasi_filesize_t)-1;
  (void)__wasi_fd_tell(fd, &pos);
  return pos;
}

static __wasi_filesize_t size_of(__wasi_fd_t fd) {
  __wasi_filestat_t st;
  if (__wasi_fd_filestat_get(fd, &st) != 0) return (__wasi_filesize_t)-1;
  return st.size;
}

/* Reads the whole file from offset 0 without moving the offset. */
static size_t pread_all(__wasi_fd_t fd, char *buf, size_t cap) {
  __wasi_iovec_t iov = {(uint8_t *)buf, cap - 1};
  __wasi_size_t n = 0;
  if (__wasi_fd_pread(fd, &iov, 1, 0, &n) != 0) n = 0;
  buf[n] = 0;
  return n;
}

static void test_stdio_and_prestat(const scratch_t *s, int argc, char **argv) {
  __wasi_fdstat_t st;
  int ok = 1;
  for (__wasi_fd_t fd = 0; fd < 3; fd++) ok &= __wasi_fd_fdstat_get(fd, &st) == 0;
  check("fdstat-stdio", ok, "fd_fdstat_get failed on one of fd 0, 1, 2");

  __wasi_prestat_t ps;
  __wasi_errno_t e = __wasi_fd_prestat_get(s->preopen, &ps);
  check("prestat-get", e == 0 && ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len > 0,
        "%s, tag %u, name length %u", errname(e), ps.tag, (unsigned)ps.u.dir.pr_name_len);
  char name[300];
  memset(name, 0x5A, sizeof name);
  e = __wasi_fd_prestat_dir_name(s->preopen, (uint8_t *)name, ps.u.dir.pr_name_len);
  int guard = ps.u.dir.pr_name_len < sizeof name && name[ps.u.dir.pr_name_len] == 0x5A;
  name[ps.u.dir.pr_name_len < sizeof name ? ps.u.dir.pr_name_len : 0] = 0;
  check("prestat-dir-name", e == 0 && guard && (argc < 2 || strcmp(name, argv[1]) == 0),
        "%s, name \"%s\"%s", errname(e), name, guard ? "" : ", wrote past the length");
  e = __wasi_fd_prestat_get(s->dir, &ps);
  check("prestat-get-not-preopen", e != 0, "a directory opened later reported as a preopen");
  expect_err("prestat-get-badf", __wasi_fd_prestat_get(BAD_FD, &ps), __WASI_ERRNO_BADF);

  e = __wasi_fd_fdstat_get(s->preopen, &st);
  check("fdstat-preopen-rights",
        e == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
            (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) &&
            (st.fs_rights_base & __WASI_RIGHTS_FD_READDIR) &&
            (st.fs_rights_inheriting & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)) ==
                (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE),
        "%s, type %u, base %#llx, inheriting %#llx", errname(e), st.fs_filetype,
        (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
}

static void test_read_write_seek(void) {
  __wasi_fd_t fd;
  char buf[64];
  __wasi_filesize_t pos = 0;
  __wasi_size_t n = 0;
  if (!expect_ok("open-create", open_file(dir, "rw", __WASI_OFLAGS_CREAT, 0, &fd))) return;

  __wasi_ciovec_t out[2] = {{(const uint8_t *)"hello, ", 7}, {(const uint8_t *)"world", 5}};
  __wasi_errno_t e = __wasi_fd_write(fd, out, 2, &n);
  check("write-gather", e == 0 && n == 12, "%s, wrote %u of 12", errname(e), (unsigned)n);
  check("tell-after-write", tell(fd) == 12, "offset %llu", (unsigned long long)tell(fd));
  e = __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  check("seek-set", e == 0 && pos == 0, "%s, offset %llu", errname(e), (unsigned long long)pos);

  char a[5], b[32];
  __wasi_iovec_t in[2] = {{(uint8_t *)a, sizeof a}, {(uint8_t *)b, sizeof b}};
  e = __wasi_fd_read(fd, in, 2, &n);
  check("read-scatter", e == 0 && n == 12 && memcmp(a, "hello", 5) == 0 && memcmp(b, ", world", 7) == 0,
        "%s, read %u bytes", errname(e), (unsigned)n);
  e = __wasi_fd_read(fd, in, 2, &n);
  check("read-eof", e == 0 && n == 0, "%s, read %u bytes at EOF", errname(e), (unsigned)n);

  e = __wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos);
  n = 0;
  if (e == 0) e = __wasi_fd_read(fd, in, 1, &n);
  check("seek-end", e == 0 && pos == 7 && n == 5 && memcmp(a, "world", 5) == 0,
        "%s, offset %llu", errname(e), (unsigned long long)pos);
  e = __wasi_fd_seek(fd, 2, __WASI_WHENCE_CUR, &pos);
  check("seek-cur-past-eof", e == 0 && pos == 14, "%s, offset %llu", errname(e),
        (unsigned long long)pos);
  expect_err("seek-negative", __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
  expect_err("seek-bad-whence", __wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
  check("seek-failed-keeps-offset", tell(fd) == 14, "offset %llu", (unsigned long long)tell(fd));

  e = write_str(fd, "X");
  size_t len = pread_all(fd, buf, sizeof buf);
  check("write-past-eof-zero-fills",
        e == 0 && len == 15 && buf[12] == 0 && buf[13] == 0 && buf[14] == 'X', "%s, size %zu",
        errname(e), len);
  e = __wasi_fd_write(fd, out, 0, &n);
  check("write-zero-iovecs", e == 0 && n == 0, "%s, wrote %u", errname(e), (unsigned)n);

  e = pwrite_str(fd, "ABC", 1);
  check("pwrite", e == 0 && tell(fd) == 15, "%s, offset after %llu", errname(e),
        (unsigned long long)tell(fd));
  __wasi_iovec_t pin = {(uint8_t *)buf, 4};
  e = __wasi_fd_pread(fd, &pin, 1, 0, &n);
  check("pread", e == 0 && n == 4 && memcmp(buf, "hABC", 4) == 0 && tell(fd) == 15,
        "%s, read %u, offset after %llu", errname(e), (unsigned)n, (unsigned long long)tell(fd));
  e = __wasi_fd_pread(fd, &pin, 1, 1000, &n);
  check("pread-past-eof", e == 0 && n == 0, "%s, read %u", errname(e), (unsigned)n);
  e = pwrite_str(fd, "Z", 20);
  check("pwrite-past-eof", e == 0 && size_of(fd) == 21 && tell(fd) == 15, "%s, size %llu",
        errname(e), (unsigned long long)size_of(fd));
  (void)__wasi_fd_close(fd);
}

/* A read-only fd cannot write, and dropped rights cannot be taken back. */
static void test_rights(void) {
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  if (make_file(dir, "ro", "data") != 0) return;
  __wasi_errno_t e =
      __wasi_path_open(dir, 0, "ro", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0, 0, &fd);
  if (!expect_ok("open-read-only", e)) return;
  e = __wasi_fd_fdstat_get(fd, &st);
  check("fdstat-rights", e == 0 && (st.fs_rights_base & __WASI_RIGHTS_FD_READ) &&
                             !(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE),
        "%s, base %#llx", errname(e), (unsigned long long)st.fs_rights_base);
  expect_err2("write-without-right", write_str(fd, "x"), __WASI_ERRNO_BADF,
              __WASI_ERRNO_NOTCAPABLE);
  e = __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0);
  __wasi_filesize_t pos;
  __wasi_errno_t seek = __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  check("fdstat-set-rights-drop", e == 0 && (seek == __WASI_ERRNO_NOTCAPABLE || seek == __WASI_ERRNO_BADF),
        "set_rights %s, then seek without the right: %s", errname(e), errname(seek));
  expect_err("fdstat-set-rights-raise",
             __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0),
             __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
}

static void test_append(void) {
  __wasi_fd_t fd, other;
  __wasi_fdstat_t st;
  __wasi_filesize_t pos;
  char buf[64];
  __wasi_errno_t e = open_file(dir, "app", __WASI_OFLAGS_CREAT, __WASI_FDFLAGS_APPEND, &fd);
  if (!expect_ok("open-append", e)) return;
  e = __wasi_fd_fdstat_get(fd, &st);
  check("fdstat-append-flag", e == 0 && (st.fs_flags & __WASI_FDFLAGS_APPEND), "%s, flags %#x",
        errname(e), st.fs_flags);
  e = write_str(fd, "abc");
  if (e == 0) e = __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  if (e == 0) e = write_str(fd, "def");
  pread_all(fd, buf, sizeof buf);
  check("append-after-seek", e == 0 && strcmp(buf, "abcdef") == 0 && tell(fd) == 6,
        "%s, content \"%s\", offset %llu", errname(e), buf, (unsigned long long)tell(fd));
  /* Another fd grows the file; the next append must land after what it wrote. */
  e = open_file(dir, "app", 0, 0, &other);
  if (e == 0) e = pwrite_str(other, "0123456789", 0);
  if (e == 0) e = write_str(fd, "Z");
  pread_all(fd, buf, sizeof buf);
  check("append-every-write", e == 0 && strcmp(buf, "0123456789Z") == 0,
        "%s, content \"%s\"", errname(e), buf);

  e = __wasi_fd_fdstat_set_flags(other, __WASI_FDFLAGS_APPEND);
  int on = __wasi_fd_fdstat_get(other, &st) == 0 && (st.fs_flags & __WASI_FDFLAGS_APPEND);
  if (e == 0) e = __wasi_fd_seek(other, 0, __WASI_WHENCE_SET, &pos);
  if (e == 0) e = write_str(other, "!");
  pread_all(fd, buf, sizeof buf);
  check("fdstat-set-flags-append", e == 0 && strcmp(buf, "0123456789Z!") == 0,
        "%s, content \"%s\"", errname(e), buf);
  check("fdstat-set-flags-reported", on, "fd_fdstat_get does not report the APPEND just set");
  e = __wasi_fd_fdstat_set_flags(other, 0);
  int off = __wasi_fd_fdstat_get(other, &st) == 0 && !(st.fs_flags & __WASI_FDFLAGS_APPEND);
  if (e == 0) e = __wasi_fd_seek(other, 0, __WASI_WHENCE_SET, &pos);
  if (e == 0) e = write_str(other, "#");
  pread_all(fd, buf, sizeof buf);
  check("fdstat-set-flags-clear", e == 0 && off && strcmp(buf, "#123456789Z!") == 0,
        "%s, APPEND still reported %d, content \"%s\"", errname(e), !off, buf);
  (void)__wasi_fd_close(other);
  (void)__wasi_fd_close(fd);
}

/* A time is plausible when it is within a day of the realtime clock. */
static int plausible(__wasi_timestamp_t t, __wasi_timestamp_t now) {
  const __wasi_timestamp_t day = 86400ULL * NS_PER_SEC;
  return t + day > now && t < now + day;
}

static void test_filestat(void) {
  __wasi_fd_t fd;
  __wasi_filestat_t st, pst, other;
  __wasi_timestamp_t now = now_ns(__WASI_CLOCKID_REALTIME);
  if (make_file(dir, "st", "12345") != 0 || make_file(dir, "st2", "") != 0) return;
  if (!expect_ok("open-existing", open_file(dir, "st", 0, 0, &fd))) return;
  __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
  check("filestat-get", e == 0 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 5 &&
                            st.nlink >= 1,
        "%s, type %u size %llu nlink %llu", errname(e), st.filetype, (unsigned long long)st.size,
        (unsigned long long)st.nlink);
  check("filestat-times", plausible(st.atim, now) && plausible(st.mtim, now) && plausible(st.ctim, now),
        "atim %llu mtim %llu ctim %llu, now %llu", (unsigned long long)st.atim,
        (unsigned long long)st.mtim, (unsigned long long)st.ctim, (unsigned long long)now);
  e = __wasi_path_filestat_get(dir, 0, "st", &pst);
  __wasi_errno_t e2 = __wasi_path_filestat_get(dir, 0, "st2", &other);
  check("filestat-identity", e == 0 && e2 == 0 && pst.ino == st.ino && pst.dev == st.dev &&
                                 (other.ino != st.ino || other.dev != st.dev),
        "fd and path disagree on (dev, ino), or two files share one");
  e = __wasi_fd_filestat_get(dir, &st);
  check("filestat-directory", e == 0 && st.filetype == __WASI_FILETYPE_DIRECTORY, "%s, type %u",
        errname(e), st.filetype);

  char buf[128];
  e = __wasi_fd_filestat_set_size(fd, 100);
  size_t len = pread_all(fd, buf, sizeof buf);
  int zeros = len == 100;
  for (size_t i = 5; zeros && i < 100; i++) zeros = buf[i] == 0;
  check("filestat-set-size-grow", e == 0 && size_of(fd) == 100 && zeros && tell(fd) == 0,
        "%s, size %llu", errname(e), (unsigned long long)size_of(fd));
  e = __wasi_fd_filestat_set_size(fd, 3);
  pread_all(fd, buf, sizeof buf);
  check("filestat-set-size-shrink", e == 0 && strcmp(buf, "123") == 0, "%s, content \"%s\"",
        errname(e), buf);
  (void)__wasi_fd_close(fd);
}

#define T_ATIM (1500000000ULL * NS_PER_SEC)
#define T_MTIM (1600000000ULL * NS_PER_SEC)

static void test_set_times(void) {
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  if (!expect_ok("open-times", open_file(dir, "times", __WASI_OFLAGS_CREAT, 0, &fd))) return;
  __wasi_errno_t e = __wasi_fd_filestat_set_times(fd, T_ATIM, T_MTIM,
                                                  __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  (void)__wasi_fd_filestat_get(fd, &st);
  check("filestat-set-times", e == 0 && st.atim == T_ATIM && st.mtim == T_MTIM,
        "%s, atim %llu mtim %llu", errname(e), (unsigned long long)st.atim,
        (unsigned long long)st.mtim);
  e = __wasi_fd_filestat_set_times(fd, 0, T_ATIM, __WASI_FSTFLAGS_MTIM);
  (void)__wasi_fd_filestat_get(fd, &st);
  check("filestat-set-times-mtim-only", e == 0 && st.atim == T_ATIM && st.mtim == T_ATIM,
        "%s, atim %llu mtim %llu", errname(e), (unsigned long long)st.atim,
        (unsigned long long)st.mtim);
  __wasi_timestamp_t now = now_ns(__WASI_CLOCKID_REALTIME);
  e = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
  (void)__wasi_fd_filestat_get(fd, &st);
  check("filestat-set-times-now", e == 0 && st.atim == T_ATIM && st.mtim + 5 * NS_PER_SEC > now &&
                                      st.mtim < now + 5 * NS_PER_SEC,
        "%s, mtim %llu now %llu", errname(e), (unsigned long long)st.mtim,
        (unsigned long long)now);
  expect_err("filestat-set-times-atim-both",
             __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
             __WASI_ERRNO_INVAL);
  expect_err("filestat-set-times-mtim-both",
             __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
             __WASI_ERRNO_INVAL);
  expect_err("filestat-set-times-unknown-flag", __wasi_fd_filestat_set_times(fd, 1, 1, 1 << 4),
             __WASI_ERRNO_INVAL);
  __wasi_filestat_t after;
  (void)__wasi_fd_filestat_get(fd, &after);
  check("filestat-set-times-inval-no-change", after.atim == st.atim && after.mtim == st.mtim,
        "a rejected call changed the times");

  e = __wasi_fd_filestat_set_times(fd, 0, T_MTIM, __WASI_FSTFLAGS_MTIM);
  if (e == 0) e = write_str(fd, "touch");
  (void)__wasi_fd_filestat_get(fd, &st);
  check("write-updates-mtim", e == 0 && st.mtim > T_MTIM && plausible(st.mtim, now),
        "%s, mtim after a write %llu", errname(e), (unsigned long long)st.mtim);
  (void)__wasi_fd_close(fd);
}

static void test_sync_advise_allocate(void) {
  __wasi_fd_t fd;
  if (!expect_ok("open-misc", open_file(dir, "misc", __WASI_OFLAGS_CREAT, 0, &fd))) return;
  (void)write_str(fd, "0123456789");
  expect_ok("sync", __wasi_fd_sync(fd));
  expect_ok("datasync", __wasi_fd_datasync(fd));
  __wasi_errno_t e = 0;
  for (__wasi_advice_t a = 0; a <= __WASI_ADVICE_NOREUSE && e == 0; a++)
    e = __wasi_fd_advise(fd, 0, 10, a);
  expect_ok("advise", e);
  expect_err("advise-invalid", __wasi_fd_advise(fd, 0, 10, 6), __WASI_ERRNO_INVAL);
  e = __wasi_fd_allocate(fd, 0, 50);
  check("allocate-grows", e == 0 && size_of(fd) == 50, "%s, size %llu", errname(e),
        (unsigned long long)size_of(fd));
  e = __wasi_fd_allocate(fd, 10, 5);
  check("allocate-never-shrinks", e == 0 && size_of(fd) == 50, "%s, size %llu", errname(e),
        (unsigned long long)size_of(fd));
  (void)__wasi_fd_close(fd);
}

typedef struct {
  char name[64];
  __wasi_filetype_t type;
  __wasi_inode_t ino;
  __wasi_dircookie_t next;
} entry_t;

/* Parses the complete entries in buf[0..used); a truncated last entry is dropped. */
static int parse_dirents(const uint8_t *buf, size_t used, entry_t *out, int max) {
  size_t off = 0;
  int n = 0;
  while (n < max && off + sizeof(__wasi_dirent_t) <= used) {
    __wasi_dirent_t d;
    memcpy(&d, buf + off, sizeof d);
    off += sizeof d;
    if (off + d.d_namlen > used) break;
    size_t len = d.d_namlen < 63 ? d.d_namlen : 63;
    memcpy(out[n].name, buf + off, len);
    out[n].name[len] = 0;
    out[n].type = d.d_type;
    out[n].ino = d.d_ino;
    out[n].next = d.d_next;
    n++;
    off += d.d_namlen;
  }
  return n;
}

static int is_dot(const char *name) { return strcmp(name, ".") == 0 || strcmp(name, "..") == 0; }

static const entry_t *find_entry(const entry_t *e, int n, const char *name, int *count) {
  const entry_t *found = NULL;
  *count = 0;
  for (int i = 0; i < n; i++) {
    if (strcmp(e[i].name, name) == 0) {
      found = &e[i];
      ++*count;
    }
  }
  return found;
}

#define MANY 40

/* Pages through a directory of MANY files with a 200-byte buffer, resuming from the cookie
 * of the last complete entry, and counts how often each file is seen. */
static void test_readdir_paging(__wasi_fd_t rd) {
  static uint8_t buf[200];
  entry_t e[8];
  int seen[MANY] = {0}, extra = 0, calls = 0, done = 0;
  char name[64];
  __wasi_fd_t many;
  __wasi_errno_t err = __wasi_path_create_directory(rd, "many");
  for (int i = 0; i < MANY && err == 0; i++) {
    snprintf(name, sizeof name, "many/entry-%02d-with-a-longer-name", i);
    err = make_file(rd, name, "");
  }
  if (err == 0) err = open_dir(rd, "many", &many);
  if (!expect_ok("readdir-paging-setup", err)) return;
  __wasi_dircookie_t cookie = 0;
  while (!done && calls++ < 200) {
    __wasi_size_t used = 0;
    err = __wasi_fd_readdir(many, buf, sizeof buf, cookie, &used);
    if (err != 0) break;
    int n = parse_dirents(buf, used, e, 8);
    for (int i = 0; i < n; i++) {
      int k = -1;
      if (sscanf(e[i].name, "entry-%d-with-a-longer-name", &k) == 1 && k >= 0 && k < MANY)
        seen[k]++;
      else if (!is_dot(e[i].name))
        extra++;
      cookie = e[i].next;
    }
    done = used < sizeof buf;
    if (!done && n == 0) break;
  }
  int missing = 0, twice = 0;
  for (int i = 0; i < MANY; i++) {
    missing += seen[i] == 0;
    twice += seen[i] > 1;
  }
  check("readdir-paging", err == 0 && done && missing == 0 && twice == 0 && extra == 0,
        "%s after %d calls: %d missing, %d seen twice, %d unexpected", errname(err), calls, missing,
        twice, extra);
  (void)__wasi_fd_close(many);
}

static void test_readdir(void) {
  static uint8_t buf[4096];
  entry_t e[16];
  __wasi_fd_t rd, file;
  __wasi_size_t used = 0;
  int c1, c2;
  __wasi_errno_t err = __wasi_path_create_directory(dir, "rd");
  if (err == 0) err = make_file(dir, "rd/f1", "abc");
  if (err == 0) err = __wasi_path_create_directory(dir, "rd/d1");
  if (err == 0) err = open_dir(dir, "rd", &rd);
  if (!expect_ok("readdir-setup", err)) return;

  err = __wasi_fd_readdir(rd, buf, sizeof buf, 0, &used);
  int n = err == 0 ? parse_dirents(buf, used, e, 16) : 0, others = 0;
  const entry_t *f1 = find_entry(e, n, "f1", &c1), *d1 = find_entry(e, n, "d1", &c2);
  for (int i = 0; i < n; i++) others += strcmp(e[i].name, "f1") && strcmp(e[i].name, "d1") && !is_dot(e[i].name);
  check("readdir-list", err == 0 && used < sizeof buf && c1 == 1 && c2 == 1 && others == 0,
        "%s, %u bytes, f1 x%d, d1 x%d, %d others", errname(err), (unsigned)used, c1, c2, others);
  int dots_ok = 1;
  for (int i = 0; i < n; i++) dots_ok &= !is_dot(e[i].name) || e[i].type == __WASI_FILETYPE_DIRECTORY;
  check("readdir-types",
        f1 && d1 && f1->type == __WASI_FILETYPE_REGULAR_FILE &&
            d1->type == __WASI_FILETYPE_DIRECTORY && dots_ok,
        "f1 type %d, d1 type %d", f1 ? f1->type : -1, d1 ? d1->type : -1);
  __wasi_filestat_t st;
  err = __wasi_path_filestat_get(rd, 0, "f1", &st);
  check("readdir-ino", f1 && err == 0 && f1->ino == st.ino, "d_ino %llu, filestat ino %llu",
        f1 ? (unsigned long long)f1->ino : 0ULL, (unsigned long long)st.ino);

  if (n >= 2) {
    entry_t rest[16];
    err = __wasi_fd_readdir(rd, buf, sizeof buf, e[0].next, &used);
    int m = err == 0 ? parse_dirents(buf, used, rest, 16) : 0, same = m == n - 1;
    for (int i = 0; same && i < m; i++) same = strcmp(rest[i].name, e[i + 1].name) == 0;
    check("readdir-cookie-resume", err == 0 && same, "%s, %d entries after the first cookie",
          errname(err), m);
    err = __wasi_fd_readdir(rd, buf, sizeof buf, e[n - 1].next, &used);
    check("readdir-cookie-end", err == 0 && used == 0, "%s, %u bytes after the last entry",
          errname(err), (unsigned)used);
  }
  err = __wasi_fd_readdir(rd, buf, sizeof(__wasi_dirent_t) + 1, 0, &used);
  check("readdir-truncated", err == 0 && used == sizeof(__wasi_dirent_t) + 1,
        "%s, %u bytes into a %zu-byte buffer", errname(err), (unsigned)used,
        sizeof(__wasi_dirent_t) + 1);
  test_readdir_paging(rd);
  err = __wasi_path_unlink_file(rd, "f1");
  if (err == 0) err = __wasi_fd_readdir(rd, buf, sizeof buf, 0, &used);
  n = err == 0 ? parse_dirents(buf, used, e, 16) : 0;
  check("readdir-after-unlink", err == 0 && find_entry(e, n, "f1", &c1) == NULL,
        "%s, f1 still listed", errname(err));
  /* Asked with FD_READDIR, which does not apply to a file: the runtime may keep it (then
   * the call is NOTDIR) or drop it (then NOTCAPABLE). */
  if (make_file(rd, "plain", "") == 0 &&
      __wasi_path_open(rd, 0, "plain", 0, R_FILE | __WASI_RIGHTS_FD_READDIR, 0, 0, &file) == 0) {
    err = __wasi_fd_readdir(file, buf, sizeof buf, 0, &used);
    expect_err2("readdir-on-file", err, __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE);
    (void)__wasi_fd_close(file);
  }
  (void)__wasi_fd_close(rd);
}

static void test_renumber_close(void) {
  __wasi_fd_t a, b;
  __wasi_fdstat_t sa, sb;
  char buf[16];
  if (make_file(dir, "ra", "A") != 0 || make_file(dir, "rb", "B") != 0) return;
  if (open_file(dir, "ra", 0, __WASI_FDFLAGS_APPEND, &a) != 0 || open_file(dir, "rb", 0, 0, &b) != 0)
    return;
  (void)__wasi_fd_fdstat_get(a, &sa);
  __wasi_errno_t e = __wasi_fd_renumber(a, b);
  pread_all(b, buf, sizeof buf);
  (void)__wasi_fd_fdstat_get(b, &sb);
  check("renumber", e == 0 && strcmp(buf, "A") == 0 && sb.fs_flags == sa.fs_flags,
        "%s, the target now reads \"%s\"", errname(e), buf);
  expect_err("renumber-closes-source", __wasi_fd_close(a), __WASI_ERRNO_BADF);
  expect_err("renumber-bad-source", __wasi_fd_renumber(BAD_FD, b), __WASI_ERRNO_BADF);
  expect_err("renumber-bad-target", __wasi_fd_renumber(b, BAD_FD), __WASI_ERRNO_BADF);
  expect_ok("close", __wasi_fd_close(b));
  expect_err("close-twice", __wasi_fd_close(b), __WASI_ERRNO_BADF);
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
  __wasi_size_t n;
  expect_err("read-after-close", __wasi_fd_read(b, &iov, 1, &n), __WASI_ERRNO_BADF);
}

/* Every fd_* call on an fd that was never opened answers EBADF. */
static void test_badf(void) {
  uint8_t buf[64];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_ciovec_t ciov = {buf, 1};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  __wasi_fdstat_t fst;
  __wasi_filestat_t st;
  const __wasi_fd_t f = BAD_FD;
  struct {
    const char *call;
    __wasi_errno_t got;
  } calls[] = {
      {"fd_read", __wasi_fd_read(f, &iov, 1, &n)},
      {"fd_write", __wasi_fd_write(f, &ciov, 1, &n)},
      {"fd_pread", __wasi_fd_pread(f, &iov, 1, 0, &n)},
      {"fd_pwrite", __wasi_fd_pwrite(f, &ciov, 1, 0, &n)},
      {"fd_seek", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos)},
      {"fd_tell", __wasi_fd_tell(f, &pos)},
      {"fd_fdstat_get", __wasi_fd_fdstat_get(f, &fst)},
      {"fd_fdstat_set_flags", __wasi_fd_fdstat_set_flags(f, 0)},
      {"fd_fdstat_set_rights", __wasi_fd_fdstat_set_rights(f, 0, 0)},
      {"fd_filestat_get", __wasi_fd_filestat_get(f, &st)},
      {"fd_filestat_set_size", __wasi_fd_filestat_set_size(f, 0)},
      {"fd_filestat_set_times", __wasi_fd_filestat_set_times(f, 0, 0, 0)},
      {"fd_sync", __wasi_fd_sync(f)},
      {"fd_datasync", __wasi_fd_datasync(f)},
      {"fd_advise", __wasi_fd_advise(f, 0, 0, 0)},
      {"fd_allocate", __wasi_fd_allocate(f, 0, 1)},
      {"fd_readdir", __wasi_fd_readdir(f, buf, sizeof buf, 0, &n)},
      {"fd_close", __wasi_fd_close(f)},
  };
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    if (calls[i].got != __WASI_ERRNO_BADF) {
      fail("badf-all-calls", "%s on a never-opened fd: %s", calls[i].call, errname(calls[i].got));
      return;
    }
  }
  pass("badf-all-calls");
}

int main(int argc, char **argv) {
  scratch_t s;
  conf_begin();
  if (!scratch_open(&s, "fd", argc, argv)) return conf_end();
  dir = s.dir;
  test_stdio_and_prestat(&s, argc, argv);
  test_read_write_seek();
  test_rights();
  test_append();
  test_filestat();
  test_set_times();
  test_sync_advise_allocate();
  test_readdir();
  test_renumber_close();
  test_badf();
  scratch_close(&s);
  return conf_end();
}
