// echo [-n] [WORD...]: the words, separated by spaces, and a newline unless -n.
#include <string.h>
#include "util.h"

int main(int argc, char **argv) {
  progname = "echo";
  int i = 1, newline = 1;
  if (i < argc && strcmp(argv[i], "-n") == 0) {
    newline = 0;
    i++;
  }
  for (; i < argc; i++) {
    if (fputs(argv[i], stdout) < 0 || (i + 1 < argc && putchar(' ') < 0)) break;
  }
  if (newline) putchar('\n');
  if (fflush(stdout) != 0) {
    complain("write error");
    return 1;
  }
  return 0;
}
