// wc [-lwc] [FILE...]: lines, words and bytes of each file (or stdin), and a total for
// several. One count alone prints bare; several are right-aligned like GNU wc.
#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include "util.h"

static char buf[1 << 16];
static int want_l, want_w, want_c;

struct counts { unsigned long long l, w, c; };

static int count(int fd, const char *name, struct counts *out) {
  int in_word = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      complain(name);
      return 1;
    }
    out->c += (unsigned long long)n;
    for (ssize_t i = 0; i < n; i++) {
      unsigned char ch = (unsigned char)buf[i];
      if (ch == '\n') out->l++;
      if (isspace(ch)) in_word = 0;
      else if (!in_word) {
        in_word = 1;
        out->w++;
      }
    }
  }
}

static void print(const struct counts *c, const char *name, int width) {
  int first = 1;
  unsigned long long v[3] = {c->l, c->w, c->c};
  int want[3] = {want_l, want_w, want_c};
  for (int i = 0; i < 3; i++) {
    if (!want[i]) continue;
    printf(first ? "%*llu" : " %*llu", width, v[i]);
    first = 0;
  }
  if (name) printf(" %s", name);
  putchar('\n');
}

int main(int argc, char **argv) {
  progname = "wc";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'l') want_l = 1;
      else if (*p == 'w') want_w = 1;
      else if (*p == 'c') want_c = 1;
      else {
        fprintf(stderr, "wc: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (!want_l && !want_w && !want_c) want_l = want_w = want_c = 1;
  int several = want_l + want_w + want_c > 1;
  int status = 0;
  if (i == argc) {
    struct counts c = {0, 0, 0};
    status = count(0, "-", &c);
    print(&c, NULL, several ? 7 : 0);
    return status;
  }
  struct counts total = {0, 0, 0};
  int files = argc - i;
  for (; i < argc; i++) {
    struct counts c = {0, 0, 0};
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0) {
      complain(argv[i]);
      status = 1;
      continue;
    }
    status |= count(fd, argv[i], &c);
    if (fd != 0) close(fd);
    print(&c, argv[i], several || files > 1 ? 7 : 0);
    total.l += c.l;
    total.w += c.w;
    total.c += c.c;
  }
  if (files > 1) print(&total, "total", 7);
  return status;
}
