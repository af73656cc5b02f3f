/* The C lane of the runtime matrix (runtime-matrix/README.md): every case through the public
 * header only (sdm_verify, sdm_module_load, sdm_module_invoke_*, sdm_module_run; the invoke
 * result through the ABI's JSON entry points sdm_invoke_request_from_json and
 * sdm_invoke_response_to_json), one result JSON per case.
 *
 * usage: sdm-matrix-c CASES_DIR OUT_DIR (cwd = the artifacts directory)
 *
 * The case files, key files and the library's response JSON are read with the small JSON
 * reader below (a tree of values); results are written with sorted keys. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "space_data_module.h"

/* ---- failure of the runner itself (a broken case, a missing file): exit 1 ---- */

static const char *current_case = "";

static void die(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "sdm-matrix-c: %s: ", current_case);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  exit(1);
}

static void *xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p) die("out of memory");
  return p;
}

static void *xrealloc(void *p, size_t size) {
  p = realloc(p, size ? size : 1);
  if (!p) die("out of memory");
  return p;
}

/* ---- a growable byte buffer ---- */

typedef struct {
  char *data;
  size_t len, cap;
} buf;

static void put(buf *b, const void *data, size_t len) {
  if (b->len + len + 1 > b->cap) {
    b->cap = (b->len + len + 1) * 2;
    b->data = xrealloc(b->data, b->cap);
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
}

static void puts_(buf *b, const char *text) { put(b, text, strlen(text)); }

static void printf_(buf *b, const char *format, ...) {
  char tmp[64];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(tmp, sizeof tmp, format, args);
  va_end(args);
  if (n < 0 || (size_t)n >= sizeof tmp) die("formatting failed");
  put(b, tmp, (size_t)n);
}

static char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, file)) > 0) put(&b, chunk, n);
  int failed = ferror(file);
  fclose(file);
  if (failed) {
    free(b.data);
    return NULL;
  }
  if (!b.data) put(&b, "", 0);
  *len = b.len;
  return b.data;
}

/* ---- JSON values ---- */

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jtype;

typedef struct json json;
struct json {
  jtype type;
  int boolean;
  char *text; /* a number's source text, a string's bytes (NUL-terminated; may hold NULs) */
  size_t len; /* a string's byte length */
  json **items; /* array items, object values */
  char **keys;  /* object keys */
  size_t count;
};

static void json_free(json *v) {
  if (!v) return;
  for (size_t i = 0; i < v->count; i++) {
    json_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
  free(v);
}

typedef struct {
  const char *s;
  size_t len, at;
} parser;

static void fail_parse(parser *p, const char *what) { die("JSON: %s at byte %zu", what, p->at); }

static void skip_space(parser *p) {
  while (p->at < p->len && strchr(" \t\r\n", p->s[p->at]) && p->s[p->at]) p->at++;
}

static json *new_value(jtype type) {
  json *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->type = type;
  return v;
}

static void put_utf8(buf *b, unsigned code) {
  char out[4];
  size_t n;
  if (code < 0x80) {
    out[0] = (char)code, n = 1;
  } else if (code < 0x800) {
    out[0] = (char)(0xC0 | code >> 6), out[1] = (char)(0x80 | (code & 0x3F)), n = 2;
  } else if (code < 0x10000) {
    out[0] = (char)(0xE0 | code >> 12), out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[2] = (char)(0x80 | (code & 0x3F)), n = 3;
  } else {
    out[0] = (char)(0xF0 | code >> 18), out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F)), out[3] = (char)(0x80 | (code & 0x3F)), n = 4;
  }
  put(b, out, n);
}

static unsigned hex4(parser *p) {
  if (p->at + 4 > p->len) fail_parse(p, "short \\u escape");
  unsigned code = 0;
  for (int i = 0; i < 4; i++) {
    char c = p->s[p->at++];
    code <<= 4;
    if (c >= '0' && c <= '9') code |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') code |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') code |= (unsigned)(c - 'A' + 10);
    else fail_parse(p, "bad \\u escape");
  }
  return code;
}

static char *parse_string(parser *p, size_t *out_len) {
  buf b = {0};
  put(&b, "", 0);
  p->at++; /* opening quote */
  while (p->at < p->len) {
    unsigned char c = (unsigned char)p->s[p->at++];
    if (c == '"') {
      *out_len = b.len;
      return b.data;
    }
    if (c < 0x20) fail_parse(p, "control character in a string");
    if (c != '\\') {
      put(&b, &c, 1);
      continue;
    }
    if (p->at >= p->len) break;
    char e = p->s[p->at++];
    switch (e) {
      case '"': put(&b, "\"", 1); break;
      case '\\': put(&b, "\\", 1); break;
      case '/': put(&b, "/", 1); break;
      case 'b': put(&b, "\b", 1); break;
      case 'f': put(&b, "\f", 1); break;
      case 'n': put(&b, "\n", 1); break;
      case 'r': put(&b, "\r", 1); break;
      case 't': put(&b, "\t", 1); break;
      case 'u': {
        unsigned code = hex4(p);
        if (code >= 0xD800 && code < 0xDC00 && p->at + 1 < p->len && p->s[p->at] == '\\' && p->s[p->at + 1] == 'u') {
          p->at += 2;
          unsigned low = hex4(p);
          if (low < 0xDC00 || low > 0xDFFF) fail_parse(p, "unpaired surrogate");
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xD800 && code < 0xE000) {
          fail_parse(p, "unpaired surrogate");
        }
        put_utf8(&b, code);
        break;
      }
      default: fail_parse(p, "bad escape");
    }
  }
  fail_parse(p, "unterminated string");
  return NULL;
}

static json *parse_value(parser *p, int depth);

static json *parse_container(parser *p, int depth, int object) {
  json *v = new_value(object ? J_OBJECT : J_ARRAY);
  char close = object ? '}' : ']';
  p->at++;
  skip_space(p);
  if (p->at < p->len && p->s[p->at] == close) {
    p->at++;
    return v;
  }
  for (;;) {
    skip_space(p);
    char *key = NULL;
    if (object) {
      if (p->at >= p->len || p->s[p->at] != '"') fail_parse(p, "expected a member name");
      size_t key_len;
      key = parse_string(p, &key_len);
      if (strlen(key) != key_len) fail_parse(p, "NUL in a member name");
      for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->keys[i], key) == 0) fail_parse(p, "duplicate member");
      skip_space(p);
      if (p->at >= p->len || p->s[p->at] != ':') fail_parse(p, "expected ':'");
      p->at++;
    }
    json *item = parse_value(p, depth + 1);
    v->items = xrealloc(v->items, (v->count + 1) * sizeof *v->items);
    if (object) v->keys = xrealloc(v->keys, (v->count + 1) * sizeof *v->keys), v->keys[v->count] = key;
    v->items[v->count++] = item;
    skip_space(p);
    if (p->at < p->len && p->s[p->at] == ',') {
      p->at++;
      continue;
    }
    if (p->at < p->len && p->s[p->at] == close) {
      p->at++;
      return v;
    }
    fail_parse(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int literal(parser *p, const char *word) {
  size_t n = strlen(word);
  if (p->at + n <= p->len && memcmp(p->s + p->at, word, n) == 0) {
    p->at += n;
    return 1;
  }
  return 0;
}

static json *parse_value(parser *p, int depth) {
  if (depth > 64) fail_parse(p, "nested too deep");
  skip_space(p);
  if (p->at >= p->len) fail_parse(p, "unexpected end");
  char c = p->s[p->at];
  if (c == '{' || c == '[') return parse_container(p, depth, c == '{');
  if (c == '"') {
    json *v = new_value(J_STRING);
    v->text = parse_string(p, &v->len);
    return v;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    size_t start = p->at;
    if (c == '-') p->at++;
    if (p->at >= p->len || p->s[p->at] < '0' || p->s[p->at] > '9') fail_parse(p, "bad number");
    while (p->at < p->len && strchr("0123456789.eE+-", p->s[p->at]) && p->s[p->at]) p->at++;
    json *v = new_value(J_NUMBER);
    v->text = xmalloc(p->at - start + 1);
    memcpy(v->text, p->s + start, p->at - start);
    v->text[p->at - start] = '\0';
    return v;
  }
  if (literal(p, "true") || literal(p, "false")) {
    json *v = new_value(J_BOOL);
    v->boolean = p->s[p->at - 1] == 'e' && p->s[p->at - 2] == 'u';
    return v;
  }
  if (literal(p, "null")) return new_value(J_NULL);
  fail_parse(p, "unexpected character");
  return NULL;
}

static json *json_parse(const char *text, size_t len) {
  parser p = {text, len, 0};
  json *v = parse_value(&p, 0);
  skip_space(&p);
  if (p.at != len) fail_parse(&p, "trailing characters");
  return v;
}

/* The member `name` of an object (NULL when absent). */
static json *member(const json *object, const char *name) {
  if (!object || object->type != J_OBJECT) return NULL;
  for (size_t i = 0; i < object->count; i++)
    if (strcmp(object->keys[i], name) == 0) return object->items[i];
  return NULL;
}

/* Absent or null: the member is not given. */
static json *given(const json *object, const char *name) {
  json *v = member(object, name);
  return v && v->type != J_NULL ? v : NULL;
}

/* Dies unless every member of `object` is one of the NULL-terminated `allowed` names. */
static void strict(const json *object, const char *what, const char *const *allowed) {
  if (!object || object->type != J_OBJECT) die("%s must be an object", what);
  for (size_t i = 0; i < object->count; i++) {
    const char *const *name = allowed;
    while (*name && strcmp(*name, object->keys[i]) != 0) name++;
    if (!*name) die("unknown member \"%s\" in %s", object->keys[i], what);
  }
}

static json *typed(json *v, jtype type, const char *what) {
  if (!v || v->type != type) die("%s has the wrong type", what);
  return v;
}

/* ---- JSON out: sorted keys, 2-space indentation ---- */

static void write_string(buf *b, const char *text, size_t len) {
  put(b, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"') puts_(b, "\\\"");
    else if (c == '\\') puts_(b, "\\\\");
    else if (c == '\n') puts_(b, "\\n");
    else if (c < 0x20) printf_(b, "\\u%04x", c);
    else put(b, &c, 1);
  }
  put(b, "\"", 1);
}

static int compare_keys(const void *a, const void *b) {
  const json *const *x = a, *const *y = b;
  return strcmp((*x)->text, (*y)->text);
}

static void write_json(buf *b, const json *v, int indent) {
  switch (v->type) {
    case J_NULL: puts_(b, "null"); return;
    case J_BOOL: puts_(b, v->boolean ? "true" : "false"); return;
    case J_NUMBER: puts_(b, v->text); return;
    case J_STRING: write_string(b, v->text, v->len); return;
    case J_ARRAY:
    case J_OBJECT: break;
  }
  int object = v->type == J_OBJECT;
  if (v->count == 0) {
    puts_(b, object ? "{}" : "[]");
    return;
  }
  /* Sort members by key: pair each value with its key in a temporary string value. */
  json **order = xmalloc(v->count * sizeof *order);
  json *pairs = xmalloc(v->count * sizeof *pairs);
  for (size_t i = 0; i < v->count; i++) {
    memset(&pairs[i], 0, sizeof pairs[i]);
    pairs[i].text = object ? v->keys[i] : NULL;
    pairs[i].items = &v->items[i];
    order[i] = &pairs[i];
  }
  if (object) qsort(order, v->count, sizeof *order, compare_keys);
  puts_(b, object ? "{" : "[");
  for (size_t i = 0; i < v->count; i++) {
    puts_(b, i ? ",\n" : "\n");
    for (int s = 0; s < 2 * (indent + 1); s++) put(b, " ", 1);
    if (object) {
      write_string(b, order[i]->text, strlen(order[i]->text));
      puts_(b, ": ");
    }
    write_json(b, *order[i]->items, indent + 1);
  }
  put(b, "\n", 1);
  for (int s = 0; s < 2 * indent; s++) put(b, " ", 1);
  puts_(b, object ? "}" : "]");
  free(pairs);
  free(order);
}

/* Builders of result values. */
static json *j_string(const char *text, size_t len) {
  json *v = new_value(J_STRING);
  v->text = xmalloc(len + 1);
  memcpy(v->text, text, len);
  v->text[len] = '\0';
  v->len = len;
  return v;
}

static json *j_number(long long n) {
  json *v = new_value(J_NUMBER);
  v->text = xmalloc(32);
  snprintf(v->text, 32, "%lld", n);
  return v;
}

static json *j_copy(const json *v) {
  json *copy = new_value(v->type);
  copy->boolean = v->boolean;
  if (v->text) {
    size_t len = v->type == J_STRING ? v->len : strlen(v->text);
    copy->text = xmalloc(len + 1);
    memcpy(copy->text, v->text, len + 1);
  }
  copy->len = v->len;
  for (size_t i = 0; i < v->count; i++) {
    copy->items = xrealloc(copy->items, (i + 1) * sizeof *copy->items);
    copy->items[i] = j_copy(v->items[i]);
    if (v->keys) {
      copy->keys = xrealloc(copy->keys, (i + 1) * sizeof *copy->keys);
      copy->keys[i] = strdup(v->keys[i]);
    }
    copy->count = i + 1;
  }
  return copy;
}

static void j_set(json *object, const char *key, json *value) {
  object->items = xrealloc(object->items, (object->count + 1) * sizeof *object->items);
  object->keys = xrealloc(object->keys, (object->count + 1) * sizeof *object->keys);
  object->keys[object->count] = strdup(key);
  object->items[object->count++] = value;
}

static void j_push(json *array, json *value) {
  array->items = xrealloc(array->items, (array->count + 1) * sizeof *array->items);
  array->items[array->count++] = value;
}

/* ---- base64 and hex ---- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static json *j_base64(const uint8_t *data, size_t len) {
  buf b = {0};
  put(&b, "", 0);
  for (size_t i = 0; i < len; i += 3) {
    uint32_t n = (uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0) | (i + 2 < len ? data[i + 2] : 0);
    char out[4] = {B64[n >> 18 & 63], B64[n >> 12 & 63], i + 1 < len ? B64[n >> 6 & 63] : '=', i + 2 < len ? B64[n & 63] : '='};
    put(&b, out, 4);
  }
  json *v = j_string(b.data, b.len);
  free(b.data);
  return v;
}

/* Strict standard base64 (padding required), as the Rust lane decodes it. */
static uint8_t *base64_decode(const char *text, size_t len, size_t *out_len, const char *what) {
  if (len % 4) die("%s: not base64", what);
  uint8_t *out = xmalloc(len / 4 * 3);
  size_t n = 0;
  for (size_t i = 0; i < len; i += 4) {
    uint32_t acc = 0;
    int pad = 0;
    for (int k = 0; k < 4; k++) {
      const char *at = strchr(B64, text[i + k]);
      if (text[i + k] == '=' && i + 4 == len && k >= 2) {
        pad++;
      } else if (!text[i + k] || !at || pad) {
        die("%s: not base64", what);
      } else {
        acc |= (uint32_t)(at - B64);
      }
      if (k < 3) acc <<= 6;
    }
    out[n++] = (uint8_t)(acc >> 16);
    if (pad < 2) out[n++] = (uint8_t)(acc >> 8);
    if (pad < 1) out[n++] = (uint8_t)acc;
  }
  *out_len = n;
  return out;
}

static void hex_decode(const char *text, size_t len, uint8_t *out, const char *what) {
  for (size_t i = 0; i < len / 2; i++) {
    unsigned byte;
    char pair[3] = {text[2 * i], text[2 * i + 1], 0};
    if (!strchr("0123456789abcdefABCDEF", pair[0]) || !strchr("0123456789abcdefABCDEF", pair[1]) ||
        sscanf(pair, "%2x", &byte) != 1)
      die("%s: not hex", what);
    out[i] = (uint8_t)byte;
  }
}

/* A case's list of hex keys, decoded back to back (malloc'd; NULL with *out_len 0 when absent). */
static uint8_t *hex_list(json *list, const char *what, size_t *out_len) {
  *out_len = 0;
  if (!list) return NULL;
  typed(list, J_ARRAY, what);
  uint8_t *bytes = xmalloc(1);
  for (size_t i = 0; i < list->count; i++) {
    json *key = typed(list->items[i], J_STRING, what);
    if (key->len % 2) die("%s: odd number of hex digits", what);
    bytes = xrealloc(bytes, *out_len + key->len / 2 + 1);
    hex_decode(key->text, key->len, bytes + *out_len, what);
    *out_len += key->len / 2;
  }
  return bytes;
}

/* ---- one case ---- */

typedef struct {
  const char *stage;
  sdm_status status;
} failure;

/* A failed call: the stage and the library's status (never a number made up here). */
#define STAGE(name, call)                  \
  do {                                     \
    sdm_status status_ = (call);           \
    if (status_ != 0) {                    \
      fail->stage = (name);                \
      fail->status = status_;              \
      goto done;                           \
    }                                      \
  } while (0)

static sdm_limits case_limits(const json *options) {
  sdm_limits limits = sdm_limits_default();
  static const char *const allowed[] = {"timeoutMs", "fuel", "maxMemoryMb", NULL};
  if (!options) return limits;
  strict(options, "limits", allowed);
  const char *names[] = {"fuel", "timeoutMs", "maxMemoryMb"};
  for (int i = 0; i < 3; i++) {
    json *v = given(options, names[i]);
    if (!v) continue;
    typed(v, J_NUMBER, names[i]);
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v->text, &end, 10);
    if (*end || errno || v->text[0] == '-') die("%s must be a non-negative integer", names[i]);
    if (i == 0) limits.fuel = n; /* 0 = unlimited in both */
    if (i == 1) limits.timeout_ms = n;
    if (i == 2) limits.max_memory_bytes = n > (UINT64_MAX >> 20) ? UINT64_MAX : (uint64_t)n << 20;
  }
  return limits;
}

/* The invoke result (core InvokeResult) from the library's response JSON. */
static json *invoke_result(const char *mode, const json *response) {
  json *result = new_value(J_OBJECT);
  j_set(result, "mode", j_string(mode, strlen(mode)));
  const char *copied[] = {"statusCode", "yielded", "backlogRemaining", "errorCode", "errorMessage"};
  for (int i = 0; i < 5; i++) {
    json *v = member(response, copied[i]);
    if (!v) die("the response JSON has no %s", copied[i]);
    j_set(result, copied[i], j_copy(v));
  }
  json *outputs = new_value(J_ARRAY);
  json *frames = typed(member(response, "outputs"), J_ARRAY, "outputs");
  const char *fields[] = {"portId", "typeRef", "alignment", "offset", "size", "ownership", "generation",
                          "mutability", "traceId", "streamId", "sequence", "endOfStream"};
  for (size_t f = 0; f < frames->count; f++) {
    json *frame = frames->items[f], *out = new_value(J_OBJECT);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
      json *v = member(frame, fields[i]);
      if (!v) die("an output frame has no %s", fields[i]);
      j_set(out, fields[i], j_copy(v));
    }
    json *payload = typed(member(frame, "payload"), J_ARRAY, "payload");
    uint8_t *bytes = xmalloc(payload->count);
    for (size_t i = 0; i < payload->count; i++) bytes[i] = (uint8_t)atoi(typed(payload->items[i], J_NUMBER, "payload")->text);
    j_set(out, "payloadBase64", j_base64(bytes, payload->count));
    free(bytes);
    j_push(outputs, out);
  }
  j_set(result, "outputs", outputs);
  return result;
}

/* Runs one case; returns the "invoke" or "program" value, or NULL with `fail` set. */
static json *run_steps(const json *c, failure *fail, const char **key) {
  json *value = NULL;
  sdm_verified *verified = NULL;
  sdm_runtime *runtime = NULL;
  sdm_module *module = NULL;
  sdm_host *host = NULL;
  sdm_bytes request = {NULL, 0}, response = {NULL, 0}, response_json = {NULL, 0};
  sdm_bytes out = {NULL, 0}, err = {NULL, 0};
  uint8_t *signers = NULL, *wasm_signers = NULL, *stdin_bytes = NULL;
  char *artifact = NULL, *policy = NULL;
  buf text = {0};

  /* open */
  size_t artifact_len = 0;
  json *path = typed(given(c, "artifact"), J_STRING, "artifact");
  artifact = read_file(path->text, &artifact_len);
  if (!artifact) die("cannot read the artifact %s: %s", path->text, strerror(errno));
  json *open = given(c, "open");
  static const char *const open_members[] = {"allowUnsigned", "trust", "decryptWith", "wasmSigners", NULL};
  if (open) strict(open, "open", open_members);
  size_t signers_len = 0, wasm_signers_len = 0;
  signers = hex_list(given(open, "trust"), "trust", &signers_len);
  wasm_signers = hex_list(given(open, "wasmSigners"), "wasmSigners", &wasm_signers_len);
  uint8_t recipient[SDM_KEY_LEN];
  size_t recipient_len = 0;
  json *decrypt = given(open, "decryptWith");
  if (decrypt) {
    size_t len;
    char *key_text = read_file(typed(decrypt, J_STRING, "decryptWith")->text, &len);
    if (!key_text) die("cannot read the key file %s", decrypt->text);
    json *file = json_parse(key_text, len);
    free(key_text);
    json *type = member(file, "type"), *hex = member(file, "privateKeyHex");
    if (!type || type->type != J_STRING || strcmp(type->text, "x25519-private-key") != 0 || !hex ||
        hex->type != J_STRING || hex->len != 2 * SDM_KEY_LEN)
      die("%s is not a recipient key file", decrypt->text);
    hex_decode(hex->text, hex->len, recipient, "privateKeyHex");
    recipient_len = SDM_KEY_LEN;
    json_free(file);
  }
  json *allow = given(open, "allowUnsigned");
  uint32_t flags = allow && typed(allow, J_BOOL, "allowUnsigned")->boolean ? SDM_VERIFY_ALLOW_UNSIGNED : 0;
  if (wasm_signers_len)
    STAGE("open", sdm_verify_wasm_signed((const uint8_t *)artifact, artifact_len, signers_len ? signers : NULL,
                                         signers_len, recipient_len ? recipient : NULL, recipient_len, wasm_signers,
                                         wasm_signers_len, flags, &verified));
  else
    STAGE("open", sdm_verify((const uint8_t *)artifact, artifact_len, signers_len ? signers : NULL, signers_len,
                             recipient_len ? recipient : NULL, recipient_len, flags, &verified));

  /* load */
  STAGE("load", sdm_runtime_new(&runtime));
  STAGE("load", sdm_module_load(runtime, verified, &module));
  sdm_limits limits = case_limits(given(c, "limits"));
  json *host_policy = given(c, "hostPolicy");
  if (host_policy) {
    buf b = {0};
    write_json(&b, host_policy, 0);
    policy = b.data;
  }

  json *invoke = given(c, "invoke"), *program = given(c, "program");
  if (invoke) {
    static const char *const call_members[] = {"mode", "method", "inputs", NULL};
    static const char *const input_members[] = {"port", "base64", NULL};
    strict(invoke, "invoke", call_members);
    const char *mode = typed(given(invoke, "mode"), J_STRING, "invoke.mode")->text;
    json *method = typed(given(invoke, "method"), J_STRING, "invoke.method");
    json *inputs = given(invoke, "inputs");
    /* The request in the ABI's JSON form: {"methodId", "inputs": [{"portId", "payload"}]}. */
    puts_(&text, "{\"methodId\":");
    write_string(&text, method->text, method->len);
    puts_(&text, ",\"inputs\":[");
    for (size_t i = 0; inputs && i < typed(inputs, J_ARRAY, "inputs")->count; i++) {
      json *frame = inputs->items[i];
      strict(frame, "an input", input_members);
      json *port = typed(given(frame, "port"), J_STRING, "port");
      json *b64 = typed(given(frame, "base64"), J_STRING, "base64");
      size_t len;
      uint8_t *payload = base64_decode(b64->text, b64->len, &len, "base64");
      puts_(&text, i ? ",{\"portId\":" : "{\"portId\":");
      write_string(&text, port->text, port->len);
      puts_(&text, ",\"payload\":[");
      for (size_t k = 0; k < len; k++) printf_(&text, k ? ",%u" : "%u", payload[k]);
      puts_(&text, "]}");
      free(payload);
    }
    puts_(&text, "]}");
    uint32_t mode_number = strcmp(mode, "direct") == 0 ? SDM_INVOKE_DIRECT
                           : strcmp(mode, "command") == 0 ? SDM_INVOKE_COMMAND
                                                          : UINT32_MAX; /* the library refuses it */
    /* An unknown mode goes to the hosted call too, so the library answers it. */
    if (mode_number == UINT32_MAX || policy) {
      const char *document = policy ? policy : "{}";
      STAGE("invoke", sdm_host_new((const uint8_t *)document, strlen(document), &host));
    }
    STAGE("invoke", sdm_invoke_request_from_json((const uint8_t *)text.data, text.len, &request));
    if (host)
      STAGE("invoke", sdm_module_invoke_hosted(module, host, mode_number, request.ptr, request.len, &limits, &response));
    else if (mode_number == SDM_INVOKE_DIRECT)
      STAGE("invoke", sdm_module_invoke_direct(module, request.ptr, request.len, &limits, &response));
    else
      STAGE("invoke", sdm_module_invoke_command(module, request.ptr, request.len, &limits, &response));
    STAGE("invoke", sdm_invoke_response_to_json(response.ptr, response.len, &response_json));
    json *decoded = json_parse((const char *)response_json.ptr, response_json.len);
    value = invoke_result(mode, decoded);
    json_free(decoded);
    *key = "invoke";
  } else if (program) {
    static const char *const program_members[] = {"stdinBase64", "args", "env", "preopens", NULL};
    static const char *const preopen_members[] = {"hostPath", "guestPath", "readOnly", NULL};
    strict(program, "program", program_members);
    json *stdin_b64 = given(program, "stdinBase64");
    size_t stdin_len = 0;
    if (stdin_b64) {
      typed(stdin_b64, J_STRING, "stdinBase64");
      stdin_bytes = base64_decode(stdin_b64->text, stdin_b64->len, &stdin_len, "stdinBase64");
    }
    /* The program JSON of sdm_module_run: the case's args, env and preopens as they are. */
    puts_(&text, "{");
    const char *parts[] = {"args", "env", "preopens"};
    int first = 1;
    for (int i = 0; i < 3; i++) {
      json *part = given(program, parts[i]);
      if (!part) continue;
      if (i == 2)
        for (size_t k = 0; k < typed(part, J_ARRAY, "preopens")->count; k++) strict(part->items[k], "a preopen", preopen_members);
      printf_(&text, first ? "\"%s\":" : ",\"%s\":", parts[i]);
      write_json(&text, part, 0);
      first = 0;
    }
    puts_(&text, "}");
    if (policy) STAGE("program", sdm_host_new((const uint8_t *)policy, strlen(policy), &host));
    int32_t exit_code = 0;
    STAGE("program", sdm_module_run(module, (const uint8_t *)text.data, text.len, stdin_bytes, stdin_len, host,
                                    &limits, &exit_code, &out, &err));
    value = new_value(J_OBJECT);
    j_set(value, "exitCode", j_number(exit_code));
    j_set(value, "stdoutBase64", j_base64(out.ptr, out.len));
    j_set(value, "stderrBase64", j_base64(err.ptr, err.len));
    *key = "program";
  } else {
    die("a case has exactly one of `invoke` and `program`");
  }

done:
  sdm_bytes_free(&request);
  sdm_bytes_free(&response);
  sdm_bytes_free(&response_json);
  sdm_bytes_free(&out);
  sdm_bytes_free(&err);
  sdm_host_free(host);
  sdm_module_free(module);
  sdm_runtime_free(runtime);
  sdm_verified_free(verified);
  free(signers);
  free(wasm_signers);
  free(stdin_bytes);
  free(artifact);
  free(policy);
  free(text.data);
  return value;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CASES_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  if (sdm_abi_version() != SDM_ABI_VERSION) die("library ABI %u, header %u", sdm_abi_version(), SDM_ABI_VERSION);
  DIR *dir = opendir(argv[1]);
  if (!dir) die("cannot open %s", argv[1]);
  char **names = NULL;
  size_t count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir))) {
    size_t len = strlen(entry->d_name);
    if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0) {
      names = xrealloc(names, (count + 1) * sizeof *names);
      names[count++] = strdup(entry->d_name);
    }
  }
  closedir(dir);
  qsort(names, count, sizeof *names, compare_names);
  mkdir(argv[2], 0755);
  for (size_t i = 0; i < count; i++) {
    current_case = names[i];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
    size_t len;
    char *text = read_file(path, &len);
    if (!text) die("cannot read %s", path);
    json *c = json_parse(text, len);
    free(text);
    static const char *const case_members[] = {"description", "artifact", "open",   "limits",
                                               "hostPolicy",  "invoke",   "program", NULL};
    strict(c, "the case", case_members);
    if (!given(c, "invoke") == !given(c, "program")) die("a case has exactly one of `invoke` and `program`");

    failure fail = {NULL, 0};
    const char *key = NULL;
    json *value = run_steps(c, &fail, &key);
    json *result = new_value(J_OBJECT);
    size_t stem_len = strlen(names[i]) - 5;
    j_set(result, "case", j_string(names[i], stem_len));
    j_set(result, "error", new_value(J_NULL));
    j_set(result, "invoke", new_value(J_NULL));
    j_set(result, "program", new_value(J_NULL));
    if (value) {
      json_free(result->items[strcmp(key, "invoke") == 0 ? 2 : 3]);
      result->items[strcmp(key, "invoke") == 0 ? 2 : 3] = value;
    } else {
      const char *name = sdm_error_code_name(fail.status);
      json *error = new_value(J_OBJECT);
      j_set(error, "stage", j_string(fail.stage, strlen(fail.stage)));
      j_set(error, "code", name ? j_string(name, strlen(name)) : new_value(J_NULL));
      j_set(error, "number", j_number(fail.status));
      json_free(result->items[1]);
      result->items[1] = error;
    }
    buf out = {0};
    write_json(&out, result, 0);
    put(&out, "\n", 1);
    snprintf(path, sizeof path, "%s/%.*s.json", argv[2], (int)stem_len, names[i]);
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(out.data, 1, out.len, file) != out.len || fclose(file) != 0) die("cannot write %s", path);
    free(out.data);
    json_free(result);
    json_free(c);
    free(names[i]);
  }
  free(names);
  printf("c: %zu result(s) written to %s\n", count, argv[2]);
  return 0;
}
