/* raise: proc_raise. Signal NONE sends nothing and succeeds (kill(pid, 0)); an unknown
 * signal is INVAL. Run as `raise term`, it raises TERM, whose default action ends the
 * program: the harness expects no DONE line and a failing status. Userland C (apps layer);
 * wasi-libc no longer declares proc_raise, so the import is declared here. */
#include <string.h>

#include "conformance.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t
raw_proc_raise(int32_t sig);

#define SIGNAL_NONE 0
#define SIGNAL_TERM 15 /* preview1 numbering: HUP=1 ... USR2=12, PIPE=13, ALRM=14, TERM=15 */

int main(int argc, char **argv) {
  conf_begin();
  if (argc > 1 && strcmp(argv[1], "term") == 0) {
    printf("RAISING TERM\n");
    __wasi_errno_t e = (__wasi_errno_t)raw_proc_raise(SIGNAL_TERM);
    fail("raise-term-terminates", "proc_raise(TERM) returned %s", errname(e));
    return conf_end();
  }
  expect_ok("raise-none", (__wasi_errno_t)raw_proc_raise(SIGNAL_NONE));
  expect_err("raise-invalid", (__wasi_errno_t)raw_proc_raise(200), __WASI_ERRNO_INVAL);
  expect_err("raise-invalid-negative", (__wasi_errno_t)raw_proc_raise(-1), __WASI_ERRNO_INVAL);
  return conf_end();
}
