// cat [FILE...]: the files (or stdin, or stdin for "-") one after another.
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include "util.h"

static char buf[1 << 16];

static int copy(int fd, const char *name) {
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      complain(name);
      return 1;
    }
    if (write_all(1, buf, (size_t)n) != 0) {
      complain("write error");
      return 1;
    }
  }
}

int main(int argc, char **argv) {
  progname = "cat";
  if (argc < 2) return copy(0, "-");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      status |= copy(0, "-");
      continue;
    }
    int fd = open(argv[i], O_RDONLY);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      fd = -1;
      errno = EISDIR; /* reading a directory fails with EBADF under some runtimes */
    }
    if (fd < 0) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    status |= copy(fd, argv[i]);
    close(fd);
  }
  return status;
}
