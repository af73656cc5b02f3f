//! Aligned-binary record regions (spec 6.2): fixed-size records addressed by
//! `(region_id, record_index)`.
//!
//! - Region ids are global, start at 1, are never reused, and are handed out only after every
//!   validation passed (the reference burned an id on a failed allocation, spec 10 item 10).
//! - Alignment must be a power of two, at most [`MAX_ALIGNMENT`] (the `u16` alignment field of
//!   a `TypedArenaBuffer` frame holds it unchanged; the reference accepted any positive value
//!   and truncated large ones, spec 10 item 7).
//! - Owned regions hold their bytes; initial records are zero-padded; growing the record count
//!   appends zero records and shrinking truncates.
//! - External regions hold no bytes: an [`ExternalRegionSource`] reports the count (when it
//!   counts records itself) and transient views. A view can never override the identity fields
//!   (`regionId`, `recordIndex`, `layoutId`, `recordByteLength`, `alignment`): they are kept
//!   apart in [`RecordView`], and [`RecordView::to_json`] writes the identity last (spec 10
//!   item 14).
//! - The store is in memory: regions, unlike rows, are working memory of one host process.
//!   External callbacks run outside the store's lock, so a source may call back into the store.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use crate::runtime_host::ids::trimmed_id;
use crate::{Error, ErrorCode, Result};

/// Largest record: 64 MiB (`runtime-host-invalid-record-length`).
pub const MAX_RECORD_BYTE_LENGTH: usize = 64 << 20;
/// Largest alignment: 32768, the largest power of two a frame's `u16` alignment holds.
pub const MAX_ALIGNMENT: usize = 1 << 15;
/// Largest owned region (record length x record count): 1 GiB (`runtime-host-limit-exceeded`).
pub const MAX_REGION_BYTES: usize = 1 << 30;

/// The shape shared by owned and external regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSpec {
    pub layout_id: String,
    pub record_byte_length: usize,
    /// A power of two (default 1).
    pub alignment: usize,
}

impl RegionSpec {
    pub fn new(layout_id: impl Into<String>, record_byte_length: usize) -> Self {
        RegionSpec {
            layout_id: layout_id.into(),
            record_byte_length,
            alignment: 1,
        }
    }

    pub fn with_alignment(mut self, alignment: usize) -> Self {
        self.alignment = alignment;
        self
    }

    /// The validated spec with a trimmed layout id.
    fn validated(&self) -> Result<RegionSpec> {
        let layout_id = trimmed_id(
            &self.layout_id,
            "layoutId",
            ErrorCode::RuntimeHostInvalidLayoutId,
        )?;
        if self.record_byte_length == 0 || self.record_byte_length > MAX_RECORD_BYTE_LENGTH {
            return Err(Error::new(
                ErrorCode::RuntimeHostInvalidRecordLength,
                format!(
                    "recordByteLength must be a positive integer at most {MAX_RECORD_BYTE_LENGTH}, got {}",
                    self.record_byte_length
                ),
            ));
        }
        if !self.alignment.is_power_of_two() || self.alignment > MAX_ALIGNMENT {
            return Err(Error::new(
                ErrorCode::RuntimeHostInvalidAlignment,
                format!(
                    "alignment must be a power of two at most {MAX_ALIGNMENT}, got {}",
                    self.alignment
                ),
            ));
        }
        Ok(RegionSpec {
            layout_id,
            record_byte_length: self.record_byte_length,
            alignment: self.alignment,
        })
    }
}

/// A region's descriptor (`{regionId, layoutId, recordByteLength, alignment, recordCount}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "RegionDescriptor")]
pub struct RegionDescriptor {
    pub region_id: u64,
    pub layout_id: String,
    pub record_byte_length: usize,
    pub alignment: usize,
    pub record_count: u64,
    /// True for a region registered with [`RegionStore::register_external_region`].
    pub external: bool,
}

impl RegionDescriptor {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The identity of one record; also the query an [`ExternalRegionSource`] receives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordIdentity {
    pub region_id: u64,
    pub record_index: u64,
    pub layout_id: String,
    pub record_byte_length: usize,
    pub alignment: usize,
}

impl RecordIdentity {
    fn write_json(&self, object: &mut Map<String, Value>) {
        object.insert("regionId".into(), self.region_id.into());
        object.insert("recordIndex".into(), self.record_index.into());
        object.insert("layoutId".into(), self.layout_id.clone().into());
        object.insert("recordByteLength".into(), self.record_byte_length.into());
        object.insert("alignment".into(), self.alignment.into());
    }
}

/// A copy of an owned record's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub identity: RecordIdentity,
    /// Exactly `record_byte_length` bytes.
    pub bytes: Vec<u8>,
}

/// An owned record as JSON: the identity fields plus `byteLength` and `bytes` (an array of
/// numbers).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Record")]
pub struct RecordJson<'a> {
    #[serde(flatten)]
    pub identity: &'a RecordIdentity,
    pub byte_length: usize,
    pub bytes: &'a [u8],
}

impl Record {
    pub fn view(&self) -> RecordJson<'_> {
        RecordJson {
            identity: &self.identity,
            byte_length: self.bytes.len(),
            bytes: &self.bytes,
        }
    }

    /// The identity fields plus `byteLength` and `bytes` (an array of numbers).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.view()).unwrap_or(Value::Null)
    }
}

/// What [`RegionStore::resolve_record_view`] returns: an owned record's bytes, or an external
/// region's transient view fields. The identity is separate and cannot be overridden.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordView {
    Owned(Record),
    External {
        identity: RecordIdentity,
        /// Transient fields from the source (`byteOffset`, `elementType`...). Never a durable
        /// identity.
        fields: Map<String, Value>,
    },
}

impl RecordView {
    pub fn identity(&self) -> &RecordIdentity {
        match self {
            RecordView::Owned(record) => &record.identity,
            RecordView::External { identity, .. } => identity,
        }
    }

    /// The reference's merged object, except that the identity fields are written last, so a
    /// source's field of the same name is ignored.
    pub fn to_json(&self) -> Value {
        match self {
            RecordView::Owned(record) => record.to_json(),
            RecordView::External { identity, fields } => {
                let mut object = fields.clone();
                identity.write_json(&mut object);
                Value::Object(object)
            }
        }
    }
}

/// The backing of an external region. Implementations must be `Send + Sync`; they are called
/// without the store's lock held.
pub trait ExternalRegionSource: Send + Sync {
    /// True when the source counts its records itself ([`Self::record_count`] is used and
    /// `set_region_record_count` is refused); false (the default) lets the store keep the
    /// count given at registration.
    fn counts_records(&self) -> bool {
        false
    }

    /// The current record count (only called when [`Self::counts_records`] is true). An `Err`
    /// becomes `runtime-host-external-region-failed`. A source backs one region, so it is not
    /// told the region id (the reference passed it).
    fn record_count(&self) -> Result<u64> {
        Ok(0)
    }

    /// The transient view of one record (the index is below the count), or `None` when the
    /// source has none. The default has no views.
    fn record_view(&self, _query: &RecordIdentity) -> Result<Option<Map<String, Value>>> {
        Ok(None)
    }
}

enum Backing {
    Owned {
        bytes: Vec<u8>,
    },
    External {
        source: Arc<dyn ExternalRegionSource>,
    },
}

struct Region {
    spec: RegionSpec,
    /// The stored count (owned regions, and external regions the store counts).
    record_count: u64,
    backing: Backing,
}

impl Region {
    fn externally_counted(&self) -> Option<Arc<dyn ExternalRegionSource>> {
        match &self.backing {
            Backing::External { source } if source.counts_records() => Some(Arc::clone(source)),
            _ => None,
        }
    }

    fn identity(&self, region_id: u64, record_index: u64) -> RecordIdentity {
        RecordIdentity {
            region_id,
            record_index,
            layout_id: self.spec.layout_id.clone(),
            record_byte_length: self.spec.record_byte_length,
            alignment: self.spec.alignment,
        }
    }
}

#[derive(Default)]
struct Regions {
    last_id: u64,
    regions: BTreeMap<u64, Region>,
}

/// The region store. `Send + Sync`.
#[derive(Default)]
pub struct RegionStore {
    inner: Mutex<Regions>,
}

fn region_bytes(spec: &RegionSpec, record_count: u64) -> Result<usize> {
    usize::try_from(record_count)
        .ok()
        .and_then(|count| count.checked_mul(spec.record_byte_length))
        .filter(|&total| total <= MAX_REGION_BYTES)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::RuntimeHostLimitExceeded,
                format!(
                    "{record_count} records of {} bytes exceed the {MAX_REGION_BYTES}-byte region cap",
                    spec.record_byte_length
                ),
            )
        })
}

fn external_failed(region_id: u64, err: Error) -> Error {
    let which = if region_id == 0 {
        "new external region".to_owned()
    } else {
        format!("external region {region_id}")
    };
    Error::new(
        ErrorCode::RuntimeHostExternalRegionFailed,
        format!("{which}: {err}"),
    )
}

impl RegionStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Regions> {
        // Mutations are validated before they are applied, so a poisoned lock guards
        // consistent data.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn insert(&self, spec: RegionSpec, record_count: u64, backing: Backing) -> Result<u64> {
        let mut regions = self.lock();
        let region_id = regions.last_id.checked_add(1).ok_or_else(|| {
            Error::new(
                ErrorCode::RuntimeHostLimitExceeded,
                "every region id is used",
            )
        })?;
        regions.last_id = region_id;
        regions.regions.insert(
            region_id,
            Region {
                spec,
                record_count,
                backing,
            },
        );
        Ok(region_id)
    }

    /// Allocates an owned region whose records are `initial_records`, each zero-padded to
    /// `record_byte_length` (`None` is an all-zero record).
    ///
    /// Errors: `runtime-host-invalid-layout-id`, `-invalid-record-length`,
    /// `-invalid-alignment`, `-record-too-long`, `-limit-exceeded` (over
    /// [`MAX_REGION_BYTES`]). A failed allocation consumes no region id.
    pub fn allocate_region(
        &self,
        spec: &RegionSpec,
        initial_records: &[Option<&[u8]>],
    ) -> Result<RegionDescriptor> {
        let spec = spec.validated()?;
        let count = initial_records.len() as u64;
        let mut bytes = vec![0u8; region_bytes(&spec, count)?];
        for (index, record) in initial_records.iter().enumerate() {
            let Some(record) = record else { continue };
            if record.len() > spec.record_byte_length {
                return Err(Error::new(
                    ErrorCode::RuntimeHostRecordTooLong,
                    format!(
                        "record {index} has {} bytes, more than recordByteLength {}",
                        record.len(),
                        spec.record_byte_length
                    ),
                ));
            }
            let start = index * spec.record_byte_length;
            if let Some(slot) = bytes.get_mut(start..start + record.len()) {
                slot.copy_from_slice(record);
            }
        }
        let region_id = self.insert(spec.clone(), count, Backing::Owned { bytes })?;
        Ok(descriptor(region_id, &spec, count, false))
    }

    /// Registers an externally backed region. `record_count` is the stored count, used unless
    /// the source counts records itself.
    ///
    /// Errors: as [`RegionStore::allocate_region`] for the spec, and
    /// `runtime-host-external-region-failed` when the source's count cannot be read.
    pub fn register_external_region(
        &self,
        spec: &RegionSpec,
        record_count: u64,
        source: Arc<dyn ExternalRegionSource>,
    ) -> Result<RegionDescriptor> {
        let spec = spec.validated()?;
        // Asked before the id is handed out, so a failing source burns no id.
        let count = if source.counts_records() {
            source
                .record_count()
                .map_err(|err| external_failed(0, err))?
        } else {
            record_count
        };
        let region_id = self.insert(spec.clone(), record_count, Backing::External { source })?;
        Ok(descriptor(region_id, &spec, count, true))
    }

    /// The descriptor, or `None` for an unknown region. For an externally counted region the
    /// count is asked from the source (`runtime-host-external-region-failed` on error).
    pub fn describe_region(&self, region_id: u64) -> Result<Option<RegionDescriptor>> {
        let (spec, stored, counter, external) = {
            let regions = self.lock();
            let Some(region) = regions.regions.get(&region_id) else {
                return Ok(None);
            };
            (
                region.spec.clone(),
                region.record_count,
                region.externally_counted(),
                matches!(region.backing, Backing::External { .. }),
            )
        };
        let count = match counter {
            Some(source) => source
                .record_count()
                .map_err(|err| external_failed(region_id, err))?,
            None => stored,
        };
        Ok(Some(descriptor(region_id, &spec, count, external)))
    }

    /// Sets the record count: an owned region shrinks (truncating) or grows (zero records); an
    /// external region just stores it. `None` for an unknown region.
    ///
    /// Errors: `runtime-host-region-externally-counted`, `runtime-host-limit-exceeded`.
    pub fn set_region_record_count(
        &self,
        region_id: u64,
        record_count: u64,
    ) -> Result<Option<RegionDescriptor>> {
        let mut regions = self.lock();
        let Some(region) = regions.regions.get_mut(&region_id) else {
            return Ok(None);
        };
        if region.externally_counted().is_some() {
            return Err(Error::new(
                ErrorCode::RuntimeHostRegionExternallyCounted,
                format!("cannot set recordCount for externally counted region {region_id}"),
            ));
        }
        let external = match &mut region.backing {
            Backing::Owned { bytes } => {
                let total = region_bytes(&region.spec, record_count)?;
                bytes.resize(total, 0);
                false
            }
            Backing::External { .. } => true,
        };
        region.record_count = record_count;
        Ok(Some(descriptor(
            region_id,
            &region.spec,
            record_count,
            external,
        )))
    }

    /// A copy of an owned record; `None` for an unknown region, an index at or past the count,
    /// or an external region (which holds no bytes).
    pub fn resolve_record(&self, region_id: u64, record_index: u64) -> Result<Option<Record>> {
        let regions = self.lock();
        let Some(region) = regions.regions.get(&region_id) else {
            return Ok(None);
        };
        let Backing::Owned { bytes } = &region.backing else {
            return Ok(None);
        };
        if record_index >= region.record_count {
            return Ok(None);
        }
        let length = region.spec.record_byte_length;
        let record = usize::try_from(record_index)
            .ok()
            .and_then(|index| index.checked_mul(length))
            .and_then(|start| bytes.get(start..start.checked_add(length)?));
        Ok(record.map(|slice| Record {
            identity: region.identity(region_id, record_index),
            bytes: slice.to_vec(),
        }))
    }

    /// An owned record (as [`RegionStore::resolve_record`]) or an external record's view:
    /// `None` for an unknown region, an index at or past the count, or a source without a view.
    ///
    /// Errors: `runtime-host-external-region-failed` when the source fails.
    pub fn resolve_record_view(
        &self,
        region_id: u64,
        record_index: u64,
    ) -> Result<Option<RecordView>> {
        let (identity, source, stored) = {
            let regions = self.lock();
            let Some(region) = regions.regions.get(&region_id) else {
                return Ok(None);
            };
            match &region.backing {
                Backing::Owned { .. } => {
                    drop(regions);
                    return Ok(self
                        .resolve_record(region_id, record_index)?
                        .map(RecordView::Owned));
                }
                Backing::External { source } => (
                    region.identity(region_id, record_index),
                    Arc::clone(source),
                    region.record_count,
                ),
            }
        };
        let count = if source.counts_records() {
            source
                .record_count()
                .map_err(|err| external_failed(region_id, err))?
        } else {
            stored
        };
        if record_index >= count {
            return Ok(None);
        }
        let fields = source
            .record_view(&identity)
            .map_err(|err| external_failed(region_id, err))?;
        Ok(fields.map(|fields| RecordView::External { identity, fields }))
    }

    /// Every region's descriptor, by region id.
    pub fn list_regions(&self) -> Result<Vec<RegionDescriptor>> {
        let ids: Vec<u64> = self.lock().regions.keys().copied().collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(found) = self.describe_region(id)? {
                out.push(found);
            }
        }
        Ok(out)
    }
}

fn descriptor(
    region_id: u64,
    spec: &RegionSpec,
    record_count: u64,
    external: bool,
) -> RegionDescriptor {
    RegionDescriptor {
        region_id,
        layout_id: spec.layout_id.clone(),
        record_byte_length: spec.record_byte_length,
        alignment: spec.alignment,
        record_count,
        external,
    }
}
