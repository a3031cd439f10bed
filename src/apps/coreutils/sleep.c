// sleep SECONDS: waits that long, fractions allowed, at most a year; via nanosleep.
#include <stdlib.h>
#include <time.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "sleep";
  if (argc != 2) {
    fprintf(stderr, "usage: sleep SECONDS\n");
    return 2;
  }
  char *end;
  double s = strtod(argv[1], &end);
  // Not NaN, not negative, and at most a year (so the seconds fit a time_t exactly).
  if (end == argv[1] || *end != '\0' || !(s >= 0 && s <= 31536000)) {
    fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
    return 2;
  }
  struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  while (nanosleep(&t, &t) != 0)
    if (errno != EINTR) {
      complain("nanosleep");
      return 1;
    }
  return 0;
}
