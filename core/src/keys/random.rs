//! Where random bytes come from. Production code uses the OS generator; the vectors' `reproduce`
//! blocks list the random bytes the reference drew, in call order, and a scripted source replays
//! them so an artifact can be rebuilt byte-for-byte.

use std::collections::VecDeque;

use zeroize::Zeroizing;

use crate::{Error, ErrorCode, Result};

/// A source of random bytes.
pub trait RandomSource {
    /// Fills `out` completely.
    fn fill(&mut self, out: &mut [u8]) -> Result<()>;
}

/// The operating system's generator (`getrandom`).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        getrandom::getrandom(out)
            .map_err(|err| Error::new(ErrorCode::Internal, format!("random source failed: {err}")))
    }
}

/// Replays fixed byte strings, one per draw, in order (for reproducing vectors and tests).
/// A draw whose length differs from the next scripted entry is an error.
#[derive(Default)]
pub struct ScriptedRandom {
    queue: VecDeque<Zeroizing<Vec<u8>>>,
}

impl ScriptedRandom {
    pub fn new(draws: impl IntoIterator<Item = Vec<u8>>) -> Self {
        ScriptedRandom {
            queue: draws.into_iter().map(Zeroizing::new).collect(),
        }
    }
}

impl std::fmt::Debug for ScriptedRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ScriptedRandom({} draws left)", self.queue.len())
    }
}

impl RandomSource for ScriptedRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let next = self.queue.pop_front().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "scripted random source is exhausted",
            )
        })?;
        if next.len() != out.len() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "scripted random draw has {} bytes, {} requested",
                    next.len(),
                    out.len()
                ),
            ));
        }
        out.copy_from_slice(&next);
        Ok(())
    }
}
