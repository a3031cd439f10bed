// ls [-al] [PATH...]: the entries of each directory (or the file itself), sorted by name,
// one per line; -a shows names starting with '.', -l the mode, links, size and mtime.
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "util.h"

static int all, longform;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mode_string(mode_t m, char out[11]) {
  // WASI reports no permission bits: show what the store grants, read and write (and search).
  if ((m & 0777) == 0) m |= S_ISDIR(m) ? 0755 : 0644;
  out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : '-';
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
  out[10] = '\0';
}

static void show(const char *path, const char *name) {
  if (!longform) {
    printf("%s\n", name);
    return;
  }
  struct stat st;
  if (lstat(path, &st) != 0) {
    complain(path);
    return;
  }
  char mode[11], when[32];
  mode_string(st.st_mode, mode);
  time_t t = st.st_mtim.tv_sec;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(when, sizeof when, "%b %e %H:%M", &tm);
  printf("%s %2llu %8lld %s %s\n", mode, (unsigned long long)st.st_nlink, (long long)st.st_size, when, name);
}

static int list(const char *path, int heading) {
  struct stat st;
  if (stat(path, &st) != 0) {
    complain(path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    show(path, path);
    return 0;
  }
  DIR *d = opendir(path);
  if (!d) {
    complain(path);
    return 1;
  }
  size_t n = 0, cap = 64;
  char **names = malloc(cap * sizeof *names);
  if (all) {
    names[n++] = strdup(".");
    names[n++] = strdup("..");
  }
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.' && (!all || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)) continue;
    if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  if (heading) printf("%s:\n", path);
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(path) + strlen(names[i]) + 2;
    char *full = malloc(len);
    snprintf(full, len, "%s/%s", path, names[i]);
    show(full, names[i]);
    free(full);
    free(names[i]);
  }
  free(names);
  return 0;
}

int main(int argc, char **argv) {
  progname = "ls";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'a') all = 1;
      else if (*p == 'l') longform = 1;
      else if (*p != '1') {
        fprintf(stderr, "ls: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  if (i == argc) return list(".", 0);
  int status = 0;
  for (int j = i; j < argc; j++) {
    if (j > i) putchar('\n');
    status |= list(argv[j], argc - i > 1);
  }
  return status;
}
