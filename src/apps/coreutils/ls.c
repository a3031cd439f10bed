// ls [-al1] [PATH...]: the entries of each directory (or the file itself), sorted by name
// (bytewise), one per line. -a shows names starting with '.', "." and ".." included; -l the
// long form of GNU's `ls -lgo` (no owner or group: WASI has none): mode, links, size, mtime
// in UTC, name, and a symbolic link's target. Operands that are files come first, then the
// directories, each under a "NAME:" heading when there are several. Userland C (apps layer).
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "util.h"

static int all, longform, status;
static time_t now;

struct entry {
  char *name, *path;
  struct stat st;
  int ok; /* st holds the entry's lstat */
};

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static char type_char(mode_t m) {
  return S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
         : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
}

static void mode_string(mode_t m, char out[11]) {
  // WASI reports no permission bits: show what the store grants, read and write (and search).
  if ((m & 0777) == 0) m |= S_ISDIR(m) ? 0755 : S_ISLNK(m) ? 0777 : 0644;
  out[0] = type_char(m);
  const char *rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
  out[10] = '\0';
}

static int digits(unsigned long long v) {
  int n = 1;
  for (; v >= 10; v /= 10) n++;
  return n;
}

/** GNU's "%b %e %H:%M" for the last six months, "%b %e  %Y" for older or future times. */
static void when_string(time_t t, char *out, size_t n) {
  struct tm tm;
  if (!gmtime_r(&t, &tm)) {
    snprintf(out, n, "%12s", "?");
    return;
  }
  const time_t six_months = 31556952 / 2;
  int recent = t <= now && t > now - six_months;
  strftime(out, n, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
}

/** Prints the entries; in the long form with the links and size columns aligned. */
static void show(struct entry *e, size_t n) {
  int link_w = 1, size_w = 1;
  for (size_t i = 0; longform && i < n; i++) {
    if (!e[i].ok) continue;
    int l = digits((unsigned long long)e[i].st.st_nlink), s = digits((unsigned long long)e[i].st.st_size);
    if (l > link_w) link_w = l;
    if (s > size_w) size_w = s;
  }
  for (size_t i = 0; i < n; i++) {
    if (!longform) {
      printf("%s\n", e[i].name);
      continue;
    }
    if (!e[i].ok) continue;
    char mode[11], when[32];
    mode_string(e[i].st.st_mode, mode);
    when_string(e[i].st.st_mtim.tv_sec, when, sizeof when);
    printf("%s %*llu %*lld %s %s", mode, link_w, (unsigned long long)e[i].st.st_nlink, size_w,
           (long long)e[i].st.st_size, when, e[i].name);
    char target[PATH_MAX];
    ssize_t len = S_ISLNK(e[i].st.st_mode) ? readlink(e[i].path, target, sizeof target - 1) : -1;
    if (len >= 0) printf(" -> %.*s", (int)len, target);
    putchar('\n');
  }
}

/** Fills in e's status for the long form; reports a failure (the entry is then left out). */
static void stat_entry(struct entry *e, const char *dir) {
  if (!longform) return;
  e->ok = lstat(e->path, &e->st) == 0;
  // At the top of the sandbox ".." may be out of reach; there it is "." itself, as at "/".
  if (!e->ok && strcmp(e->name, "..") == 0) e->ok = lstat(dir, &e->st) == 0;
  if (!e->ok) {
    complain(e->path);
    status = 1;
  }
}

static void add(struct entry **v, size_t *n, size_t *cap, const char *dir, const char *name) {
  if (*n == *cap) *v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 64) * sizeof **v);
  struct entry *e = &(*v)[(*n)++];
  e->name = xstrdup(name);
  e->path = dir ? path_join(dir, name) : xstrdup(name);
  e->ok = 0;
  if (dir) stat_entry(e, dir);
}

static void free_entries(struct entry *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].path);
  }
  free(v);
}

static void list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    complain(path);
    status = 1;
    return;
  }
  struct entry *v = NULL;
  size_t n = 0, cap = 0;
  if (all) {  // some runtimes' fd_readdir leaves these two out, so they are added here
    add(&v, &n, &cap, path, ".");
    add(&v, &n, &cap, path, "..");
  }
  errno = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL; errno = 0) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (e->d_name[0] == '.' && !all) continue;
    add(&v, &n, &cap, path, e->d_name);
  }
  if (errno != 0) {
    complain(path);
    status = 1;
  }
  closedir(d);
  qsort(v, n, sizeof *v, by_name);
  show(v, n);
  free_entries(v, n);
}

int main(int argc, char **argv) {
  progname = "ls";
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'a') all = 1;
      else if (*p == 'l') longform = 1;
      else if (*p != '1') {
        fprintf(stderr, "ls: invalid option -- '%c'\n", *p);
        return 2;
      }
    }
  }
  now = time(NULL);
  char *dot = ".";
  char **operands = i < argc ? argv + i : &dot;
  int count = i < argc ? argc - i : 1;
  // Operands: files into one listing, directories listed after it, by name.
  struct entry *files = NULL, *dirs = NULL;
  size_t nfiles = 0, fcap = 0, ndirs = 0, dcap = 0;
  for (int k = 0; k < count; k++) {
    struct stat st;
    if (stat(operands[k], &st) != 0 && lstat(operands[k], &st) != 0) {
      complain(operands[k]);
      status = 1;
    } else if (S_ISDIR(st.st_mode)) {
      add(&dirs, &ndirs, &dcap, NULL, operands[k]);
    } else {
      add(&files, &nfiles, &fcap, NULL, operands[k]);
      struct entry *e = &files[nfiles - 1];
      if (longform && !(e->ok = lstat(e->path, &e->st) == 0)) complain(e->path), status = 1;
    }
  }
  if (nfiles) qsort(files, nfiles, sizeof *files, by_name);
  if (ndirs) qsort(dirs, ndirs, sizeof *dirs, by_name);
  show(files, nfiles);
  for (size_t k = 0; k < ndirs; k++) {
    if (nfiles > 0 || k > 0) putchar('\n');
    if (count > 1) printf("%s:\n", dirs[k].name);
    list_dir(dirs[k].path);
  }
  free_entries(files, nfiles);
  free_entries(dirs, ndirs);
  return finish(status);
}
