// cp [-r] SRC DST | cp [-r] SRC... DIR: copies files byte for byte; -r copies directories
// and what they hold. A DST that is a directory receives SRC under its own name.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "util.h"

static int recursive;
static char buf[1 << 16];

static char *join_path(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
  return p;
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

static int copy(const char *src, const char *dst) {
  struct stat st;
  if (stat(src, &st) != 0) {
    complain(src);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) return copy_file(src, dst);
  if (!recursive) {
    fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
    return 1;
  }
  struct stat dst_st;
  if (mkdir(dst, 0777) != 0 && !(errno == EEXIST && stat(dst, &dst_st) == 0 && S_ISDIR(dst_st.st_mode))) {
    complain(dst);
    return 1;
  }
  DIR *d = opendir(src);
  if (!d) {
    complain(src);
    return 1;
  }
  int status = 0;
  errno = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL; errno = 0) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *from = join_path(src, e->d_name), *to = join_path(dst, e->d_name);
    if (!from || !to) {
      complain(src);
      status = 1;
    } else {
      status |= copy(from, to);
    }
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
    if (!into_dir) {
      status |= copy(argv[i], target);
      continue;
    }
    char name[1024];
    base_name(argv[i], name, sizeof name);
    char *to = join_path(target, name);
    if (!to) {
      complain(target);
      return 1;
    }
    status |= copy(argv[i], to);
    free(to);
  }
  return status;
}
