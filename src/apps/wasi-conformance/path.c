/* path: the path_* family in a scratch directory — open flags, directories, unlink, rename
 * edge cases, hard and symbolic links, filestat and times, the errno of each misuse, and
 * escapes out of a directory capability (.., absolute, symlinks), which must all fail.
 * Userland C (apps layer), raw __wasi_* calls (libc for O_APPEND); run as: path [PREOPEN]. */
#include <fcntl.h>
#include <unistd.h>

#include "conformance.h"

static __wasi_fd_t dir; /* the scratch directory */

static __wasi_filetype_t type_of(const char *path, __wasi_lookupflags_t flags) {
  __wasi_filestat_t st;
  if (__wasi_path_filestat_get(dir, flags, path, &st) != 0) return 0xFF;
  return st.filetype;
}

static int content_is(const char *path, const char *want) {
  char buf[64];
  return slurp(dir, path, buf, sizeof buf) == 0 && strcmp(buf, want) == 0;
}

static __wasi_errno_t open_plain(const char *path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_file(dir, path, oflags, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

static void test_open(void) {
  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  expect_ok("open-creat-new", open_plain("o1", __WASI_OFLAGS_CREAT));
  check("open-creat-new-exists", type_of("o1", 0) == __WASI_FILETYPE_REGULAR_FILE,
        "no regular file after O_CREAT");
  (void)make_file(dir, "o1", "keep");
  __wasi_errno_t e = open_plain("o1", __WASI_OFLAGS_CREAT);
  check("open-creat-existing", e == 0 && content_is("o1", "keep"), "%s, or the content changed",
        errname(e));
  expect_err("open-excl-existing", open_plain("o1", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL),
             __WASI_ERRNO_EXIST);
  expect_ok("open-excl-new", open_plain("o2", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL));
  e = open_plain("o1", __WASI_OFLAGS_TRUNC);
  check("open-trunc", e == 0 && content_is("o1", ""), "%s, or the file kept its content",
        errname(e));
  expect_err("open-missing", open_plain("missing", 0), __WASI_ERRNO_NOENT);
  expect_err("open-missing-parent", open_plain("nodir/x", __WASI_OFLAGS_CREAT), __WASI_ERRNO_NOENT);
  expect_err("open-through-file", open_plain("o1/x", 0), __WASI_ERRNO_NOTDIR);
  expect_err("open-directory-on-file", open_plain("o1", __WASI_OFLAGS_DIRECTORY),
             __WASI_ERRNO_NOTDIR);
  expect_err("open-trailing-slash-file", open_plain("o1/", 0), __WASI_ERRNO_NOTDIR);
  expect_err("open-empty-path", open_plain("", 0), __WASI_ERRNO_NOENT);

  (void)__wasi_path_create_directory(dir, "od");
  e = open_dir(dir, "od", &fd);
  if (e == 0) e = __wasi_fd_fdstat_get(fd, &st);
  check("open-directory", e == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY, "%s, type %u",
        errname(e), st.fs_filetype);
  if (e == 0) (void)__wasi_fd_close(fd);
  e = __wasi_path_open(dir, 0, "od", 0, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e == 0) e = __wasi_fd_fdstat_get(fd, &st);
  check("open-directory-without-oflag", e == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY,
        "%s, type %u", errname(e), st.fs_filetype);
  if (e == 0) (void)__wasi_fd_close(fd);
  e = __wasi_path_open(dir, 0, "od", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  expect_err("open-directory-for-write", e, __WASI_ERRNO_ISDIR);
  e = open_dir(dir, "od/", &fd);
  check("open-trailing-slash-dir", e == 0, "%s", errname(e));
  if (e == 0) (void)__wasi_fd_close(fd);
  e = open_dir(dir, ".", &fd);
  check("open-dot", e == 0, "%s", errname(e));
  if (e == 0) (void)__wasi_fd_close(fd);
  expect_ok("open-dotdot-inside", open_plain("od/../o1", 0));
  expect_err("open-bad-dirfd", open_file(BAD_FD, "o1", 0, 0, &fd), __WASI_ERRNO_BADF);
  /* Asked with PATH_OPEN, which does not apply to a file: the runtime may keep it (then
   * the call is NOTDIR) or drop it (then NOTCAPABLE). */
  if (__wasi_path_open(dir, 0, "o1", 0, R_FILE | __WASI_RIGHTS_PATH_OPEN, 0, 0, &fd) == 0) {
    __wasi_fd_t inner;
    expect_err2("open-dirfd-is-file", open_file(fd, "x", 0, 0, &inner), __WASI_ERRNO_NOTDIR,
                __WASI_ERRNO_NOTCAPABLE);
    (void)__wasi_fd_close(fd);
  }
}

/* libc's open(O_APPEND) must reach path_open's fdflags and hold for every write. */
static void test_open_append_libc(void) {
  (void)make_file(dir, "la", "start-");
  int fd = openat((int)dir, "la", O_WRONLY | O_APPEND);
  ssize_t n = -1;
  if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0) n = write(fd, "end", 3);
  if (fd >= 0) close(fd);
  check("open-append-libc", n == 3 && content_is("la", "start-end"), "openat %d, write %zd", fd, n);
}

static void test_directories(void) {
  expect_ok("mkdir", __wasi_path_create_directory(dir, "d"));
  check("mkdir-is-directory", type_of("d", 0) == __WASI_FILETYPE_DIRECTORY, "no directory");
  expect_err("mkdir-exists", __wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST);
  (void)make_file(dir, "f", "x");
  expect_err("mkdir-over-file", __wasi_path_create_directory(dir, "f"), __WASI_ERRNO_EXIST);
  expect_err("mkdir-missing-parent", __wasi_path_create_directory(dir, "nodir/d"),
             __WASI_ERRNO_NOENT);
  expect_err("mkdir-through-file", __wasi_path_create_directory(dir, "f/d"), __WASI_ERRNO_NOTDIR);
  (void)make_file(dir, "d/inner", "");
  expect_err("rmdir-nonempty", __wasi_path_remove_directory(dir, "d"), __WASI_ERRNO_NOTEMPTY);
  expect_err("rmdir-file", __wasi_path_remove_directory(dir, "f"), __WASI_ERRNO_NOTDIR);
  expect_err("rmdir-file-trailing-slash", __wasi_path_remove_directory(dir, "f/"),
             __WASI_ERRNO_NOTDIR);
  expect_err("rmdir-missing", __wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);
  (void)__wasi_path_unlink_file(dir, "d/inner");
  __wasi_errno_t e = __wasi_path_remove_directory(dir, "d");
  check("rmdir", e == 0 && !path_exists(dir, "d"), "%s, or it is still there", errname(e));

  (void)__wasi_path_create_directory(dir, "d");
  expect_err("unlink-dir", __wasi_path_unlink_file(dir, "d"), __WASI_ERRNO_ISDIR);
  expect_err("unlink-dir-trailing-slash", __wasi_path_unlink_file(dir, "d/"), __WASI_ERRNO_ISDIR);
  expect_err("unlink-file-trailing-slash", __wasi_path_unlink_file(dir, "f/"), __WASI_ERRNO_NOTDIR);
  expect_err("unlink-missing", __wasi_path_unlink_file(dir, "missing"), __WASI_ERRNO_NOENT);
  e = __wasi_path_unlink_file(dir, "f");
  check("unlink", e == 0 && !path_exists(dir, "f"), "%s, or it is still there", errname(e));
  (void)__wasi_path_remove_directory(dir, "d");
}

static void test_rename_files(void) {
  __wasi_fd_t fd, sub;
  (void)make_file(dir, "a", "A");
  __wasi_errno_t e = __wasi_path_rename(dir, "a", dir, "b");
  check("rename-file", e == 0 && !path_exists(dir, "a") && content_is("b", "A"), "%s", errname(e));
  (void)make_file(dir, "c", "C");
  e = __wasi_path_rename(dir, "b", dir, "c");
  check("rename-file-over-file", e == 0 && !path_exists(dir, "b") && content_is("c", "A"), "%s",
        errname(e));
  e = __wasi_path_rename(dir, "c", dir, "c");
  check("rename-same-name", e == 0 && content_is("c", "A"), "%s", errname(e));
  (void)__wasi_path_create_directory(dir, "rd");
  expect_err("rename-file-over-dir", __wasi_path_rename(dir, "c", dir, "rd"), __WASI_ERRNO_ISDIR);
  expect_err("rename-missing", __wasi_path_rename(dir, "missing", dir, "x"), __WASI_ERRNO_NOENT);
  expect_err("rename-file-trailing-slash-source", __wasi_path_rename(dir, "c/", dir, "x"),
             __WASI_ERRNO_NOTDIR);
  expect_err("rename-file-trailing-slash-target", __wasi_path_rename(dir, "c", dir, "x/"),
             __WASI_ERRNO_NOTDIR);
  e = open_dir(dir, "rd", &sub);
  if (e == 0) e = __wasi_path_rename(dir, "c", sub, "moved");
  check("rename-across-dirs", e == 0 && content_is("rd/moved", "A"), "%s", errname(e));
  if (e == 0) (void)__wasi_fd_close(sub);
  e = open_file(dir, "rd/moved", 0, 0, &fd);
  if (e == 0) e = __wasi_path_rename(dir, "rd/moved", dir, "back");
  char buf[8] = {0};
  __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
  __wasi_size_t n = 0;
  if (e == 0) e = __wasi_fd_pread(fd, &iov, 1, 0, &n);
  check("rename-keeps-open-fd", e == 0 && n == 1 && buf[0] == 'A', "%s, read %u", errname(e),
        (unsigned)n);
  (void)__wasi_fd_close(fd);
  (void)__wasi_path_unlink_file(dir, "back");
  (void)__wasi_path_remove_directory(dir, "rd");
}

static void test_rename_dirs(void) {
  (void)__wasi_path_create_directory(dir, "s");
  (void)make_file(dir, "s/in", "I");
  __wasi_errno_t e = __wasi_path_rename(dir, "s", dir, "t");
  check("rename-dir", e == 0 && !path_exists(dir, "s") && content_is("t/in", "I"), "%s",
        errname(e));
  (void)__wasi_path_create_directory(dir, "empty");
  e = __wasi_path_rename(dir, "t", dir, "empty");
  check("rename-dir-over-empty-dir", e == 0 && !path_exists(dir, "t") && content_is("empty/in", "I"),
        "%s", errname(e));
  (void)__wasi_path_create_directory(dir, "s");
  expect_err("rename-dir-over-nonempty-dir", __wasi_path_rename(dir, "s", dir, "empty"),
             __WASI_ERRNO_NOTEMPTY);
  (void)make_file(dir, "file", "");
  expect_err("rename-dir-over-file", __wasi_path_rename(dir, "s", dir, "file"), __WASI_ERRNO_NOTDIR);
  expect_err("rename-dir-into-itself", __wasi_path_rename(dir, "empty", dir, "empty/sub"),
             __WASI_ERRNO_INVAL);
  e = __wasi_path_rename(dir, "s/", dir, "u");
  if (e == 0) e = __wasi_path_rename(dir, "u", dir, "s/");
  if (e == 0) e = __wasi_path_rename(dir, "s/", dir, "u/");
  check("rename-dir-trailing-slashes", e == 0 && type_of("u", 0) == __WASI_FILETYPE_DIRECTORY,
        "%s", errname(e));
  (void)__wasi_path_remove_directory(dir, "u");
  (void)__wasi_path_unlink_file(dir, "empty/in");
  (void)__wasi_path_remove_directory(dir, "empty");
  (void)__wasi_path_unlink_file(dir, "file");
}

static void test_links(void) {
  __wasi_filestat_t a, b;
  (void)make_file(dir, "orig", "O");
  __wasi_errno_t e = __wasi_path_link(dir, 0, "orig", dir, "hard");
  __wasi_errno_t e1 = __wasi_path_filestat_get(dir, 0, "orig", &a);
  __wasi_errno_t e2 = __wasi_path_filestat_get(dir, 0, "hard", &b);
  check("link", e == 0 && e1 == 0 && e2 == 0 && a.ino == b.ino && a.nlink == 2 && b.nlink == 2,
        "%s, nlink %llu/%llu, same inode %d", errname(e), (unsigned long long)a.nlink,
        (unsigned long long)b.nlink, a.ino == b.ino);
  (void)make_file(dir, "hard", "shared");
  check("link-shares-data", content_is("orig", "shared"), "writing one name did not change the other");
  expect_err("link-exists", __wasi_path_link(dir, 0, "orig", dir, "hard"), __WASI_ERRNO_EXIST);
  expect_err("link-missing", __wasi_path_link(dir, 0, "missing", dir, "x"), __WASI_ERRNO_NOENT);
  (void)__wasi_path_create_directory(dir, "ld");
  expect_err("link-dir", __wasi_path_link(dir, 0, "ld", dir, "x"), __WASI_ERRNO_PERM);
  e = __wasi_path_unlink_file(dir, "hard");
  e1 = __wasi_path_filestat_get(dir, 0, "orig", &a);
  check("unlink-one-link", e == 0 && e1 == 0 && a.nlink == 1 && content_is("orig", "shared"),
        "%s, nlink %llu", errname(e), (unsigned long long)a.nlink);
  (void)__wasi_path_remove_directory(dir, "ld");
}

static void test_symlinks(void) {
  uint8_t buf[16];
  __wasi_size_t used = 0;
  __wasi_filestat_t st;
  __wasi_fd_t fd;
  (void)make_file(dir, "target", "T");
  if (!expect_ok("symlink", __wasi_path_symlink("target", dir, "sl"))) return;
  /* The contents are not NUL-terminated; nothing past buf_len may be written. */
  memset(buf, 0x5A, sizeof buf);
  __wasi_errno_t e = __wasi_path_readlink(dir, "sl", buf, 10, &used);
  check("readlink", e == 0 && used == 6 && memcmp(buf, "target", 6) == 0 && buf[10] == 0x5A,
        "%s, %u bytes", errname(e), (unsigned)used);
  memset(buf, 0x5A, sizeof buf);
  e = __wasi_path_readlink(dir, "sl", buf, 6, &used);
  check("readlink-exact-buffer", e == 0 && used == 6 && memcmp(buf, "target", 6) == 0 && buf[6] == 0x5A,
        "%s, %u bytes into a 6-byte buffer", errname(e), (unsigned)used);
  /* A short buffer gets the first buf_len bytes (wasi-libc's readlink relies on this). */
  memset(buf, 0x5A, sizeof buf);
  e = __wasi_path_readlink(dir, "sl", buf, 3, &used);
  check("readlink-truncates", e == 0 && used == 3 && memcmp(buf, "tar", 3) == 0 && buf[3] == 0x5A,
        "%s, %u bytes into a 3-byte buffer", errname(e), (unsigned)used);
  expect_err("readlink-not-link", __wasi_path_readlink(dir, "target", buf, sizeof buf, &used),
             __WASI_ERRNO_INVAL);
  expect_err("readlink-missing", __wasi_path_readlink(dir, "missing", buf, sizeof buf, &used),
             __WASI_ERRNO_NOENT);
  e = __wasi_path_filestat_get(dir, 0, "sl", &st);
  check("symlink-filestat-nofollow", e == 0 && st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK && st.size == 6,
        "%s, type %u size %llu", errname(e), st.filetype, (unsigned long long)st.size);
  check("symlink-filestat-follow",
        type_of("sl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW) == __WASI_FILETYPE_REGULAR_FILE,
        "following the link did not reach a regular file");
  e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sl", 0, R_FILE, 0, 0, &fd);
  char text[8] = {0};
  if (e == 0) {
    e = read_str(fd, text, sizeof text);
    (void)__wasi_fd_close(fd);
  }
  check("symlink-open-follow", e == 0 && strcmp(text, "T") == 0, "%s, read \"%s\"", errname(e), text);
  expect_err("symlink-open-nofollow", open_plain("sl", 0), __WASI_ERRNO_LOOP);
  expect_err("symlink-exists", __wasi_path_symlink("x", dir, "target"), __WASI_ERRNO_EXIST);
  (void)__wasi_path_create_directory(dir, "sd");
  (void)make_file(dir, "sd/inner", "I");
  (void)__wasi_path_symlink("sd", dir, "sdl");
  check("symlink-intermediate", content_is("sdl/inner", "I"),
        "a symlink in the middle of a path was not followed");
  (void)__wasi_path_symlink("nowhere", dir, "dangling");
  expect_err("symlink-dangling-follow",
             __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, R_FILE, 0, 0, &fd),
             __WASI_ERRNO_NOENT);
  expect_err("open-excl-dangling-symlink",
             open_plain("dangling", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL), __WASI_ERRNO_EXIST);
  (void)__wasi_path_symlink("loop2", dir, "loop1");
  (void)__wasi_path_symlink("loop1", dir, "loop2");
  expect_err("symlink-loop",
             __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "loop1", 0, R_FILE, 0, 0, &fd),
             __WASI_ERRNO_LOOP);
  e = __wasi_path_unlink_file(dir, "sl");
  check("unlink-symlink", e == 0 && !path_exists(dir, "sl") && content_is("target", "T"),
        "%s, or the target went with it", errname(e));
}

#define T_ATIM (1500000000ULL * NS_PER_SEC)
#define T_MTIM (1600000000ULL * NS_PER_SEC)

static void test_filestat(void) {
  __wasi_filestat_t st, before;
  (void)make_file(dir, "fs", "12345");
  __wasi_errno_t e = __wasi_path_filestat_get(dir, 0, "fs", &st);
  check("path-filestat-get", e == 0 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 5,
        "%s, type %u size %llu", errname(e), st.filetype, (unsigned long long)st.size);
  __wasi_timestamp_t now = now_ns(__WASI_CLOCKID_REALTIME);
  check("path-filestat-mtime-real",
        e == 0 && st.mtim + 60 * NS_PER_SEC > now && st.mtim < now + 60 * NS_PER_SEC,
        "mtim %llu is not within a minute of realtime %llu", (unsigned long long)st.mtim,
        (unsigned long long)now);
  expect_err("path-filestat-missing", __wasi_path_filestat_get(dir, 0, "missing", &st),
             __WASI_ERRNO_NOENT);
  (void)__wasi_path_filestat_get(dir, 0, "fs", &before);
  e = __wasi_path_filestat_set_times(dir, 0, "fs", 0, T_MTIM, __WASI_FSTFLAGS_MTIM);
  (void)__wasi_path_filestat_get(dir, 0, "fs", &st);
  check("path-filestat-set-times", e == 0 && st.mtim == T_MTIM && st.atim == before.atim,
        "%s, mtim %llu, atim %llu -> %llu", errname(e), (unsigned long long)st.mtim,
        (unsigned long long)before.atim, (unsigned long long)st.atim);
  if (!skipped("path-filestat-set-times-atim-both"))
    expect_err("path-filestat-set-times-atim-both",
               __wasi_path_filestat_set_times(dir, 0, "fs", 1, 1,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
               __WASI_ERRNO_INVAL);
  if (!skipped("path-filestat-set-times-mtim-both"))
    expect_err("path-filestat-set-times-mtim-both",
               __wasi_path_filestat_set_times(dir, 0, "fs", 1, 1,
                                              __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_INVAL);
  (void)__wasi_path_filestat_get(dir, 0, "fs", &before);
  check("path-filestat-set-times-inval-no-change", before.mtim == T_MTIM,
        "a rejected call changed mtim to %llu", (unsigned long long)before.mtim);
  (void)__wasi_path_symlink("fs", dir, "fsl");
  e = __wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "fsl", T_ATIM, T_ATIM,
                                     __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  (void)__wasi_path_filestat_get(dir, 0, "fs", &st);
  check("path-filestat-set-times-follow", e == 0 && st.mtim == T_ATIM && st.atim == T_ATIM,
        "%s, target mtim %llu", errname(e), (unsigned long long)st.mtim);
  expect_err("path-filestat-set-times-missing",
             __wasi_path_filestat_set_times(dir, 0, "missing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
             __WASI_ERRNO_NOENT);
}

/* path_open that must be refused; an fd it wrongly returns is closed again. */
static void escape_open(const char *name, __wasi_fd_t base, __wasi_lookupflags_t lookup,
                        const char *path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_rights_t rights = (oflags & __WASI_OFLAGS_DIRECTORY) ? R_DIR : R_FILE;
  __wasi_errno_t e = __wasi_path_open(base, lookup, path, oflags, rights, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  expect_escape(name, e);
}

/* Every way out of a directory fd must be refused: from the scratch directory (its parent
 * is inside the preopen, but outside this capability) and from the preopen itself. */
static void test_escapes(__wasi_fd_t preopen) {
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  __wasi_errno_t e;
  escape_open("escape-dotdot", dir, 0, "..", __WASI_OFLAGS_DIRECTORY);
  (void)__wasi_path_create_directory(dir, "e");
  escape_open("escape-dotdot-deep", dir, 0, "e/../../probe", 0);
  escape_open("escape-absolute", dir, 0, "/probe", 0);
  e = __wasi_path_create_directory(dir, "../escape-probe");
  if (e == 0) (void)__wasi_path_remove_directory(dir, "../escape-probe");
  expect_escape("escape-mkdir", e);
  expect_escape("escape-filestat", __wasi_path_filestat_get(dir, 0, "../..", &st));
  (void)make_file(dir, "ef", "");
  e = __wasi_path_rename(dir, "ef", dir, "../escape-probe");
  if (e == 0) (void)__wasi_path_rename(dir, "../escape-probe", dir, "ef");
  expect_escape("escape-rename-target", e);
  e = __wasi_path_link(dir, 0, "ef", dir, "../escape-probe");
  if (e == 0) (void)__wasi_path_unlink_file(dir, "../escape-probe");
  expect_escape("escape-link-target", e);
  e = __wasi_path_symlink("ef", dir, "../escape-probe");
  if (e == 0) (void)__wasi_path_unlink_file(dir, "../escape-probe");
  expect_escape("escape-symlink-location", e);

  /* A symlink that leads out may be refused at creation (then each use is refused by
   * that) or when followed. */
  e = __wasi_path_symlink("../..", dir, "up");
  if (e == 0) {
    escape_open("escape-symlink-follow", dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "up",
                __WASI_OFLAGS_DIRECTORY);
    escape_open("escape-symlink-intermediate", dir, 0, "up/probe", 0);
    expect_escape("escape-symlink-mkdir", __wasi_path_create_directory(dir, "up/escape-probe"));
  } else {
    expect_escape("escape-symlink-follow", e);
    expect_escape("escape-symlink-intermediate", e);
    expect_escape("escape-symlink-mkdir", e);
  }
  /* An absolute symlink may be refused at creation or when followed; either way it must
   * not lead out. */
  e = __wasi_path_symlink("/", dir, "abs");
  if (e == 0)
    escape_open("escape-symlink-absolute", dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "abs",
                __WASI_OFLAGS_DIRECTORY);
  else
    expect_escape("escape-symlink-absolute", e);
  (void)__wasi_path_symlink("e/..", dir, "inside");
  e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "inside", __WASI_OFLAGS_DIRECTORY,
                       R_DIR, 0, 0, &fd);
  check("symlink-dotdot-inside", e == 0, "a link that stays inside was refused: %s", errname(e));
  if (e == 0) (void)__wasi_fd_close(fd);

  escape_open("escape-preopen-dotdot", preopen, 0, "..", __WASI_OFLAGS_DIRECTORY);
  escape_open("escape-preopen-absolute", preopen, 0, "/", __WASI_OFLAGS_DIRECTORY);
}

int main(int argc, char **argv) {
  scratch_t s;
  conf_begin();
  if (!scratch_open(&s, "path", argc, argv)) return conf_end();
  dir = s.dir;
  test_open();
  test_open_append_libc();
  test_directories();
  test_rename_files();
  test_rename_dirs();
  test_links();
  test_symlinks();
  test_filestat();
  test_escapes(s.preopen);
  scratch_close(&s);
  return conf_end();
}
