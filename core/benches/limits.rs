//! The floors the 16 MiB rows of `make bench` are compared with (issue 17): one SHA-256 pass,
//! one AES-256-CTR pass (the cipher and counter layout `ENC` uses) and one memcpy over the same
//! 16 MiB, measured in the same run as the operations, so a ratio means the same on any
//! machine. `scripts/bench-table.py` scales them per byte to each operation's input size.
//!
//! Run briefly: `cargo bench -p space-data-module --bench limits -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use aes::cipher::{KeyIvInit, StreamCipher};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha256};

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

const SIZE: usize = 16 << 20;

fn bench(c: &mut Criterion) {
    // Not all zeros: a constant buffer could let a future hasher or copy take a shortcut.
    let source: Vec<u8> = (0..SIZE).map(|i| (i * 31 % 251) as u8).collect();
    let mut scratch = vec![0u8; SIZE];
    let mut group = c.benchmark_group("limits/16MiB");
    group.throughput(Throughput::Bytes(SIZE as u64));
    group.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(&source))));
    group.bench_function("aes256ctr", |b| {
        b.iter(|| {
            // A fresh cipher per pass, as `open` and `protect` make one per artifact; applying
            // the keystream in place keeps allocation out of the measured time.
            let mut cipher = Aes256Ctr::new(&[7u8; 32].into(), &[0u8; 16].into());
            cipher.apply_keystream(black_box(&mut scratch));
        })
    });
    group.bench_function("memcpy", |b| {
        b.iter(|| {
            black_box(&mut scratch).copy_from_slice(black_box(&source));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
