// uniq [-c] [FILE]: one line of each run of equal adjacent lines; -c prefixes the run's length.
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static int counts;

static void emit(const char *text, size_t len, unsigned long long n) {
  if (counts) printf("%7llu ", n);
  fwrite(text, 1, len, stdout);
  putchar('\n');
}

int main(int argc, char **argv) {
  progname = "uniq";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'c') counts = 1;
      else {
        fprintf(stderr, "uniq: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (argc - i > 1) return usage("extra operand (writing to an OUTPUT file is not supported)");
  const char *name = i < argc ? argv[i] : "-";
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return 1;
  }
  char *prev = NULL, *line = NULL;
  size_t prev_len = 0, prev_cap = 0, cap = 0;
  unsigned long long run = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    if (run > 0 && (size_t)len == prev_len && memcmp(line, prev, prev_len) == 0) {
      run++;
      continue;
    }
    if (run > 0) emit(prev, prev_len, run);
    // Swap buffers: the new line becomes the run's line.
    char *t = prev;
    size_t tc = prev_cap;
    prev = line;
    prev_cap = cap;
    prev_len = (size_t)len;
    line = t;
    cap = tc;
    run = 1;
  }
  if (run > 0) emit(prev, prev_len, run);
  int status = 0;
  if (ferror(f)) {
    complain(name);
    status = 1;
  }
  free(prev);
  free(line);
  close_input(f);
  return finish(status);
}
