// sleep SECONDS: waits that long (fractions allowed).
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
  if (*end != '\0' || s < 0) {
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
