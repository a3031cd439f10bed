/* stdio: copies all of stdin to stdout and reports the byte count on stderr, for pipe tests.
 * `stdio lines N` instead writes N lines, one write(2) each, far faster than a reader takes
 * them: the pipe fills, and each write must wait for room rather than fail.
 * Userland C on wasi-libc (apps layer); trusts fd 0/1/2 to be open, handles short writes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A non-blocking stdio fd said EAGAIN: wait in poll_oneoff rather than spin. */
static void wait_for(int fd, short events) {
  struct pollfd p = {.fd = fd, .events = events};
  (void)poll(&p, 1, -1);
}

/* Writes all of buf[0..n) to stdout, waiting out EAGAIN; 0, or -1 with errno set. */
static int write_all(const char *buf, size_t n) {
  for (size_t off = 0; off < n;) {
    ssize_t w = write(1, buf + off, n - off);
    if (w < 0) {
      if (errno == EAGAIN) {
        wait_for(1, POLLOUT);
        continue;
      }
      if (errno == EINTR) continue;
      return -1;
    }
    off += (size_t)w;
  }
  return 0;
}

static int lines(long count) {
  char line[32];
  for (long i = 0; i < count; i++) {
    int len = snprintf(line, sizeof line, "line %ld\n", i);
    if (write_all(line, (size_t)len) != 0) {
      fprintf(stderr, "stdio: write of line %ld: %s\n", i, strerror(errno));
      return 1;
    }
  }
  fprintf(stderr, "stdio: %ld lines\n", count);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "lines") == 0) return lines(strtol(argv[2], NULL, 10));
  static char buf[65536];
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      if (errno == EAGAIN) {
        wait_for(0, POLLIN);
        continue;
      }
      if (errno == EINTR) continue;
      fprintf(stderr, "stdio: read: %s\n", strerror(errno));
      return 1;
    }
    if (n == 0) break;
    if (write_all(buf, (size_t)n) != 0) {
      fprintf(stderr, "stdio: write: %s\n", strerror(errno));
      return 1;
    }
    total += (unsigned long long)n;
  }
  fprintf(stderr, "stdio: %llu bytes\n", total);
  return 0;
}
