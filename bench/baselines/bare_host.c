/* bare_host: the floor for a native messaging host. It reads 4-byte native-order length + JSON frames on
 * standard input and answers each with a fixed small frame, doing nothing else: no JSON parsing, no storage,
 * no logging, no C++ runtime. Issue 9 measures temoin-host's cold start and ingest against it.
 *
 * The reply echoes the request's "id" value when it can find one cheaply (so a driver can match replies), as
 * {"v":1,"re":"ID","ok":true}. Built with plain C and libc only. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int read_full(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static int write_full(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static char body[1 << 20];

int main(void) {
  char out[256];
  for (;;) {
    uint32_t len;
    if (read_full(0, &len, 4) != 0) return 0;
    if (len > sizeof body) return 2;
    if (read_full(0, body, len) != 0) return 0;
    /* find "id":"..." */
    const char *id = "";
    size_t id_len = 0;
    char *k = memmem(body, len, "\"id\":\"", 6);
    if (k != NULL) {
      id = k + 6;
      char *end = memchr(id, '"', (size_t)(body + len - id));
      if (end != NULL && end - id < 100) id_len = (size_t)(end - id);
    }
    int n = snprintf(out + 4, sizeof out - 4, "{\"v\":1,\"re\":\"%.*s\",\"ok\":true}", (int)id_len, id);
    uint32_t olen = (uint32_t)n;
    memcpy(out, &olen, 4);
    if (write_full(1, out, 4 + (size_t)n) != 0) return 0;
  }
}
