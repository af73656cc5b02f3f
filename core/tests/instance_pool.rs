//! The instance pool (runtime/pool.rs): every call still gets a fresh instance (memory, data
//! segments, globals, memory size all as the module declares them, however the previous call
//! left its slot); a full pool makes calls wait for a slot until their own deadline; the pool's
//! ceilings fail with the same stable codes as the per-call limits; and a runtime without a
//! pool behaves the same.

use std::sync::Arc;
use std::time::{Duration, Instant};

use space_data_module::ErrorCode;
use space_data_module::publication::VerifiedModule;
use space_data_module::runtime::pool::TABLE_ELEMENTS_CEILING;
use space_data_module::runtime::{Grants, InvokeMode, Limits, Runtime, RuntimeConfig};

mod guests;

/// Answers five bytes: what it finds at address 200 (0 in a fresh instance), at 300 (the data
/// segment's `d`), its call counter, its memory size in pages, and the byte it finds at the end
/// of 40 pages it grows (far past the part a slot resets with `memset`). Then it dirties all of
/// them, so a reused instance or a badly reset slot answers differently.
const STATEFUL: &str = r#"
    (i32.store8 (i32.const 512) (i32.load8_u (i32.const 200)))
    (i32.store8 (i32.const 513) (i32.load8_u (i32.const 300)))
    (i32.store8 (i32.const 514) (global.get $calls))
    (i32.store8 (i32.const 515) (memory.size))
    (local.set $resp (i32.mul (memory.grow (i32.const 40)) (i32.const 65536)))
    (local.set $resp (i32.add (local.get $resp) (i32.const 2600000)))
    (i32.store8 (i32.const 516) (i32.load8_u (local.get $resp)))
    (i32.store8 (local.get $resp) (i32.const 0xcc))
    (i32.store8 (i32.const 200) (i32.const 0xaa))
    (i32.store8 (i32.const 300) (i32.const 0xbb))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.store (local.get $out) (i32.const 5))
    (i32.const 512)"#;

const FRESH: [u8; 5] = [0, b'd', 0, 1, 0];

fn stateful() -> Vec<u8> {
    guests::direct_with(
        STATEFUL,
        "",
        r#"(global $calls (mut i32) (i32.const 0)) (data (i32.const 300) "d")"#,
    )
}

fn runtime(slots: u32) -> Runtime {
    Runtime::new(RuntimeConfig {
        instance_pool_slots: slots,
        ..RuntimeConfig::default()
    })
    .unwrap()
}

fn limits(timeout: Duration) -> Limits {
    Limits {
        timeout: Some(timeout),
        max_memory_bytes: 64 << 20,
        ..Limits::default()
    }
}

fn call(rt: &Runtime, wasm: &[u8], limits: &Limits) -> space_data_module::Result<Vec<u8>> {
    let module = rt.load(&VerifiedModule::allow_unsigned(wasm)?)?;
    rt.invoke_bytes(
        &module,
        b"x",
        InvokeMode::Direct,
        &Grants::default(),
        limits,
    )
}

#[test]
fn the_default_runtime_pools_and_zero_slots_allocate_on_demand() {
    assert_eq!(RuntimeConfig::default().instance_pool_slots, 128);
    assert_eq!(runtime(128).instance_pool_slots(), 128);
    assert_eq!(runtime(0).instance_pool_slots(), 0);
}

#[test]
fn every_call_gets_a_fresh_instance_pooled_or_not() {
    let wasm = stateful();
    for slots in [128, 1, 0] {
        let rt = runtime(slots);
        let limits = limits(Duration::from_secs(20));
        for round in 0..40 {
            assert_eq!(
                call(&rt, &wasm, &limits).unwrap(),
                FRESH,
                "slots {slots}, call {round}"
            );
        }
        // A session keeps its instance between calls (the contract of `DirectSession`), and
        // the calls after it still start fresh.
        let module = rt
            .load(&VerifiedModule::allow_unsigned(&wasm).unwrap())
            .unwrap();
        let mut session = rt.session(&module, limits.clone(), Grants::default());
        assert_eq!(session.invoke_bytes(b"x").unwrap(), FRESH);
        assert_eq!(session.invoke_bytes(b"x").unwrap(), [0xaa, 0xbb, 1, 41, 0]);
        drop(session);
        assert_eq!(call(&rt, &wasm, &limits).unwrap(), FRESH, "slots {slots}");
    }
}

#[test]
fn threads_share_a_small_pool_by_waiting_for_slots() {
    let wasm = Arc::new(stateful());
    let rt = Arc::new(runtime(2));
    let workers: Vec<_> = (0..6)
        .map(|_| {
            let (rt, wasm) = (Arc::clone(&rt), Arc::clone(&wasm));
            std::thread::spawn(move || {
                let limits = limits(Duration::from_secs(60));
                for _ in 0..30 {
                    assert_eq!(call(&rt, &wasm, &limits).unwrap(), FRESH);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker failed");
    }
}

#[test]
fn a_full_pool_fails_a_call_at_its_deadline_and_frees_it_when_a_slot_returns() {
    let wasm = stateful();
    let rt = Arc::new(runtime(1));
    let module = rt
        .load(&VerifiedModule::allow_unsigned(&wasm).unwrap())
        .unwrap();
    let mut holder = rt.session(&module, limits(Duration::from_secs(20)), Grants::default());
    holder.invoke_bytes(b"x").unwrap(); // the only slot is now taken

    let started = Instant::now();
    let err = call(&rt, &wasm, &limits(Duration::from_millis(200))).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeTimeout, "{err}");
    assert!(err.message().contains("instance pool"), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(190));

    let waiter = {
        let (rt, wasm) = (Arc::clone(&rt), wasm.clone());
        std::thread::spawn(move || call(&rt, &wasm, &limits(Duration::from_secs(20))))
    };
    std::thread::sleep(Duration::from_millis(100));
    drop(holder);
    assert_eq!(waiter.join().unwrap().unwrap(), FRESH);
}

#[test]
fn the_pool_ceilings_fail_with_the_limits_codes() {
    let generous = Limits {
        max_table_elements: 4 * TABLE_ELEMENTS_CEILING,
        ..limits(Duration::from_secs(20))
    };
    // An initial table over the ceiling: refused when pooled, as a cap would be.
    let big_table = guests::direct_with(
        guests::ECHO,
        "",
        &format!("(table {} funcref)", TABLE_ELEMENTS_CEILING + 1),
    );
    assert_eq!(
        call(&runtime(4), &big_table, &generous).unwrap_err().code(),
        ErrorCode::RuntimeMemoryLimit
    );
    assert_eq!(call(&runtime(0), &big_table, &generous).unwrap(), b"x");

    // Growing a table past the ceiling traps with the cap's code, not a silent -1.
    let grows = guests::direct_with(
        &format!(
            "(drop (table.grow (ref.null func) (i32.const {}))) {}",
            TABLE_ELEMENTS_CEILING,
            guests::ECHO
        ),
        "",
        "",
    );
    assert_eq!(
        call(&runtime(4), &grows, &generous).unwrap_err().code(),
        ErrorCode::RuntimeMemoryLimit
    );
    assert_eq!(call(&runtime(0), &grows, &generous).unwrap(), b"x");

    // More memories than a slot holds: refused with a message that names the pool.
    let memories = guests::direct_with(
        guests::ECHO,
        "",
        "(memory 1) (memory 1) (memory 1) (memory 1)",
    );
    let err = call(&runtime(4), &memories, &generous).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeInstantiateFailed);
    assert!(err.message().contains("instance pool"), "{err}");
    assert_eq!(call(&runtime(0), &memories, &generous).unwrap(), b"x");
}
