// wc [-lwc] [FILE...]: lines, words (runs of non-space bytes) and bytes of each file (or
// stdin), always in that order, and a total for several; columns as GNU wc (number_width).
#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

/** GNU wc's column width, from the inputs' status before anything is read: the digits of
 *  the regular files' total size, at least 7 when an input is not a regular file (a pipe, a
 *  terminal), and 1 when a single input gets a single count. */
static int number_width(char **names, int n) {
  if (n == 1 && want_l + want_w + want_c == 1) return 1;
  int width = 1, minimum = 1;
  unsigned long long regular_total = 0;
  for (int i = 0; i < n; i++) {
    struct stat st;
    if ((strcmp(names[i], "-") == 0 ? fstat(0, &st) : stat(names[i], &st)) != 0) continue;
    if (S_ISREG(st.st_mode))
      regular_total += (unsigned long long)st.st_size;
    else
      minimum = 7;
  }
  for (; regular_total >= 10; regular_total /= 10) width++;
  return width < minimum ? minimum : width;
}

int main(int argc, char **argv) {
  progname = "wc";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
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
  // No operand reads stdin and prints no name; "-" reads it and is named "-" (GNU).
  char *dash = "-";
  int files = argc - i;
  char **names = files > 0 ? argv + i : &dash;
  int n = files > 0 ? files : 1;
  int width = number_width(names, n), status = 0;
  struct counts total = {0, 0, 0};
  for (int k = 0; k < n; k++) {
    struct counts c = {0, 0, 0};
    int fd = strcmp(names[k], "-") == 0 ? 0 : open(names[k], O_RDONLY);
    struct stat st;
    if (fd > 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      fd = -1;
      errno = EISDIR;
    }
    if (fd < 0) {
      complain(names[k]);
      status = 1;
      continue;
    }
    status |= count(fd, names[k], &c);
    if (fd != 0) close(fd);
    print(&c, files > 0 ? names[k] : NULL, width);
    total.l += c.l;
    total.w += c.w;
    total.c += c.c;
  }
  if (files > 1) print(&total, "total", width);
  return finish(status);
}
