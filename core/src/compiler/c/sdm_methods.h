/* The method table the compiler generates from the manifest (sdm_methods.c). */
#ifndef SDM_METHODS_H
#define SDM_METHODS_H

#include <stdint.h>

typedef struct sdm_method_t {
  const char *method_id;
  int (*handler)(void);
  const char *const *input_ports;
  const uint8_t *input_required;
  uint32_t input_count;
  const char *const *output_ports;
  uint32_t output_count;
} sdm_method_t;

extern const sdm_method_t sdm_methods[];
extern const uint32_t sdm_method_count;

int sdm_command_main(int argc, char **argv);

#endif
