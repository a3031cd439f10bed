/* poll: poll_oneoff with clock subscriptions (relative, absolute, several at once, zero),
 * fd_read/fd_write on regular files (ready at once), mixes of both, and bad subscriptions.
 * Userland C (apps layer), raw calls; run as: poll [PREOPEN]. Timing bounds are loose:
 * a check asserts an order or a lower bound, never a tight upper one. */
#include "conformance.h"

#define MS 1000000ULL

static __wasi_fd_t dir; /* the scratch directory */

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id,
                                       __wasi_timestamp_t timeout, __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.precision = 0;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type,
                                    __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  if (type == __WASI_EVENTTYPE_FD_READ)
    s.u.u.fd_read.file_descriptor = fd;
  else
    s.u.u.fd_write.file_descriptor = fd;
  return s;
}

/* The event for userdata ud among the n returned, or NULL. */
static const __wasi_event_t *event_for(const __wasi_event_t *ev, __wasi_size_t n,
                                       __wasi_userdata_t ud) {
  for (__wasi_size_t i = 0; i < n; i++)
    if (ev[i].userdata == ud) return &ev[i];
  return NULL;
}

/* Polls and returns the monotonic time it took; *n is the event count. */
static __wasi_errno_t poll_timed(const __wasi_subscription_t *subs, __wasi_size_t count,
                                 __wasi_event_t *ev, __wasi_size_t *n, __wasi_timestamp_t *took) {
  __wasi_timestamp_t t0 = now_ns(__WASI_CLOCKID_MONOTONIC);
  memset(ev, 0xEE, count * sizeof *ev);
  *n = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, count, n);
  *took = now_ns(__WASI_CLOCKID_MONOTONIC) - t0;
  return e;
}

/* An absolute deadline 15 ms ahead on clock id: the call returns at or after it. */
static void poll_absolute(const char *name, __wasi_clockid_t id) {
  __wasi_subscription_t sub;
  __wasi_event_t ev;
  __wasi_size_t n;
  __wasi_timestamp_t took;
  if (skipped(name)) return;
  __wasi_timestamp_t at = now_ns(id) + 15 * MS;
  sub = clock_sub(5, id, at, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  __wasi_errno_t e = poll_timed(&sub, 1, &ev, &n, &took);
  __wasi_timestamp_t after = now_ns(id);
  check(name, e == 0 && n == 1 && ev.userdata == 5 && ev.error == 0 && after >= at,
        "%s, %u events, woke %lld ns before the deadline", errname(e), (unsigned)n,
        (long long)(at - after));
}

static void test_clocks(void) {
  __wasi_subscription_t subs[4];
  __wasi_event_t ev[4];
  __wasi_size_t n;
  __wasi_timestamp_t took;

  subs[0] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0);
  __wasi_errno_t e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-clock-relative",
        e == 0 && n == 1 && ev[0].userdata == 11 && ev[0].type == __WASI_EVENTTYPE_CLOCK &&
            ev[0].error == 0 && took >= 10 * MS,
        "%s, %u events, took %llu ns", errname(e), (unsigned)n, (unsigned long long)took);

  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0);
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-clock-zero", e == 0 && n == 1 && ev[0].userdata == 1 && ev[0].error == 0,
        "%s, %u events", errname(e), (unsigned)n);

  /* Three timeouts: the first to expire (20 ms) wakes the call; the 2 s one cannot have. */
  subs[0] = clock_sub(30, __WASI_CLOCKID_MONOTONIC, 2000 * MS, 0);
  subs[1] = clock_sub(10, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
  subs[2] = clock_sub(20, __WASI_CLOCKID_REALTIME, 1000 * MS, 0);
  e = poll_timed(subs, 3, ev, &n, &took);
  const __wasi_event_t *first = event_for(ev, n, 10);
  check("poll-clock-several",
        e == 0 && n >= 1 && n <= 3 && first && first->error == 0 &&
            first->type == __WASI_EVENTTYPE_CLOCK && took >= 20 * MS &&
            (event_for(ev, n, 30) == NULL || took >= 2000 * MS),
        "%s, %u events, 20 ms one %s, took %llu ns", errname(e), (unsigned)n,
        first ? "present" : "missing", (unsigned long long)took);

  poll_absolute("poll-clock-absolute-monotonic", __WASI_CLOCKID_MONOTONIC);
  poll_absolute("poll-clock-absolute-realtime", __WASI_CLOCKID_REALTIME);

  if (skipped("poll-clock-absolute-past")) return;
  __wasi_timestamp_t at = now_ns(__WASI_CLOCKID_REALTIME) - 1000 * MS;
  subs[0] = clock_sub(6, __WASI_CLOCKID_REALTIME, at, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-clock-absolute-past", e == 0 && n == 1 && ev[0].userdata == 6 && took < 1000 * MS,
        "%s, %u events, took %llu ns", errname(e), (unsigned)n, (unsigned long long)took);
}

static void test_files(void) {
  __wasi_subscription_t subs[3];
  __wasi_event_t ev[3];
  __wasi_size_t n;
  __wasi_timestamp_t took;
  __wasi_fd_t fd;
  if (!expect_ok("poll-setup", make_file(dir, "p", "0123456789"))) return;
  if (!expect_ok("poll-open", open_file(dir, "p", 0, 0, &fd))) return;

  subs[0] = fd_sub(7, __WASI_EVENTTYPE_FD_READ, fd);
  __wasi_errno_t e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-fd-read-file",
        e == 0 && n == 1 && ev[0].userdata == 7 && ev[0].type == __WASI_EVENTTYPE_FD_READ &&
            ev[0].error == 0,
        "%s, %u events, type %u, error %s", errname(e), (unsigned)n, ev[0].type,
        errname(ev[0].error));
  check("poll-fd-read-nbytes", e == 0 && n == 1 && ev[0].fd_readwrite.nbytes == 10,
        "nbytes %llu, expected the 10 bytes left to read", (unsigned long long)ev[0].fd_readwrite.nbytes);

  subs[0] = fd_sub(8, __WASI_EVENTTYPE_FD_WRITE, fd);
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-fd-write-file",
        e == 0 && n == 1 && ev[0].userdata == 8 && ev[0].type == __WASI_EVENTTYPE_FD_WRITE &&
            ev[0].error == 0,
        "%s, %u events, type %u, error %s", errname(e), (unsigned)n, ev[0].type,
        errname(ev[0].error));

  /* A ready file beside a 5 s timeout: the call returns at once with the file's events. */
  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
  subs[1] = fd_sub(2, __WASI_EVENTTYPE_FD_READ, fd);
  subs[2] = fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, fd);
  e = poll_timed(subs, 3, ev, &n, &took);
  check("poll-fd-and-clock",
        e == 0 && n == 2 && event_for(ev, n, 2) && event_for(ev, n, 3) && took < 5000 * MS,
        "%s, %u events, took %llu ns", errname(e), (unsigned)n, (unsigned long long)took);

  /* An fd without POLL_FD_READWRITE cannot be polled. */
  __wasi_fd_t weak;
  if (__wasi_path_open(dir, 0, "p", 0, __WASI_RIGHTS_FD_READ, 0, 0, &weak) == 0) {
    subs[0] = fd_sub(4, __WASI_EVENTTYPE_FD_READ, weak);
    e = poll_timed(subs, 1, ev, &n, &took);
    check("poll-fd-without-right", e == 0 && n == 1 && ev[0].userdata == 4 && ev[0].error == __WASI_ERRNO_NOTCAPABLE,
          "%s, %u events, error %s", errname(e), (unsigned)n, errname(ev[0].error));
    (void)__wasi_fd_close(weak);
  }
  (void)__wasi_fd_close(fd);
}

/* A bad subscription is reported in its own event; only a malformed call as a whole (no
 * subscriptions) fails the call. */
static void test_errors(void) {
  __wasi_subscription_t subs[2];
  __wasi_event_t ev[2];
  __wasi_size_t n;
  __wasi_timestamp_t took;

  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, 0, &n);
  expect_err("poll-no-subscriptions", e, __WASI_ERRNO_INVAL);

  subs[0] = fd_sub(9, __WASI_EVENTTYPE_FD_READ, BAD_FD);
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-fd-badf", e == 0 && n == 1 && ev[0].userdata == 9 && ev[0].error == __WASI_ERRNO_BADF &&
                            ev[0].type == __WASI_EVENTTYPE_FD_READ,
        "%s, %u events, error %s", errname(e), (unsigned)n, errname(ev[0].error));

  subs[0] = clock_sub(12, 99, 1 * MS, 0);
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-clock-bad-id", e == 0 && n == 1 && ev[0].userdata == 12 && ev[0].error == __WASI_ERRNO_INVAL,
        "%s, %u events, error %s", errname(e), (unsigned)n, errname(ev[0].error));

  subs[0] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, 1 * MS, 0);
  subs[0].u.tag = 3; /* no such event type */
  e = poll_timed(subs, 1, ev, &n, &took);
  check("poll-bad-tag", e == __WASI_ERRNO_INVAL || (e == 0 && n == 1 && ev[0].error == __WASI_ERRNO_INVAL),
        "%s, %u events, error %s", errname(e), (unsigned)n, errname(ev[0].error));

  /* A bad subscription beside a good one: both are answered, the good one normally. */
  subs[0] = fd_sub(14, __WASI_EVENTTYPE_FD_WRITE, BAD_FD);
  subs[1] = clock_sub(15, __WASI_CLOCKID_MONOTONIC, 1 * MS, 0);
  e = poll_timed(subs, 2, ev, &n, &took);
  const __wasi_event_t *bad = event_for(ev, n, 14);
  check("poll-badf-beside-clock", e == 0 && n >= 1 && bad && bad->error == __WASI_ERRNO_BADF,
        "%s, %u events, bad fd's event %s", errname(e), (unsigned)n, bad ? errname(bad->error) : "missing");
}

int main(int argc, char **argv) {
  scratch_t s;
  conf_begin();
  test_clocks();
  test_errors();
  if (!scratch_open(&s, "poll", argc, argv)) return conf_end();
  dir = s.dir;
  test_files();
  scratch_close(&s);
  return conf_end();
}
