/* Small helpers shared by the C examples and tests: file reading and checked calls. */
#ifndef SDM_EXAMPLE_COMMON_H
#define SDM_EXAMPLE_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space_data_module.h"

/* Reads a whole file into a malloc'ed buffer; exits on failure. */
static inline unsigned char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
  if (!data || fread(data, 1, (size_t)size, file) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(file);
  *len = (size_t)size;
  return data;
}

/* Fails the program when an sdm_ call did not return 0. */
#define CHECK_OK(call)                                                              \
  do {                                                                              \
    sdm_status check_status_ = (call);                                              \
    if (check_status_ != 0) {                                                       \
      fprintf(stderr, "%s:%d: %s -> status %u: %s\n", __FILE__, __LINE__, #call,    \
              check_status_, sdm_last_error_message());                             \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

/* Fails the program unless an sdm_ call returned exactly `expected`. */
#define CHECK_STATUS(expected, call)                                                \
  do {                                                                              \
    sdm_status check_status_ = (call);                                              \
    if (check_status_ != (expected)) {                                              \
      fprintf(stderr, "%s:%d: %s -> status %u, expected %u (%s)\n", __FILE__,        \
              __LINE__, #call, check_status_, (unsigned)(expected),                 \
              sdm_last_error_message());                                            \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

/* Fails the program unless an sdm_ call returned an error (non-zero) status. */
#define CHECK_ERROR(call)                                                           \
  do {                                                                              \
    sdm_status check_status_ = (call);                                              \
    if (check_status_ == 0 || sdm_last_error_code() != check_status_ ||             \
        sdm_last_error_message()[0] == '\0') {                                      \
      fprintf(stderr, "%s:%d: %s -> status %u, expected an error\n", __FILE__,       \
              __LINE__, #call, check_status_);                                      \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

#define EXPECT(condition)                                                           \
  do {                                                                              \
    if (!(condition)) {                                                             \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #condition);      \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

/* True when the JSON text in `bytes` contains `needle` (a cheap check; no JSON parser). */
static inline int json_contains(const sdm_bytes *bytes, const char *needle) {
  size_t needle_len = strlen(needle);
  if (!bytes->ptr || bytes->len < needle_len) return 0;
  for (size_t i = 0; i + needle_len <= bytes->len; i++) {
    if (memcmp(bytes->ptr + i, needle, needle_len) == 0) return 1;
  }
  return 0;
}

#endif
