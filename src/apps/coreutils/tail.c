// tail [-n N | -N] [FILE...]: the last N lines (10) of each file or stdin, with
// "==> NAME <==" headings when there are several.
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static long parse_count(const char *s) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || n < 0 || errno) return -1;
  return n;
}

static int tail(const char *name, long lines) {
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return 1;
  }
  // A ring of the last `lines` lines.
  char **ring = lines > 0 ? calloc((size_t)lines, sizeof *ring) : NULL;
  size_t *lens = lines > 0 ? calloc((size_t)lines, sizeof *lens) : NULL;
  if (lines > 0 && (!ring || !lens)) {
    complain(name);
    close_input(f);
    return 1;
  }
  long next = 0, held = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int status = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (lines == 0) continue;
    free(ring[next]);
    ring[next] = line;
    lens[next] = (size_t)len;
    line = NULL;
    cap = 0;
    next = (next + 1) % lines;
    if (held < lines) held++;
  }
  if (ferror(f)) {
    complain(name);
    status = 1;
  }
  free(line);
  for (long k = 0; k < held; k++) {
    long at = (next - held + k + lines) % lines;
    fwrite(ring[at], 1, lens[at], stdout);
  }
  for (long k = 0; k < lines; k++) free(ring[k]);
  free(ring);
  free(lens);
  close_input(f);
  return status;
}

int main(int argc, char **argv) {
  progname = "tail";
  long lines = 10;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      i++;
      break;
    }
    const char *count = NULL;
    if (strcmp(arg, "-n") == 0) {
      if (i + 1 == argc) return usage("option requires an argument -- 'n'");
      count = argv[++i];
    } else if (strncmp(arg, "-n", 2) == 0) count = arg + 2;
    else count = arg + 1;
    if ((lines = parse_count(count)) < 0) {
      fprintf(stderr, "tail: invalid number of lines: '%s'\n", count);
      return 2;
    }
  }
  if (i == argc) return finish(tail("-", lines));
  int status = 0, several = argc - i > 1;
  for (int j = i; j < argc; j++) {
    if (several) printf("%s==> %s <==\n", j > i ? "\n" : "", argv[j]);
    status |= tail(argv[j], lines);
  }
  return finish(status);
}
