// tee [-a] [FILE...]: copies stdin to stdout and to each file (truncated, or appended to with -a).
#include <fcntl.h>
#include <stdlib.h>
#include "util.h"

static char buf[1 << 16];

int main(int argc, char **argv) {
  progname = "tee";
  int append = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'a') append = 1;
      else {
        fprintf(stderr, "tee: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  int n = argc - i, status = 0;
  int *fds = malloc((size_t)(n + 1) * sizeof *fds);
  const char **names = malloc((size_t)(n + 1) * sizeof *names);
  if (!fds || !names) {
    complain("malloc");
    return 1;
  }
  fds[0] = 1;
  names[0] = "standard output";
  int open_count = 1;
  for (; i < argc; i++) {
    int fd = open(argv[i], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    fds[open_count] = fd;
    names[open_count++] = argv[i];
  }
  for (;;) {
    ssize_t got = read(0, buf, sizeof buf);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      complain("standard input");
      status = 1;
      break;
    }
    for (int k = 0; k < open_count; k++) {
      if (fds[k] < 0) continue;
      if (write_all(fds[k], buf, (size_t)got) != 0) {
        complain(names[k]);
        status = 1;
        if (k > 0) close(fds[k]);
        fds[k] = -1;
      }
    }
  }
  for (int k = 1; k < open_count; k++)
    if (fds[k] >= 0 && close(fds[k]) != 0) {
      complain(names[k]);
      status = 1;
    }
  return status;
}
