//! Opening from a file holds bounded memory whatever the artifact's size: the heap's peak
//! during `open_stream` of a 48 MiB encrypted artifact stays under 4 MiB, while opening the
//! same bytes in memory needs more than the artifact (which shows the measure can fail).
//! Alone in its binary: the counting allocator sees every thread of the process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions, protect};
use space_data_module::wasm::sections::{encode_section, encode_uleb128};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes above the level at the start, at the peak of `work`.
fn peak_growth<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let value = work();
    (value, PEAK.load(Ordering::Relaxed).saturating_sub(start))
}

/// The LEB128 bytes of `value`.
fn uleb(value: u32) -> Vec<u8> {
    encode_uleb128(u64::from(value)).unwrap()
}

#[test]
fn opening_from_a_file_holds_a_bounded_heap() {
    const MIB: usize = 1 << 20;
    let mut wasm = wat::parse_str(r#"(module (memory 1) (func (export "f")))"#).unwrap();
    let mut data = Vec::new();
    data.extend(uleb(2));
    for fill in [0x11u8, 0x22] {
        data.extend_from_slice(&[0x00, 0x41, 0x00, 0x0b]);
        data.extend(uleb((20 * MIB) as u32));
        data.extend(std::iter::repeat_n(fill, 20 * MIB));
    }
    wasm.extend(encode_section(11, &data));
    let mut custom = Vec::new();
    custom.extend(uleb(4));
    custom.extend_from_slice(b"blob");
    custom.extend(std::iter::repeat_n(0x33, 8 * MIB));
    wasm.extend(encode_section(0, &custom));

    let signer = Signer::from_private_key(&[7u8; 32]).unwrap();
    let recipient = X25519PrivateKey::from_bytes([9u8; 32]);
    let options = ProtectOptions {
        manifest: serde_json::json!({"pluginId": "com.example.memory"}),
        wasm: &wasm,
        single_file_bundle: true,
        recipient_public_key: Some(recipient.public_key()),
        artifact_id: None,
        target: Value::Null,
        capabilities: None,
        now_ms: 1_767_225_600_000,
    };
    let artifact = protect(&options, &signer, &mut OsRandom)
        .unwrap()
        .into_artifact();
    assert!(artifact.len() > 48 * MIB);
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(&artifact).unwrap();
    let policy = OpenPolicy::trusting(vec![PublicKey::from(&signer)]);
    let length = artifact.len() as u64;

    let (in_memory, memory_peak) = peak_growth(|| {
        publication::open(&artifact, &policy, Some(&recipient)).map(|o| o.wasm.len())
    });
    // The opened module is the bundled one: the input plus its sds.bundle section.
    let opened_len = in_memory.unwrap();
    assert!(opened_len > wasm.len());
    drop(artifact);

    file.seek(SeekFrom::Start(0)).unwrap();
    let (streamed, stream_peak) = peak_growth(|| {
        publication::open_stream(
            &mut file,
            length,
            &policy,
            Some(&recipient),
            &mut std::io::sink(),
        )
        .map(|opened| opened.wasm_length)
    });
    assert_eq!(streamed.unwrap(), opened_len as u64);
    println!(
        "heap peak: in memory {:.1} MiB, from a file {:.1} MiB",
        memory_peak as f64 / MIB as f64,
        stream_peak as f64 / MIB as f64
    );
    assert!(memory_peak > 48 * MIB, "in memory: {memory_peak}");
    // One 1 MiB chunk and small state: every large section here is one the stream replaces.
    assert!(stream_peak < 4 * MIB, "from a file: {stream_peak}");
}
