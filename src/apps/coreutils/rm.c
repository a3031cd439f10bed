// rm [-rf] PATH...: removes files; -r directories and what they hold (symbolic links are
// removed, not followed); never ".", ".." or "/"; -f ignores missing
// paths and a missing operand.
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "util.h"

static int recursive, force;

static int remove_path(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (force && errno == ENOENT) return 0;
    complain(path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) != 0) {
      complain(path);
      return 1;
    }
    return 0;
  }
  if (!recursive) {
    errno = EISDIR;
    complain(path);
    return 1;
  }
  DIR *d = opendir(path);
  if (!d) {
    complain(path);
    return 1;
  }
  // Collect the names first: removing entries while reading the directory can skip some.
  size_t n = 0, cap = 16;
  char **names = malloc(cap * sizeof *names);
  int status = 0;
  errno = 0;
  for (struct dirent *e; names && (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (n == cap) {
      char **grown = realloc(names, (cap *= 2) * sizeof *names);
      if (!grown) break;
      names = grown;
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[n] = malloc(len);
    if (!names[n]) break;
    snprintf(names[n++], len, "%s/%s", path, e->d_name);
  }
  if (errno != 0 || !names) {
    complain(path);
    status = 1;
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    status |= remove_path(names[i]);
    free(names[i]);
  }
  free(names);
  if (status) return status;
  if (rmdir(path) != 0) {
    complain(path);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  progname = "rm";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'r' || *p == 'R') recursive = 1;
      else if (*p == 'f') force = 1;
      else {
        fprintf(stderr, "rm: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (i == argc) return force ? 0 : usage("missing operand");
  int status = 0;
  for (; i < argc; i++) {
    // As GNU rm: never ".", ".." or the root, whose removal would empty what holds them.
    char name[4];
    base_name(argv[i], name, sizeof name);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "/") == 0) {
      fprintf(stderr, "rm: %s: refusing to remove '.', '..' or '/'\n", argv[i]);
      status = 1;
      continue;
    }
    status |= remove_path(argv[i]);
  }
  return status;
}
