/* args-env: args_sizes_get/args_get and environ_sizes_get/environ_get, raw and through libc.
 * Userland C (apps layer). Run it as: args-env MODE alpha "beta gamma" "" "ü→✓", where MODE
 * is with-env (the environment holds CONF_A=1 CONF_EMPTY= CONF_EQ=a=b=c CONF_UTF8=ü→✓, and
 * maybe more) or empty-env (the environment must be empty). Sizes count UTF-8 bytes. */
#include "conformance.h"

static const char *const want_args[] = {"alpha", "beta gamma", "", "\xc3\xbc\xe2\x86\x92\xe2\x9c\x93"};
#define WANT_ARGC 6 /* argv[0], MODE, then want_args */
static const char *const want_env[] = {"CONF_A=1", "CONF_EMPTY=", "CONF_EQ=a=b=c",
                                       "CONF_UTF8=\xc3\xbc\xe2\x86\x92\xe2\x9c\x93"};
#define GUARD 0xA5

/* Checks that the pointers written by args_get/environ_get are consecutive NUL-terminated
 * strings filling exactly [buf, buf + size), and that nothing past either array was written. */
static void check_layout(const char *name, uint8_t **ptrs, size_t count, const uint8_t *buf,
                         size_t size) {
  const uint8_t *expect = buf;
  for (size_t i = 0; i < count; i++) {
    if (ptrs[i] != expect) {
      fail(name, "entry %zu starts at offset %ld, expected %ld", i, (long)(ptrs[i] - buf),
           (long)(expect - buf));
      return;
    }
    const uint8_t *nul = memchr(expect, 0, size - (size_t)(expect - buf));
    if (nul == NULL) {
      fail(name, "entry %zu is not NUL-terminated inside the buffer", i);
      return;
    }
    expect = nul + 1;
  }
  if (expect != buf + size) {
    fail(name, "strings use %ld bytes, sizes_get said %zu", (long)(expect - buf), size);
    return;
  }
  if (buf[size] != GUARD || buf[size + 1] != GUARD) {
    fail(name, "the string buffer was written past its size");
    return;
  }
  if ((uintptr_t)ptrs[count] != 0xA5A5A5A5u) {
    fail(name, "the pointer array was written past its count");
    return;
  }
  pass(name);
}

static void test_args(int argc, char **argv) {
  __wasi_size_t count = 0, size = 0;
  if (!expect_ok("args-sizes-get", __wasi_args_sizes_get(&count, &size))) return;
  check("args-count", count == WANT_ARGC, "argc %u, expected %d (run with MODE and the 4 documented args)",
        (unsigned)count, WANT_ARGC);
  /* After argv[0] and MODE, each with its NUL: 6 + 11 + 1 + 9 bytes ("ü→✓" is 3 characters
   * in 8 UTF-8 bytes): the sizes count bytes, not characters. */
  size_t want_size = strlen(argv[0]) + 1 + (argc > 1 ? strlen(argv[1]) + 1 : 0) + 6 + 11 + 1 + 9;
  check("args-sizes-utf8", size == want_size, "buffer size %u, expected %zu", (unsigned)size,
        want_size);
  uint8_t **ptrs = malloc((count + 1) * sizeof *ptrs);
  uint8_t *buf = malloc(size + 2);
  memset(ptrs, 0xA5, (count + 1) * sizeof *ptrs);
  memset(buf, GUARD, size + 2);
  if (!expect_ok("args-get", __wasi_args_get(ptrs, buf))) return;
  check_layout("args-get-layout", ptrs, count, buf, size);
  int ok = count == WANT_ARGC;
  for (size_t i = 2; ok && i < count; i++) ok = strcmp((char *)ptrs[i], want_args[i - 2]) == 0;
  check("args-values", ok, "argv[1..] differ from the documented args (UTF-8 and empty included)");
  ok = argc == (int)count;
  for (int i = 0; ok && i < argc; i++) ok = strcmp(argv[i], (char *)ptrs[i]) == 0;
  check("args-libc", ok, "libc's argc/argv differ from args_get");
}

static int env_count(uint8_t **ptrs, size_t count, const char *entry) {
  int n = 0;
  for (size_t i = 0; i < count; i++) n += strcmp((char *)ptrs[i], entry) == 0;
  return n;
}

/* With no environment given, both sizes are 0 and environ_get writes nothing. */
static void test_empty_environ(void) {
  __wasi_size_t count = 99, size = 99;
  uint8_t *ptrs[1] = {(uint8_t *)0xA5A5A5A5u}, buf[1] = {GUARD};
  if (!expect_ok("environ-sizes-get", __wasi_environ_sizes_get(&count, &size))) return;
  check("environ-empty", count == 0 && size == 0, "%u entries in %u bytes, expected none",
        (unsigned)count, (unsigned)size);
  __wasi_errno_t e = __wasi_environ_get(ptrs, buf);
  check("environ-get-empty", e == 0 && (uintptr_t)ptrs[0] == 0xA5A5A5A5u && buf[0] == GUARD,
        "%s, or it wrote into the buffers", errname(e));
  check("environ-libc-unset", getenv("CONF_A") == NULL && getenv("PATH") == NULL,
        "getenv found a variable in an empty environment");
}

static void test_environ(void) {
  __wasi_size_t count = 0, size = 0;
  if (!expect_ok("environ-sizes-get", __wasi_environ_sizes_get(&count, &size))) return;
  uint8_t **ptrs = malloc((count + 1) * sizeof *ptrs);
  uint8_t *buf = malloc(size + 2);
  memset(ptrs, 0xA5, (count + 1) * sizeof *ptrs);
  memset(buf, GUARD, size + 2);
  if (!expect_ok("environ-get", __wasi_environ_get(ptrs, buf))) return;
  check_layout("environ-get-layout", ptrs, count, buf, size);
  for (size_t i = 0; i < sizeof want_env / sizeof want_env[0]; i++) {
    int n = env_count(ptrs, count, want_env[i]);
    if (n != 1) {
      fail("environ-values", "%s appears %d times", want_env[i], n);
      break;
    }
    if (i + 1 == sizeof want_env / sizeof want_env[0]) pass("environ-values");
  }
  const char *eq = getenv("CONF_EQ"), *empty = getenv("CONF_EMPTY");
  check("environ-libc-getenv", eq && strcmp(eq, "a=b=c") == 0 && empty && *empty == 0,
        "getenv(CONF_EQ)=%s getenv(CONF_EMPTY)=%s", eq ? eq : "(null)",
        empty ? "\"\"" : "(null)");
  check("environ-libc-unset", getenv("CONF_NOT_SET") == NULL, "getenv of an unset name");
}

int main(int argc, char **argv) {
  conf_begin();
  test_args(argc, argv);
  if (argc > 1 && strcmp(argv[1], "empty-env") == 0)
    test_empty_environ();
  else if (argc > 1 && strcmp(argv[1], "with-env") == 0)
    test_environ();
  else
    fail("mode", "argv[1] must be with-env or empty-env");
  return conf_end();
}
