// grep [-ivncE] PATTERN [FILE...]: the lines matching the POSIX regular expression
// (basic, or extended with -E). -i ignores case, -v inverts, -n numbers lines, -c counts.
// Exits 0 when a line was selected, 1 when none was, 2 on an error.
#include <regex.h>
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static int invert, numbers, count_only, prefix;
static regex_t re;

/** Lines selected from the file, or -1 when it could not be read. */
static long grep(const char *name) {
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long selected = 0, lineno = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    int matched = regexec(&re, line, 0, NULL, 0) == 0;
    if (matched == invert) continue;
    selected++;
    if (count_only) continue;
    if (prefix) printf("%s:", name);
    if (numbers) printf("%ld:", lineno);
    fwrite(line, 1, (size_t)len, stdout);
    putchar('\n');
  }
  int failed = ferror(f);
  if (failed) complain(name);
  free(line);
  close_input(f);
  if (count_only) {
    if (prefix) printf("%s:", name);
    printf("%ld\n", selected);
  }
  return failed ? -1 : selected;
}

int main(int argc, char **argv) {
  progname = "grep";
  int flags = REG_NOSUB, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      switch (*p) {
        case 'i': flags |= REG_ICASE; break;
        case 'v': invert = 1; break;
        case 'n': numbers = 1; break;
        case 'c': count_only = 1; break;
        case 'E': flags |= REG_EXTENDED; break;
        default: fprintf(stderr, "grep: invalid option -- '%c'\n", *p); return 2;
      }
    }
  }
  if (i == argc) return usage("usage: grep [-ivncE] PATTERN [FILE...]");
  int rc = regcomp(&re, argv[i++], flags);
  if (rc != 0) {
    char message[256];
    regerror(rc, &re, message, sizeof message);
    fprintf(stderr, "grep: %s\n", message);
    return 2;
  }
  prefix = argc - i > 1;
  int any = 0, error = 0;
  if (i == argc) {
    long n = grep("-");
    if (n < 0) error = 1;
    else if (n > 0) any = 1;
  }
  for (; i < argc; i++) {
    long n = grep(argv[i]);
    if (n < 0) error = 1;
    else if (n > 0) any = 1;
  }
  regfree(&re);
  if (finish(0) != 0) return 2;
  return error ? 2 : any ? 0 : 1;
}
