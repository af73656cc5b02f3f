/* invoke-echo: method `echo` returns its first input frame on output port `echo`.
 *
 * Behaviour of the reference example (spec invoke-runtime-and-host.md 7.3): without an input
 * frame it sets the error `missing-frame` and returns status 3; otherwise it pushes the
 * payload with the input's schema name and file identifier (through plugin_push_output, so the
 * output is typed as a plain flatbuffer) and returns 0. */
#include <stdint.h>

#include "space_data_module_invoke.h"

int echo(void) {
  const plugin_input_frame_t *input = plugin_get_input_frame(0);
  if (!input) {
    plugin_set_error("missing-frame", "No input frame was provided.");
    return 3;
  }
  plugin_push_output("echo", input->schema_name, input->file_identifier, input->payload, input->payload_length);
  return 0;
}
