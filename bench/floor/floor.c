/*
 * The harness floor: the least a Lambda runtime can do, in C over a raw socket. It answers hello's event
 * (a JSON string, upper-cased) through the same Runtime API calls as the .NET clients, so its cold start is
 * what the emulator, the process spawn and the loopback HTTP cost before any runtime does any work.
 * Built by bench/floor.ts with `clang -O2`; not a product, and it handles only what the emulator sends.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[1 << 20];

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void send_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, data, len, 0);
    if (n <= 0) die("send");
    data += n;
    len -= (size_t)n;
  }
}

/* Reads until buf holds `want` bytes from `from`, or fails. */
static size_t fill(int fd, size_t have, size_t want) {
  while (have < want) {
    ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
    if (n <= 0) die("recv");
    have += (size_t)n;
  }
  buf[have] = 0;
  return have;
}

/* Reads until buf holds `marker` after `from`; returns where it starts. */
static char *fill_until(int fd, size_t *have, size_t from, const char *marker) {
  char *at;
  while (!(at = strstr(buf + from, marker))) *have = fill(fd, *have, *have + 1);
  return at;
}

/*
 * Reads one HTTP response into buf and returns its body (NUL-terminated), with a Content-Length or chunked
 * (Node sends the event chunked), and copies the request id header. One response at a time, no pipelining.
 */
static char *read_response(int fd, char *request_id, size_t id_size) {
  size_t have = fill(fd, 0, 1);
  char *end = fill_until(fd, &have, 0, "\r\n\r\n");
  size_t length = 0;
  int chunked = 0;
  for (char *line = strstr(buf, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
    if (strncasecmp(line, "content-length:", 15) == 0) length = strtoul(line + 15, NULL, 10);
    if (strncasecmp(line, "transfer-encoding:", 18) == 0 && strstr(line, "chunked") < strstr(line, "\r\n")) chunked = 1;
    if (request_id && strncasecmp(line, "lambda-runtime-aws-request-id:", 30) == 0) {
      const char *v = line + 30;
      while (*v == ' ') v++;
      size_t n = strcspn(v, "\r");
      if (n >= id_size) n = id_size - 1;
      memcpy(request_id, v, n);
      request_id[n] = 0;
    }
  }
  size_t body = (size_t)(end + 4 - buf);
  if (!chunked) {
    fill(fd, have, body + length);
    buf[body + length] = 0;
    return buf + body;
  }
  /* Chunks are copied down over their size lines, so the body ends up contiguous at buf + body. */
  size_t out = body, at = body;
  for (;;) {
    char *line_end = fill_until(fd, &have, at, "\r\n");
    size_t size = strtoul(buf + at, NULL, 16);
    size_t data = (size_t)(line_end + 2 - buf);
    have = fill(fd, have, data + size + 2);
    if (size == 0) break;
    memmove(buf + out, buf + data, size);
    out += size;
    at = data + size + 2;
  }
  buf[out] = 0;
  return buf + body;
}

int main(void) {
  const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
  if (!api) return 1;
  char host[64];
  snprintf(host, sizeof host, "%s", api);
  char *colon = strchr(host, ':');
  if (!colon) return 1;
  *colon = 0;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1))};
  inet_pton(AF_INET, host, &addr.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("connect");
  /* As .NET's SocketsHttpHandler: without it, Nagle holds the body back for the header's delayed ACK (40 ms). */
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char request[512], id[128], answer[1 << 16];
  for (;;) {
    int n = snprintf(request, sizeof request, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
    send_all(fd, request, (size_t)n);
    char *event = read_response(fd, id, sizeof id);
    size_t length = strlen(event);
    if (length >= sizeof answer) length = sizeof answer - 1;
    for (size_t i = 0; i < length; i++) answer[i] = (char)toupper((unsigned char)event[i]);
    n = snprintf(request, sizeof request,
                 "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                 id, api, length);
    send_all(fd, request, (size_t)n);
    send_all(fd, answer, length);
    read_response(fd, NULL, 0);
  }
}
