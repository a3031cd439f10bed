// mkdir [-p] DIR...: makes each directory; -p makes missing parents and accepts existing ones.
#include <stdlib.h>
#include <sys/stat.h>
#include "util.h"

static int parents;

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int make(const char *path) {
  if (!parents) {
    if (mkdir(path, 0777) != 0) {
      complain(path);
      return 1;
    }
    return 0;
  }
  char *p = strdup(path);
  if (!p) {
    complain(path);
    return 1;
  }
  size_t len = strlen(p);
  for (size_t i = 1; i <= len; i++) {
    if (p[i] != '/' && p[i] != '\0') continue;
    if (p[i - 1] == '/') continue;
    char saved = p[i];
    p[i] = '\0';
    if (mkdir(p, 0777) != 0 && !(errno == EEXIST && is_dir(p))) {
      if (errno == EEXIST) errno = ENOTDIR;
      complain(p);
      free(p);
      return 1;
    }
    p[i] = saved;
  }
  free(p);
  return 0;
}

int main(int argc, char **argv) {
  progname = "mkdir";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'p') parents = 1;
      else {
        fprintf(stderr, "mkdir: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (i == argc) return usage("missing operand");
  int status = 0;
  for (; i < argc; i++) status |= make(argv[i]);
  return status;
}
