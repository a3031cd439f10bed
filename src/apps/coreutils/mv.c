// mv SRC DST | mv SRC... DIR: renames; a DST that is a directory receives SRC under its own name.
#include <stdlib.h>
#include <sys/stat.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "mv";
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
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
      if (rename(argv[i], target) != 0) {
        complain(argv[i]);
        status = 1;
      }
      continue;
    }
    char name[1024];
    base_name(argv[i], name, sizeof name);
    size_t len = strlen(target) + strlen(name) + 2;
    char *to = malloc(len);
    if (!to) {
      complain(target);
      return 1;
    }
    snprintf(to, len, "%s/%s", target, name);
    if (rename(argv[i], to) != 0) {
      complain(argv[i]);
      status = 1;
    }
    free(to);
  }
  return status;
}
