/* spin: keeps one CPU busy for SECONDS seconds of wall time (1..3600), computing a
 * xorshift64 chain with no system calls between clock reads, then exits 0 silently.
 * Userland C on wasi-libc (apps layer): the CPU-bound batch job the terminal benchmark
 * runs four of in the background while it measures key echo under load. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  char *end = NULL;
  long seconds = argc == 2 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || *argv[1] == '\0' || *end != '\0' || seconds < 1 || seconds > 3600) {
    fputs("usage: spin SECONDS\n", stderr);
    return 2;
  }
  long long until = now_ns() + seconds * 1000000000LL;
  volatile unsigned long long sink = 0;
  unsigned long long x = 88172645463325252ULL;
  while (now_ns() < until) {
    /* About a million steps between clock reads: the clock is a host call. */
    for (int i = 0; i < 1 << 20; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
    }
    sink += x;
  }
  return sink == 1 ? 1 : 0; /* never 1 in practice; keeps the loop from being optimised away */
}
