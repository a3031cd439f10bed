// env [NAME=VALUE...]: prints the environment, one NAME=VALUE a line, with the given
// assignments applied. Running a command is not supported (WASI has no processes).
#include <stdlib.h>
#include "util.h"

extern char **environ;

int main(int argc, char **argv) {
  progname = "env";
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq || eq == argv[i]) {
      fprintf(stderr, "env: %s: running a command is not supported\n", argv[i]);
      return 126;
    }
    *eq = '\0';
    if (setenv(argv[i], eq + 1, 1) != 0) {
      complain(argv[i]);
      return 1;
    }
    *eq = '=';
  }
  if (environ)
    for (char **e = environ; *e; e++) puts(*e);
  return finish(0);
}
