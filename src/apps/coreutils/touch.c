// touch FILE...: creates each missing file and sets the times of each to now.
#include <fcntl.h>
#include <sys/stat.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "touch";
  if (argc < 2) return usage("missing file operand");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (utimensat(AT_FDCWD, argv[i], NULL, 0) == 0) continue;
    if (errno != ENOENT) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
    if (fd < 0) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    if (close(fd) != 0) {
      complain(argv[i]);
      status = 1;
    }
  }
  return status;
}
