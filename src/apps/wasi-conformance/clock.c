/* clock: clock_res_get and clock_time_get for all four preview1 clocks, invalid ids, and
 * libc's clock_gettime/time/nanosleep on top. Userland C (apps layer); trusts nothing. */
#include <time.h>

#include "conformance.h"

static const struct {
  __wasi_clockid_t id;
  const char *name;
} clocks[] = {{__WASI_CLOCKID_REALTIME, "realtime"},
              {__WASI_CLOCKID_MONOTONIC, "monotonic"},
              {__WASI_CLOCKID_PROCESS_CPUTIME_ID, "process-cputime"},
              {__WASI_CLOCKID_THREAD_CPUTIME_ID, "thread-cputime"}};

/* 2020-01-01 and 2100-01-01 in ns since the epoch. */
#define Y2020 (1577836800ULL * NS_PER_SEC)
#define Y2100 (4102444800ULL * NS_PER_SEC)

static void test_res(void) {
  char name[64];
  for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
    __wasi_timestamp_t res = 0;
    __wasi_errno_t e = __wasi_clock_res_get(clocks[i].id, &res);
    snprintf(name, sizeof name, "clock-res-%s", clocks[i].name);
    check(name, e == 0 && res > 0 && res <= NS_PER_SEC, "%s, resolution %llu ns", errname(e),
          (unsigned long long)res);
  }
}

/* Every clock reads without error and never goes backwards over many reads (realtime may
 * step, but not within a few microseconds on a sane host). */
static void test_time(void) {
  char name[64];
  for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
    __wasi_timestamp_t prev = 0, t = 0;
    __wasi_errno_t e = 0;
    int back = 0;
    for (int n = 0; n < 1000 && e == 0; n++) {
      e = __wasi_clock_time_get(clocks[i].id, 1, &t);
      if (t < prev) back++;
      prev = t;
    }
    snprintf(name, sizeof name, "clock-time-%s", clocks[i].name);
    check(name, e == 0 && back == 0, "%s, went backwards %d times in 1000 reads", errname(e), back);
  }
  __wasi_timestamp_t rt = now_ns(__WASI_CLOCKID_REALTIME);
  check("clock-realtime-plausible", rt > Y2020 && rt < Y2100, "realtime %llu ns is not 2020..2100",
        (unsigned long long)rt);
}

static void test_invalid(void) {
  __wasi_timestamp_t t;
  expect_err("clock-res-invalid-id", __wasi_clock_res_get(4, &t), __WASI_ERRNO_INVAL);
  expect_err("clock-time-invalid-id", __wasi_clock_time_get(4, 1, &t), __WASI_ERRNO_INVAL);
  expect_err("clock-time-invalid-id-max", __wasi_clock_time_get(0xFFFFFFFFu, 1, &t),
             __WASI_ERRNO_INVAL);
}

/* Spins until monotonic has moved 2 ms; realtime must move by about as much, and the
 * process CPU clock must move too (the spin is CPU time). */
static void test_advance(void) {
  __wasi_timestamp_t m0 = now_ns(__WASI_CLOCKID_MONOTONIC), r0 = now_ns(__WASI_CLOCKID_REALTIME);
  __wasi_timestamp_t c0 = now_ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID), m1 = m0;
  for (long n = 0; n < 200000000L && m1 - m0 < 2000000; n++) m1 = now_ns(__WASI_CLOCKID_MONOTONIC);
  __wasi_timestamp_t r1 = now_ns(__WASI_CLOCKID_REALTIME);
  __wasi_timestamp_t c1 = now_ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
  long long dm = (long long)(m1 - m0), dr = (long long)(r1 - r0);
  check("clock-monotonic-advances", dm >= 2000000, "monotonic moved %lld ns", dm);
  check("clock-realtime-tracks-monotonic", dr >= dm / 2 && dr <= dm * 2 + 50000000LL,
        "realtime moved %lld ns while monotonic moved %lld ns", dr, dm);
  check("clock-process-cputime-advances", c1 > c0, "process CPU time %llu -> %llu",
        (unsigned long long)c0, (unsigned long long)c1);
}

static void test_libc(void) {
  struct timespec ts;
  int r = clock_gettime(CLOCK_MONOTONIC, &ts);
  check("libc-clock-gettime", r == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L,
        "clock_gettime returned %d", r);
  time_t now = time(NULL);
  long long rt = (long long)(now_ns(__WASI_CLOCKID_REALTIME) / NS_PER_SEC);
  check("libc-time", now > 0 && rt - (long long)now <= 2 && (long long)now - rt <= 2,
        "time()=%lld realtime=%lld s", (long long)now, rt);
  __wasi_timestamp_t m0 = now_ns(__WASI_CLOCKID_MONOTONIC);
  struct timespec req = {0, 15000000L};
  r = nanosleep(&req, NULL);
  __wasi_timestamp_t slept = now_ns(__WASI_CLOCKID_MONOTONIC) - m0;
  check("libc-nanosleep", r == 0 && slept >= 15000000ULL && slept < 5 * NS_PER_SEC,
        "nanosleep(15 ms) returned %d after %llu ns", r, (unsigned long long)slept);
}

int main(void) {
  conf_begin();
  test_res();
  test_time();
  test_invalid();
  test_advance();
  test_libc();
  return conf_end();
}
