// sort [-rnu] [FILE...]: the lines of the files (or stdin) in byte order; -n by leading
// number, -r reversed, -u one line of each run that compares equal.
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static int reverse, numeric, unique;

struct line {
  char *text;
  size_t len;
  double num;
};

static int compare_bytes(const struct line *a, const struct line *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->text, b->text, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/** The key comparison alone: what -u counts as equal. */
static int compare_key(const struct line *a, const struct line *b) {
  if (numeric) return a->num < b->num ? -1 : a->num > b->num;
  return compare_bytes(a, b);
}

static int compare(const void *pa, const void *pb) {
  const struct line *a = pa, *b = pb;
  int c = compare_key(a, b);
  if (c == 0 && !unique) c = compare_bytes(a, b);  // the last-resort comparison
  return reverse ? -c : c;
}

static struct line *lines;
static size_t count, cap;

static int slurp(const char *name) {
  FILE *f = open_input(name);
  if (!f) {
    complain(name);
    return 1;
  }
  char *text = NULL;
  size_t size = 0;
  ssize_t len;
  while ((len = getline(&text, &size, f)) >= 0) {
    if (len > 0 && text[len - 1] == '\n') text[--len] = '\0';
    if (count == cap) {
      size_t grown_cap = cap ? cap * 2 : 256;
      struct line *grown = realloc(lines, grown_cap * sizeof *lines);
      if (!grown) {
        complain(name);
        free(text);
        close_input(f);
        return 1;
      }
      lines = grown;
      cap = grown_cap;
    }
    char *end;
    double num = strtod(text, &end);
    if (end == text) num = 0;
    lines[count++] = (struct line){text, (size_t)len, num};
    text = NULL;
    size = 0;
  }
  free(text);
  int failed = ferror(f);
  if (failed) complain(name);
  close_input(f);
  return failed;
}

int main(int argc, char **argv) {
  progname = "sort";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'r') reverse = 1;
      else if (*p == 'n') numeric = 1;
      else if (*p == 'u') unique = 1;
      else {
        fprintf(stderr, "sort: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  int status = 0;
  if (i == argc) status |= slurp("-");
  for (; i < argc; i++) status |= slurp(argv[i]);
  if (status) return 2;
  if (count) qsort(lines, count, sizeof *lines, compare);
  for (size_t k = 0; k < count; k++) {
    if (unique && k > 0 && compare_key(&lines[k - 1], &lines[k]) == 0) continue;
    fwrite(lines[k].text, 1, lines[k].len, stdout);
    putchar('\n');
  }
  return finish(0);
}
