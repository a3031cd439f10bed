// date [-u] [+FORMAT]: the time now in UTC, like "Mon Dec  7 05:43:54 UTC 2026", or as
// strftime's FORMAT.
#include <stdlib.h>
#include <time.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "date";
  const char *format = "%a %b %e %H:%M:%S UTC %Y";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-u") == 0) continue;
    if (argv[i][0] != '+') {
      fprintf(stderr, "date: invalid date '%s'\n", argv[i]);
      return 2;
    }
    format = argv[i] + 1;
  }
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) {
    complain("clock_gettime");
    return 1;
  }
  struct tm tm;
  if (!gmtime_r(&now.tv_sec, &tm)) {
    complain("gmtime");
    return 1;
  }
  size_t cap = 256;
  for (;;) {
    char *out = malloc(cap);
    if (!out) {
      complain("malloc");
      return 1;
    }
    size_t n = strftime(out, cap, format, &tm);
    // 0 is also right for an empty format; give up growing past 64 KiB.
    if (n > 0 || *format == '\0' || cap >= 65536) {
      printf("%.*s\n", (int)n, out);
      free(out);
      return finish(0);
    }
    free(out);
    cap *= 4;
  }
}
