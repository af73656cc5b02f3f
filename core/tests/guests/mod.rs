//! Hand-written WAT guests shared by the hostile-guest and stress tests.

#![allow(dead_code)]

/// A direct-mode guest: a bump allocator that resets once every block is freed, a `$recurse`
/// helper that never ends (stack overflow), `plugin_free` running `free_body` after its
/// bookkeeping, and `plugin_invoke_stream` running `invoke_body` (locals $req $len $out
/// $resp; must leave an i32). `extra` is spliced into the module (data, `_initialize`, ...).
pub fn direct_with(invoke_body: &str, free_body: &str, extra: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
  (memory (export "memory") 1)
  (table 1 funcref)
  (global $next (mut i32) (i32.const 1024))
  (global $live (mut i32) (i32.const 0))
  (func $alloc (export "plugin_alloc") (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    (local.set $ptr (global.get $next))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535)) (i32.const 16))) (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $next (i32.and (i32.add (local.get $end) (i32.const 15)) (i32.const -16)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))
  (func $free (export "plugin_free") (param i32 i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.le_s (global.get $live) (i32.const 0))
      (then (global.set $live (i32.const 0)) (global.set $next (i32.const 1024))))
    {free_body})
  (func $recurse (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "plugin_invoke_stream") (param $req i32) (param $len i32) (param $out i32) (result i32)
    (local $resp i32)
    {invoke_body})
  {extra})"#
    ))
    .expect("guest WAT")
}

/// [`direct_with`] with a plain `plugin_free` and nothing extra.
pub fn direct(invoke_body: &str) -> Vec<u8> {
    direct_with(invoke_body, "", "")
}

/// Echoes the request; loops forever when the first request byte is 0xff.
pub const ECHO: &str = r#"
    (if (i32.and (i32.gt_u (local.get $len) (i32.const 0)) (i32.eq (i32.load8_u (local.get $req)) (i32.const 255)))
      (then (loop $spin (br $spin))))
    (local.set $resp (call $alloc (local.get $len)))
    (memory.copy (local.get $resp) (local.get $req) (local.get $len))
    (i32.store (local.get $out) (local.get $len))
    (local.get $resp)"#;

/// A command-mode guest: copies stdin (up to 64 KiB) to stdout and exits 0, after running
/// `prelude` (e.g. a hostile loop).
pub fn command_with(prelude: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func $recurse (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "_start")
    (local $total i32) (local $n i32)
    {prelude}
    (block $done
      (loop $read
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 65536) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (br $read)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (local.get $total))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#
    ))
    .expect("guest WAT")
}

/// The plain command-mode echo.
pub fn command_echo() -> Vec<u8> {
    command_with("")
}

/// Plain wasm through the loader's explicit allow-unsigned path.
pub fn unsigned(wasm: &[u8]) -> space_data_module::publication::VerifiedModule {
    space_data_module::publication::VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
