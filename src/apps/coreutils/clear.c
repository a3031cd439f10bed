// clear: homes the cursor, clears the screen and the scrollback.
#include "util.h"

int main(void) {
  progname = "clear";
  static const char seq[] = "\x1b[H\x1b[2J\x1b[3J";
  if (write_all(1, seq, sizeof seq - 1) != 0) {
    complain("write error");
    return 1;
  }
  return 0;
}
