// cp [-r] SRC DST | cp [-r] SRC... DIR: copies files byte for byte; -r copies directories
// and what they hold, symbolic links as links. A DST that is a directory receives SRC under
// its own name. Refuses to copy a file onto itself or a directory into itself.
// Userland C on wasi-libc (apps layer).
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "util.h"

static int recursive;
static char buf[1 << 16];
/* The first directory made by this run, so that a tree never copies into its own copy. */
static struct stat made;
static int made_known;

/** Same inode; runtimes that report no inode numbers (0) never match. */
static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_ino != 0 && a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

static int copy_file(const char *src, const char *dst) {
  int in = open(src, O_RDONLY);
  if (in < 0) {
    complain(src);
    return 1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0) {
    complain(dst);
    close(in);
    return 1;
  }
  int status = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      complain(src);
      status = 1;
      break;
    }
    if (write_all(out, buf, (size_t)n) != 0) {
      complain(dst);
      status = 1;
      break;
    }
  }
  close(in);
  if (close(out) != 0 && !status) {
    complain(dst);
    status = 1;
  }
  return status;
}

static int copy_link(const char *src, const char *dst) {
  char target[PATH_MAX];
  ssize_t n = readlink(src, target, sizeof target - 1);
  if (n < 0) {
    complain(src);
    return 1;
  }
  target[n] = '\0';
  if (symlink(target, dst) != 0) {
    complain(dst);
    return 1;
  }
  return 0;
}

static int copy(const char *src, const char *dst);

static int copy_dir(const char *src, const char *dst) {
  struct stat dst_st;
  if (mkdir(dst, 0777) != 0 && !(errno == EEXIST && stat(dst, &dst_st) == 0 && S_ISDIR(dst_st.st_mode))) {
    complain(dst);
    return 1;
  }
  if (!made_known && stat(dst, &made) == 0) made_known = 1;
  DIR *d = opendir(src);
  if (!d) {
    complain(src);
    return 1;
  }
  int status = 0;
  errno = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL; errno = 0) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *from = path_join(src, e->d_name), *to = path_join(dst, e->d_name);
    struct stat st;
    if (made_known && lstat(from, &st) == 0 && same_file(&st, &made))
      fprintf(stderr, "cp: %s: not copied into itself\n", from), status = 1;
    else
      status |= copy(from, to);
    free(from);
    free(to);
  }
  if (errno != 0) {
    complain(src);
    status = 1;
  }
  closedir(d);
  return status;
}

static int copy(const char *src, const char *dst) {
  struct stat st, dst_st;
  if ((recursive ? lstat(src, &st) : stat(src, &st)) != 0) {
    complain(src);
    return 1;
  }
  if (S_ISLNK(st.st_mode)) return copy_link(src, dst);
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) {
      fprintf(stderr, "cp: %s: -r not specified; omitting directory\n", src);
      return 1;
    }
    return copy_dir(src, dst);
  }
  if (stat(dst, &dst_st) == 0 && same_file(&st, &dst_st)) {
    fprintf(stderr, "cp: %s and %s are the same file\n", src, dst);
    return 1;
  }
  return copy_file(src, dst);
}

/** "d" into "d/x" or "d/x/y": caught by name here, whatever inode numbers the runtime has. */
static int inside(const char *dir, const char *path) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  return strncmp(dir, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int main(int argc, char **argv) {
  progname = "cp";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'r' || *p == 'R') recursive = 1;
      else {
        fprintf(stderr, "cp: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (argc - i < 2) return usage("missing file operand");
  const char *target = argv[argc - 1];
  struct stat st;
  int into_dir = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
  if (argc - i > 2 && !into_dir) {
    errno = ENOTDIR;
    complain(target);
    return 1;
  }
  int status = 0;
  for (; i < argc - 1; i++) {
    char name[NAME_MAX + 1];
    base_name(argv[i], name, sizeof name);
    char *to = into_dir ? path_join(target, name) : xstrdup(target);
    struct stat src_st;
    if (recursive && stat(argv[i], &src_st) == 0 && S_ISDIR(src_st.st_mode) && inside(argv[i], to)) {
      fprintf(stderr, "cp: %s: cannot copy a directory into itself (%s)\n", argv[i], to);
      status = 1;
    } else {
      made_known = 0;
      status |= copy(argv[i], to);
    }
    free(to);
  }
  return status;
}
