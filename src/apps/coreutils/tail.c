// tail [-n [+]N | -N] [FILE...]: the last N lines (10) of each file or stdin, or with +N
// everything from line N on; "==> NAME <==" headings when there are several. A last line
// without a newline counts, and is printed as it is. Memory holds at most N lines.
// Userland C on wasi-libc (apps layer).
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static long long parse_count(const char *s) {
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (*s < '0' || *s > '9' || *end != '\0' || n < 0 || errno) return -1;
  return n;
}

/** Copies from line `first` (1-based; 0 counts as 1) to the end. */
static void tail_from(FILE *f, long long first) {
  int c;
  for (long long line = 1; line < first && (c = getc(f)) != EOF;)
    if (c == '\n') line++;
  char buf[1 << 14];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
}

/** The last `lines` lines, in a ring that grows as lines come, up to `lines` slots. */
static void tail_last(FILE *f, long long lines) {
  char **ring = NULL;
  size_t *lens = NULL;
  long long slots = 0, next = 0, held = 0;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (lines == 0) continue;
    if (held == slots && slots < lines) {  // not wrapped yet, so next == held
      long long grown = slots == 0 ? 64 : slots * 2;
      if (grown > lines) grown = lines;
      ring = xrealloc(ring, (size_t)grown * sizeof *ring);
      lens = xrealloc(lens, (size_t)grown * sizeof *lens);
      for (long long k = slots; k < grown; k++) ring[k] = NULL;
      slots = grown;
    }
    free(ring[next]);
    ring[next] = line;
    lens[next] = (size_t)len;
    line = NULL;
    cap = 0;
    next = (next + 1) % slots;
    if (held < slots) held++;
  }
  free(line);
  for (long long k = 0; k < held; k++) {
    long long at = (next - held + k + slots) % slots;
    fwrite(ring[at], 1, lens[at], stdout);
  }
  for (long long k = 0; k < slots; k++) free(ring[k]);
  free(ring);
  free(lens);
}

static int tail(const char *name, long long lines, int from_start) {
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return 1;
  }
  if (from_start)
    tail_from(f, lines);
  else
    tail_last(f, lines);
  int status = 0;
  if (ferror(f)) {
    complain(name);
    status = 1;
  }
  close_input(f);
  return status;
}

int main(int argc, char **argv) {
  progname = "tail";
  long long lines = 10;
  int i = 1, from_start = 0;
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
    from_start = count[0] == '+';
    const char *digits = count + (count[0] == '+' || count[0] == '-');
    if ((lines = parse_count(digits)) < 0) {
      fprintf(stderr, "tail: invalid number of lines: '%s'\n", count);
      return 2;
    }
  }
  if (i == argc) return finish(tail("-", lines, from_start));
  int status = 0, several = argc - i > 1;
  for (int j = i; j < argc; j++) {
    if (several) printf("%s==> %s <==\n", j > i ? "\n" : "", input_name(argv[j]));
    status |= tail(argv[j], lines, from_start);
  }
  return finish(status);
}
