// sort [-rnu] [FILE...]: the lines of the files (or stdin) in byte order (the C locale); -n
// by leading number, -r reversed, -u the first line of each run that compares equal. Each
// input's last line needs no newline; every output line gets one. Userland C (apps layer).
#include <stdlib.h>
#include <sys/types.h>
#include "util.h"

static int reverse, numeric, unique;

struct line {
  char *text;
  size_t len;
  size_t index; /* input order: ties keep it, so -u keeps the first of a run */
};

static int compare_mem(const char *a, size_t al, const char *b, size_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  if (c) return c;
  return al < bl ? -1 : al > bl;
}

/** A -n key: leading blanks, an optional '-', digits, an optional fraction; none is 0.
 *  Kept as digit strings (integer part without leading zeros, fraction without trailing
 *  ones), so comparing is exact at any length. */
struct number {
  int negative;
  const char *integer, *fraction;
  size_t integer_len, fraction_len;
};

static struct number parse_number(const char *p, const char *end) {
  struct number n = {0, p, p, 0, 0};
  while (p < end && (*p == ' ' || *p == '\t')) p++;
  if (p < end && *p == '-') n.negative = 1, p++;
  while (p < end && *p == '0') p++;
  n.integer = p;
  while (p < end && *p >= '0' && *p <= '9') p++;
  n.integer_len = (size_t)(p - n.integer);
  if (p < end && *p == '.') {
    n.fraction = ++p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    n.fraction_len = (size_t)(p - n.fraction);
    while (n.fraction_len > 0 && n.fraction[n.fraction_len - 1] == '0') n.fraction_len--;
  }
  if (n.integer_len == 0 && n.fraction_len == 0) n.negative = 0;  // -0 is 0
  return n;
}

static int compare_numbers(const struct line *x, const struct line *y) {
  struct number a = parse_number(x->text, x->text + x->len);
  struct number b = parse_number(y->text, y->text + y->len);
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int c = a.integer_len != b.integer_len ? (a.integer_len < b.integer_len ? -1 : 1)
                                         : memcmp(a.integer, b.integer, a.integer_len);
  if (c == 0) c = compare_mem(a.fraction, a.fraction_len, b.fraction, b.fraction_len);
  return a.negative ? -c : c;
}

/** The key comparison alone, -r applied: what -u counts as equal. */
static int compare_key(const struct line *a, const struct line *b) {
  int c = numeric ? compare_numbers(a, b) : compare_mem(a->text, a->len, b->text, b->len);
  return reverse ? -c : c;
}

/** The key; then, as GNU sort does unless -u, the whole line bytewise (reversed by -r too);
 *  then input order, so that the result does not depend on qsort. */
static int compare(const void *pa, const void *pb) {
  const struct line *a = pa, *b = pb;
  int c = compare_key(a, b);
  if (c == 0 && !unique && numeric) {
    c = compare_mem(a->text, a->len, b->text, b->len);
    if (reverse) c = -c;
  }
  if (c) return c;
  return a->index < b->index ? -1 : a->index > b->index;
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
    lines[count] = (struct line){text, (size_t)len, count};
    count++;
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
