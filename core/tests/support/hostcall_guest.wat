;; A direct-mode guest that forwards one hostcall per invoke and reports what sdn_host did.
;;
;; Request (little-endian): flags, op_ptr, op_len, payload_ptr, payload_len, read_ptr,
;; read_len (7 x i32), then data. Pointers are offsets into the data unless a flag makes them
;; absolute. flags: 1 op_ptr absolute, 2 payload_ptr absolute, 4 read_ptr absolute,
;; 8 skip call_json, 16 clear_response after reading. read_len -1 means response_len().
;;
;; Response: call_json result (-100 when skipped), last_status_code, response_len,
;; read_response result, clear_response result (-100 when not called), then the bytes read
;; (only when read_ptr is relative).
(module
  (import "sdn_host" "call_json" (func $call_json (param i32 i32 i32 i32) (result i32)))
  (import "sdn_host" "response_len" (func $response_len (result i32)))
  (import "sdn_host" "read_response" (func $read_response (param i32 i32) (result i32)))
  (import "sdn_host" "last_status_code" (func $last_status_code (result i32)))
  (import "sdn_host" "clear_response" (func $clear_response (result i32)))
  (memory (export "memory") 4)
  (global $heap (mut i32) (i32.const 1024))

  (func $alloc (export "plugin_alloc") (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    (local.set $ptr (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $ptr) (local.get $size)) (i32.const 7))
                             (i32.const -8)))
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq
              (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end) (local.get $have))
                                               (i32.const 16))
                                    (i32.const 1)))
              (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (local.get $ptr))

  (func (export "plugin_free") (param i32 i32))

  (func (export "plugin_invoke_stream") (param $req i32) (param $req_len i32) (param $out_len i32)
        (result i32)
    (local $flags i32) (local $data i32) (local $op i32) (local $payload i32)
    (local $status i32) (local $len i32) (local $out i32) (local $read_ptr i32)
    (local $read_len i32) (local $read i32) (local $clear i32) (local $last i32)
    (local.set $flags (i32.load (local.get $req)))
    (local.set $data (i32.add (local.get $req) (i32.const 28)))
    (local.set $op (i32.load offset=4 (local.get $req)))
    (if (i32.eqz (i32.and (local.get $flags) (i32.const 1)))
      (then (local.set $op (i32.add (local.get $data) (local.get $op)))))
    (local.set $payload (i32.load offset=12 (local.get $req)))
    (if (i32.eqz (i32.and (local.get $flags) (i32.const 2)))
      (then (local.set $payload (i32.add (local.get $data) (local.get $payload)))))
    (local.set $status (i32.const -100))
    (if (i32.eqz (i32.and (local.get $flags) (i32.const 8)))
      (then
        (local.set $status
          (call $call_json (local.get $op) (i32.load offset=8 (local.get $req))
                           (local.get $payload) (i32.load offset=16 (local.get $req))))))
    (local.set $last (call $last_status_code))
    (local.set $len (call $response_len))
    ;; The request buffer is still live: place the reply after it.
    (global.set $heap (i32.and (i32.add (i32.add (local.get $req) (local.get $req_len)) (i32.const 15))
                               (i32.const -8)))
    (local.set $out (call $alloc (i32.add (local.get $len) (i32.const 20))))
    (local.set $read_len (i32.load offset=24 (local.get $req)))
    (if (i32.eq (local.get $read_len) (i32.const -1))
      (then (local.set $read_len (local.get $len))))
    (local.set $read_ptr (i32.add (local.get $out) (i32.const 20)))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then (local.set $read_ptr (i32.load offset=20 (local.get $req)))))
    (local.set $read (call $read_response (local.get $read_ptr) (local.get $read_len)))
    (local.set $clear (i32.const -100))
    (if (i32.and (local.get $flags) (i32.const 16))
      (then (local.set $clear (call $clear_response))))
    (i32.store (local.get $out) (local.get $status))
    (i32.store offset=4 (local.get $out) (local.get $last))
    (i32.store offset=8 (local.get $out) (local.get $len))
    (i32.store offset=12 (local.get $out) (local.get $read))
    (i32.store offset=16 (local.get $out) (local.get $clear))
    (i32.store (local.get $out_len)
      (i32.add (i32.const 20)
        (select (i32.const 0)
                (select (local.get $read) (i32.const 0) (i32.gt_s (local.get $read) (i32.const 0)))
                (i32.and (local.get $flags) (i32.const 4)))))
    ;; The host copies the reply out before its next allocation: start over next time.
    (global.set $heap (i32.const 1024))
    (local.get $out))
)
