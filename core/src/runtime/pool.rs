//! The instance pool: every call runs in a fresh instance (the documented contract), and making
//! one must stay cheap and scale over threads. With wasmtime's on-demand allocator each instance
//! maps, protects and unmaps its own linear memory: six `mmap`s and three `munmap`s per call, all
//! serialized on the process's memory-map lock, with a TLB shootdown per unmap (a 64 B echo took
//! 42 us on one thread and more on two). The pooling allocator reserves the slots once when the
//! runtime is made and resets a slot with `madvise` when its instance is dropped.
//!
//! The pool has ceilings the per-call [`Limits`] cannot raise: a memory's size, a table's
//! elements, the number of memories and tables one module defines. The guest limiter caps at
//! the lower of the two, so a guest that reaches a ceiling fails with the same stable code as
//! one that reaches its limit; a module whose *initial* sizes exceed a ceiling is refused when
//! it is loaded, with the same code.
//!
//! A call that finds every slot taken waits for one (a [`Gate`]) until its own deadline, rather
//! than failing under load; only a pool held full past the deadline is an error.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use wasmtime::{Config, Enabled, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::runtime::config::Limits;
use crate::{Error, ErrorCode, Result};

/// Largest linear memory in the pool: all of a 32-bit memory's address space.
pub const MEMORY_BYTES_CEILING: usize = 4 << 30;
/// Most elements of one table in the pool (the default [`Limits::max_table_elements`]).
pub const TABLE_ELEMENTS_CEILING: usize = 1_000_000;
/// Most memories one module may define when pooled.
pub const MEMORIES_PER_MODULE: u32 = 4;
/// Most tables one module may define when pooled.
pub const TABLES_PER_MODULE: u32 = 8;
/// Bytes of a slot's memory and of its table reset with `memset` (only the pages the guest
/// touched, where the kernel reports them) instead of `madvise`: an `madvise` on a process
/// with threads on other cores sends them TLB-shootdown interrupts, which serialized the calls.
/// The cost is that much resident memory per slot that has been used.
const KEEP_RESIDENT_BYTES: usize = 1 << 20;
/// Largest instance record (`vmctx`) in the pool; grows with imports, globals and functions.
const INSTANCE_BYTES_CEILING: usize = 16 << 20;

/// Configures pooled allocation with `slots` concurrent instances (and as many memories and
/// tables). The reservation is made by `Engine::new`: with `slots` at 128 about 520 GiB of
/// address space, none of it resident until a guest touches it.
pub(crate) fn configure(config: &mut Config, slots: u32) {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_core_instances(slots)
        .total_memories(slots)
        .total_tables(slots)
        .max_memories_per_module(MEMORIES_PER_MODULE)
        .max_tables_per_module(TABLES_PER_MODULE)
        .max_memory_size(MEMORY_BYTES_CEILING)
        .table_elements(TABLE_ELEMENTS_CEILING)
        .max_core_instance_size(INSTANCE_BYTES_CEILING)
        .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
        .table_keep_resident(KEEP_RESIDENT_BYTES)
        .pagemap_scan(Enabled::Auto)
        // Warm slots are handed out before cold ones, so the slots ever used (and what they
        // keep resident) stay as many as the instances live at one time.
        .max_unused_warm_slots(0);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
}

/// The memory and table caps a store enforces: the call's limits, lowered to the pool's
/// ceilings when the runtime pools instances.
pub(crate) fn effective_caps(limits: &Limits, pooled: bool) -> (usize, usize) {
    if pooled {
        (
            limits.max_memory_bytes.min(MEMORY_BYTES_CEILING),
            limits.max_table_elements.min(TABLE_ELEMENTS_CEILING),
        )
    } else {
        (limits.max_memory_bytes, limits.max_table_elements)
    }
}

/// Refuses, before wasmtime's compiler would (with a generic compile error), a module whose
/// definitions do not fit a slot: more memories or tables than a slot holds
/// (`runtime-instantiate-failed`), or an initial table or memory over the ceiling
/// (`runtime-memory-limit`, the code a limit gives). `wasm` has already been validated, so
/// sections that do not parse here are left to the compiler.
pub(crate) fn check_fits(wasm: &[u8]) -> Result<()> {
    use wasmparser::{Parser, Payload};
    let (mut memories, mut tables) = (0u32, 0u32);
    for payload in Parser::new(0).parse_all(wasm) {
        match payload {
            Ok(Payload::MemorySection(section)) => {
                for memory in section.into_iter().flatten() {
                    memories = memories.saturating_add(1);
                    let bytes = memory.initial.saturating_mul(u64::from(memory.page_size()));
                    if bytes > MEMORY_BYTES_CEILING as u64 {
                        return Err(Error::new(
                            ErrorCode::RuntimeMemoryLimit,
                            format!(
                                "an initial guest memory of {bytes} bytes exceeds the instance pool's {MEMORY_BYTES_CEILING}"
                            ),
                        ));
                    }
                }
            }
            Ok(Payload::TableSection(section)) => {
                for table in section.into_iter().flatten() {
                    tables = tables.saturating_add(1);
                    if table.ty.initial > TABLE_ELEMENTS_CEILING as u64 {
                        return Err(Error::new(
                            ErrorCode::RuntimeMemoryLimit,
                            format!(
                                "an initial guest table of {} elements exceeds the instance pool's {TABLE_ELEMENTS_CEILING}",
                                table.ty.initial
                            ),
                        ));
                    }
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    if memories > MEMORIES_PER_MODULE || tables > TABLES_PER_MODULE {
        return Err(Error::new(
            ErrorCode::RuntimeInstantiateFailed,
            format!(
                "the module defines {memories} memories and {tables} tables; the runtime's \
                 instance pool takes at most {MEMORIES_PER_MODULE} and {TABLES_PER_MODULE}"
            ),
        ));
    }
    Ok(())
}

/// How long a call without a deadline of its own waits for a slot.
pub const SLOT_WAIT_WITHOUT_DEADLINE: Duration = Duration::from_secs(30);

/// Where calls wait for a slot: every store of a pooled runtime holds a [`SlotRelease`], whose
/// drop wakes the waiters. Shared by the runtime and its loaded modules.
#[derive(Default)]
pub(crate) struct Gate {
    /// Counts the releases made while a call waited, so a waiter can tell a release it has
    /// not yet seen from a spurious wake-up.
    released: AtomicU64,
    /// Calls waiting now; a release takes the lock and notifies only when there are any, so
    /// the uncontended path is two atomic operations.
    waiting: AtomicUsize,
    lock: Mutex<()>,
    freed: Condvar,
}

/// Held in a pooled store's state; dropping the store wakes the calls waiting for a slot.
pub(crate) struct SlotRelease(Arc<Gate>);

impl SlotRelease {
    pub(crate) fn new(gate: &Arc<Gate>) -> Self {
        SlotRelease(Arc::clone(gate))
    }
}

impl Drop for SlotRelease {
    fn drop(&mut self) {
        // Nothing is written when nobody waits: every call drops a store, and a write to the
        // gate from each thread would bounce its cache line between the cores. A release that
        // slips past a waiter that has not yet registered costs it one 1 ms poll.
        let gate = &self.0;
        if gate.waiting.load(Ordering::SeqCst) > 0 {
            gate.released.fetch_add(1, Ordering::SeqCst);
            let _held = gate.lock();
            gate.freed.notify_all();
        }
    }
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // The mutex guards no data: a panic cannot leave anything inconsistent.
        self.lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The release count now; read after a refused instantiation and passed to
    /// [`Gate::wait`].
    pub(crate) fn seen(&self) -> u64 {
        self.released.load(Ordering::SeqCst)
    }

    /// Waits until a store is released after `seen` was read, or until `until`. A store may
    /// be dropped a moment before its slot is returned, so a waiter also wakes every
    /// millisecond to try again.
    pub(crate) fn wait(&self, seen: u64, until: Instant) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut held = self.lock();
        while self.released.load(Ordering::SeqCst) == seen {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let (guard, timeout) = self
                .freed
                .wait_timeout(held, left.min(Duration::from_millis(1)))
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            held = guard;
            if timeout.timed_out() {
                break;
            }
        }
        drop(held);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// True when an instantiation failed only because every slot was taken.
pub(crate) fn is_full(err: &wasmtime::Error) -> bool {
    err.downcast_ref::<wasmtime::PoolConcurrencyLimitError>()
        .is_some()
}

/// The error for a call that waited for a slot until its deadline.
pub(crate) fn still_full(slots: u32, own_deadline: bool) -> Error {
    let (code, waited) = if own_deadline {
        (
            ErrorCode::RuntimeTimeout,
            "until the call's time limit".to_owned(),
        )
    } else {
        (
            ErrorCode::RuntimeInstantiateFailed,
            format!("{} s", SLOT_WAIT_WITHOUT_DEADLINE.as_secs()),
        )
    };
    Error::new(
        code,
        format!(
            "the runtime's instance pool stayed full ({slots} instances live; direct sessions \
             hold one each) for {waited}; raise RuntimeConfig::instance_pool_slots"
        ),
    )
}
