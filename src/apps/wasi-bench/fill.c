/* fill: writes MIB mebibytes to PATH in IO_KIB-kibibyte write() calls, then fsync()s it, and
 * prints how long the writes and the fsync took: "fill: BYTES bytes in NS ns". Userland C on
 * wasi-libc (apps layer) for the wasi benchmark's fd_write figure; times itself with
 * CLOCK_MONOTONIC so that starting the process is not part of the figure. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long parse(const char *s, long max) {
  char *end;
  long v = strtol(s, &end, 10);
  return (*s == '\0' || *end != '\0' || v <= 0 || v > max) ? -1 : v;
}

int main(int argc, char **argv) {
  long mib = argc >= 3 ? parse(argv[2], 4096) : -1;
  long kib = argc >= 4 ? parse(argv[3], 16384) : 64;
  if (argc < 3 || argc > 4 || mib < 0 || kib < 0) {
    fputs("usage: fill PATH MIB [IO_KIB]\n", stderr);
    return 2;
  }
  size_t io = (size_t)kib * 1024, total = (size_t)mib * 1024 * 1024;
  unsigned char *buf = malloc(io);
  if (!buf) {
    fputs("fill: out of memory\n", stderr);
    return 1;
  }
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    fprintf(stderr, "fill: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  long long start = now_ns();
  for (size_t done = 0; done < total;) {
    /* Different bytes in every piece, so the store cannot deduplicate within the file. */
    size_t n = total - done < io ? total - done : io;
    for (size_t i = 0; i < n; i += 8) memcpy(buf + i, &(unsigned long long){done + i}, n - i < 8 ? n - i : 8);
    ssize_t w = write(fd, buf, n);
    if (w <= 0) {
      fprintf(stderr, "fill: write at %zu: %s\n", done, w < 0 ? strerror(errno) : "wrote nothing");
      return 1;
    }
    done += (size_t)w;
  }
  if (fsync(fd) != 0) {
    fprintf(stderr, "fill: fsync: %s\n", strerror(errno));
    return 1;
  }
  long long ns = now_ns() - start;
  if (close(fd) != 0) {
    fprintf(stderr, "fill: close: %s\n", strerror(errno));
    return 1;
  }
  printf("fill: %zu bytes in %lld ns\n", total, ns);
  free(buf);
  return 0;
}
