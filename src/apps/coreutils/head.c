// head [-n N | -N] [FILE...]: the first N lines (10) of each file or stdin, with
// "==> NAME <==" headings when there are several.
#include <stdlib.h>
#include "util.h"

static long long parse_count(const char *s) {
  char *end;
  errno = 0;
  long long n = strtoll(s, &end, 10);
  if (*s < '0' || *s > '9' || *end != '\0' || errno) return -1;
  return n;
}

static int head(const char *name, long long lines) {
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return 1;
  }
  int c, status = 0;
  while (lines > 0 && (c = getc(f)) != EOF) {
    if (putchar(c) == EOF) break;
    if (c == '\n') lines--;
  }
  if (ferror(f)) {
    complain(name);
    status = 1;
  }
  close_input(f);
  return status;
}

int main(int argc, char **argv) {
  progname = "head";
  long long lines = 10;
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
      fprintf(stderr, "head: invalid number of lines: '%s'\n", count);
      return 2;
    }
  }
  if (i == argc) return finish(head("-", lines));
  int status = 0, several = argc - i > 1;
  for (int j = i; j < argc; j++) {
    if (several) printf("%s==> %s <==\n", j > i ? "\n" : "", input_name(argv[j]));
    status |= head(argv[j], lines);
  }
  return finish(status);
}
