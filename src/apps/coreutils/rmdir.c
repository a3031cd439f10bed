// rmdir DIR...: removes each empty directory.
#include "util.h"

int main(int argc, char **argv) {
  progname = "rmdir";
  if (argc < 2) return usage("missing operand");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (rmdir(argv[i]) != 0) {
      complain(argv[i]);
      status = 1;
    }
  }
  return status;
}
