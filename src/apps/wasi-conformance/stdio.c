/* stdio: copies all of stdin to stdout and reports the byte count on stderr, for pipe tests.
 * Userland C on wasi-libc (apps layer); trusts fd 0/1/2 to be open, handles short writes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A non-blocking stdio fd said EAGAIN: wait in poll_oneoff rather than spin. */
static void wait_for(int fd, short events) {
  struct pollfd p = {.fd = fd, .events = events};
  (void)poll(&p, 1, -1);
}

int main(void) {
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
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w < 0) {
        if (errno == EAGAIN) {
          wait_for(1, POLLOUT);
          continue;
        }
        if (errno == EINTR) continue;
        fprintf(stderr, "stdio: write: %s\n", strerror(errno));
        return 1;
      }
      off += w;
    }
    total += (unsigned long long)n;
  }
  fprintf(stderr, "stdio: %llu bytes\n", total);
  return 0;
}
