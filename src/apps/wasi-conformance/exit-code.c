/* exit-code: exits with the status given in argv[1] through libc's exit(), i.e. proc_exit.
 * Userland C on wasi-libc (apps layer); used to check that a runtime reports the status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: exit-code STATUS\n", stderr);
    return 2;
  }
  fflush(stdout);
  exit(atoi(argv[1]));
}
