// touch FILE...: creates each missing file (empty) and sets the access and modification
// times of each existing one to now. The time is read here and passed explicitly, not as
// UTIME_NOW: node's uvwasi stores 0 for the "now" flags. Userland C (apps layer).
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "touch";
  int i = 1;
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i == argc) return usage("missing file operand");
  struct timespec now[2];
  if (clock_gettime(CLOCK_REALTIME, &now[0]) != 0) {
    complain("clock_gettime");
    return 1;
  }
  now[1] = now[0];
  int status = 0;
  for (; i < argc; i++) {
    if (utimensat(AT_FDCWD, argv[i], now, 0) == 0) continue;
    if (errno != ENOENT) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    // A new file has the current times already.
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
