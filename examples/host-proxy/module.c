/* host-proxy: method `call` forwards one hostcall to the host and returns the envelope.
 *
 * The input frame on port `request` holds the operation name, a newline, and the JSON
 * params (possibly empty). The output frame on port `envelope` holds the host's JSON
 * envelope ({"ok":true,"result":...} or {"ok":false,"error":{...}}) exactly as
 * `sdn_host.read_response` returned it. The guest's status is the hostcall status (0 or 1),
 * so a denied call is visible both in the envelope and in the response status.
 *
 * Build: space-data-module compile --manifest manifest.json --source module.c \
 *          --allow-undefined-imports -o host-proxy.wasm */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "space_data_module_invoke.h"

__attribute__((import_module("sdn_host"), import_name("call_json")))
int sdn_host_call_json(const char *op, int op_len, const char *payload, int payload_len);
__attribute__((import_module("sdn_host"), import_name("response_len")))
int sdn_host_response_len(void);
__attribute__((import_module("sdn_host"), import_name("read_response")))
int sdn_host_read_response(char *dst, int dst_len);

int call(void) {
  const plugin_input_frame_t *input = plugin_get_input_frame(0);
  if (!input) {
    plugin_set_error("missing-frame", "No input frame was provided.");
    return 3;
  }
  const char *text = (const char *)input->payload;
  int length = (int)input->payload_length;
  int op_length = 0;
  while (op_length < length && text[op_length] != '\n') op_length++;
  const char *payload = op_length < length ? text + op_length + 1 : text + length;
  int payload_length = op_length < length ? length - op_length - 1 : 0;

  int status = sdn_host_call_json(text, op_length, payload, payload_length);
  int envelope_length = sdn_host_response_len();
  if (envelope_length < 0) {
    plugin_set_error("hostcall-failed", "response_len returned a negative value.");
    return 2;
  }
  char *envelope = malloc((size_t)envelope_length + 1);
  if (!envelope) {
    plugin_set_error("out-of-memory", "No memory for the hostcall envelope.");
    return 2;
  }
  int copied = sdn_host_read_response(envelope, envelope_length);
  if (copied < 0) {
    free(envelope);
    plugin_set_error("hostcall-failed", "read_response returned a negative value.");
    return 2;
  }
  plugin_push_output("envelope", "", "", (const uint8_t *)envelope, (uint32_t)copied);
  free(envelope);
  return status;
}
