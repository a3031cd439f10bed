/* hello: prints "hello, world" and exits 0 — the smallest WASI command, the program the
 * spawn benchmark starts. Userland C on wasi-libc (apps layer); trusts only stdout. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
