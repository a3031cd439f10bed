/* misc: random_get (sizes up to 256 KiB, past the browser's 64 KiB getRandomValues limit),
 * sched_yield, and the sock_* calls on stdin, a directory and a bad fd, which must answer an
 * errno and never trap. Userland C (apps layer), raw calls; run as: misc [PREOPEN]. */
#include "conformance.h"

static int distinct_bytes(const uint8_t *p, size_t n) {
  uint8_t seen[256] = {0};
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    count += !seen[p[i]];
    seen[p[i]] = 1;
  }
  return count;
}

static void test_random(void) {
  static uint8_t big[256 * 1024];
  uint8_t a[32] = {0}, b[32] = {0}, guard[4] = {0x5A, 0x5A, 0x5A, 0x5A};
  expect_ok("random-zero-length", __wasi_random_get(a, 0));
  __wasi_errno_t e1 = __wasi_random_get(a, sizeof a), e2 = __wasi_random_get(b, sizeof b);
  check("random-fills", e1 == 0 && distinct_bytes(a, sizeof a) > 8, "%s, %d distinct bytes in 32",
        errname(e1), distinct_bytes(a, sizeof a));
  check("random-differs", e1 == 0 && e2 == 0 && memcmp(a, b, sizeof a) != 0,
        "two 32-byte reads were equal");
  e1 = __wasi_random_get(guard, 2);
  check("random-exact-length", e1 == 0 && guard[2] == 0x5A && guard[3] == 0x5A,
        "%s, or bytes past the length were written", errname(e1));
  e1 = __wasi_random_get(big, sizeof big);
  int worst = 256;
  for (size_t off = 0; e1 == 0 && off < sizeof big; off += 16384) {
    int d = distinct_bytes(big + off, 16384);
    if (d < worst) worst = d;
  }
  check("random-large", e1 == 0 && worst > 240,
        "%s, a 16 KiB chunk of a 256 KiB read had only %d distinct byte values", errname(e1),
        worst);
}

/* Not a socket (stdin, a directory) or not an fd at all: NOTSOCK or BADF; NOTCAPABLE
 * from a runtime that checks the SOCK_* rights first (no non-socket fd holds them), or
 * NOTSUP from one without sockets. Never success, never a trap. */
static int sock_errno_ok(__wasi_errno_t e) {
  return e == __WASI_ERRNO_NOTSOCK || e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_NOTCAPABLE ||
         e == __WASI_ERRNO_NOTSUP;
}

static void test_sock_on(__wasi_fd_t fd, const char *suffix) {
  char name[64];
  uint8_t data[8] = {0};
  __wasi_iovec_t iov = {data, sizeof data};
  __wasi_ciovec_t ciov = {data, sizeof data};
  __wasi_size_t n = 0;
  __wasi_roflags_t ro = 0;
  __wasi_fd_t out = 0;
  __wasi_errno_t e;

  snprintf(name, sizeof name, "sock-accept-%s", suffix);
  if (!skipped(name)) {
    e = __wasi_sock_accept(fd, 0, &out);
    check(name, sock_errno_ok(e), "got %s", errname(e));
  }
  snprintf(name, sizeof name, "sock-recv-%s", suffix);
  if (!skipped(name)) {
    e = __wasi_sock_recv(fd, &iov, 1, 0, &n, &ro);
    check(name, sock_errno_ok(e), "got %s", errname(e));
  }
  snprintf(name, sizeof name, "sock-send-%s", suffix);
  if (!skipped(name)) {
    e = __wasi_sock_send(fd, &ciov, 1, 0, &n);
    check(name, sock_errno_ok(e), "got %s", errname(e));
  }
  snprintf(name, sizeof name, "sock-shutdown-%s", suffix);
  if (!skipped(name)) {
    e = __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR);
    check(name, sock_errno_ok(e), "got %s", errname(e));
  }
}

int main(int argc, char **argv) {
  char name[256];
  conf_begin();
  test_random();
  expect_ok("sched-yield", __wasi_sched_yield());
  test_sock_on(0, "stdin");
  long pre = find_preopen(argc > 1 ? argv[1] : NULL, name, sizeof name);
  if (check("sock-preopen-found", pre >= 0, "no preopened directory to try sock_* on"))
    test_sock_on((__wasi_fd_t)pre, "directory");
  test_sock_on(BAD_FD, "badfd");
  return conf_end();
}
