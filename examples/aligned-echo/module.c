/* aligned-echo: method `echo` returns its first input frame on port `record`, typed as an
 * aligned-binary `Vec3` record (schema `Vec3.fbs`, file identifier `VEC3`, 16-byte alignment):
 * a guest whose output frames carry the aligned-binary envelope metadata. */
#include <stdint.h>

#include "space_data_module_invoke.h"

int echo(void) {
  const plugin_input_frame_t *input = plugin_get_input_frame(0);
  if (!input) {
    plugin_set_error("missing-frame", "No input frame was provided.");
    return 3;
  }
  if (plugin_push_output_typed("record", "Vec3.fbs", "VEC3", PLUGIN_PAYLOAD_WIRE_FORMAT_ALIGNED_BINARY, "Vec3", 0,
                               input->payload_length, 16, input->payload, input->payload_length) < 0) {
    return 4;
  }
  return 0;
}
