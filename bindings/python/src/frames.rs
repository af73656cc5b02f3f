//! Output-frame metadata, typed: `OutputFrame` and `TypeRef`, every field of the core's
//! `api::invoke::OutputFrame` (the aligned-binary envelope fields) and its type reference.
//!
//! A `Response` keeps the metadata as plain Rust values and makes the Python objects when
//! `output_frames` is read: most callers read `outputs` only, and a call should not pay for
//! objects nobody looks at.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use space_data_module::api::Frame;

/// A frame's FlatBuffer type reference (schema identity and aligned-binary layout).
#[pyclass(frozen, eq, module = "space_data_module")]
#[derive(Clone, PartialEq, Eq)]
pub struct TypeRef {
    #[pyo3(get)]
    schema_name: Option<String>,
    #[pyo3(get)]
    file_identifier: Option<String>,
    /// Possibly empty.
    schema_hash: Vec<u8>,
    #[pyo3(get)]
    accepts_any_flatbuffer: bool,
    /// `"flatbuffer"` or `"aligned-binary"`.
    #[pyo3(get)]
    wire_format: &'static str,
    #[pyo3(get)]
    root_type_name: Option<String>,
    #[pyo3(get)]
    fixed_string_length: u16,
    #[pyo3(get)]
    byte_length: u32,
    #[pyo3(get)]
    required_alignment: u16,
}

#[pymethods]
impl TypeRef {
    #[getter]
    fn schema_hash<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.schema_hash)
    }

    fn __repr__(&self) -> String {
        format!(
            "TypeRef(schema_name={:?}, file_identifier={:?}, wire_format={:?}, root_type_name={:?}, byte_length={}, required_alignment={})",
            self.schema_name,
            self.file_identifier,
            self.wire_format,
            self.root_type_name,
            self.byte_length,
            self.required_alignment
        )
    }
}

impl From<&space_data_module::api::TypeRef> for TypeRef {
    fn from(t: &space_data_module::api::TypeRef) -> Self {
        TypeRef {
            schema_name: t.schema_name.clone(),
            file_identifier: t.file_identifier.clone(),
            schema_hash: t.schema_hash.clone(),
            accepts_any_flatbuffer: t.accepts_any_flatbuffer,
            wire_format: t.wire_format.as_str(),
            root_type_name: t.root_type_name.clone(),
            fixed_string_length: t.fixed_string_length,
            byte_length: t.byte_length,
            required_alignment: t.required_alignment,
        }
    }
}

/// One output frame: its port, type reference, envelope fields and payload.
#[pyclass(frozen, module = "space_data_module")]
pub struct OutputFrame {
    /// The core's decoded frame, moved out of the response (its strings are not copied).
    meta: Frame,
    #[pyo3(get)]
    payload: Py<PyBytes>,
}

impl OutputFrame {
    pub fn new(meta: Frame, payload: Py<PyBytes>) -> OutputFrame {
        OutputFrame { meta, payload }
    }
}

#[pymethods]
impl OutputFrame {
    #[getter]
    fn port_id(&self) -> Option<&str> {
        self.meta.port_id.as_deref()
    }

    /// None for a frame written without type metadata.
    #[getter]
    fn type_ref(&self) -> Option<TypeRef> {
        self.meta.type_ref.as_ref().map(TypeRef::from)
    }

    /// The alignment the producer applied to `offset`.
    #[getter]
    fn alignment(&self) -> u16 {
        self.meta.alignment
    }

    /// Byte offset of the payload in the response's arena.
    #[getter]
    fn offset(&self) -> u32 {
        self.meta.offset
    }

    #[getter]
    fn size(&self) -> u32 {
        self.meta.size
    }

    /// `BufferOwnership`: 0 borrowed, 1 producer-owned, 2 host-owned, 3 shared.
    #[getter]
    fn ownership(&self) -> u8 {
        self.meta.ownership
    }

    #[getter]
    fn generation(&self) -> u32 {
        self.meta.generation
    }

    /// `BufferMutability`: 0 immutable, 1 append-only, 2 mutable.
    #[getter]
    fn mutability(&self) -> u8 {
        self.meta.mutability
    }

    #[getter]
    fn trace_id(&self) -> u64 {
        self.meta.trace_id
    }

    #[getter]
    fn stream_id(&self) -> u32 {
        self.meta.stream_id
    }

    #[getter]
    fn sequence(&self) -> u64 {
        self.meta.sequence
    }

    #[getter]
    fn end_of_stream(&self) -> bool {
        self.meta.end_of_stream
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "OutputFrame(port_id={:?}, wire_format={:?}, size={}, payload=<{} bytes>)",
            self.meta.port_id,
            self.meta.type_ref.as_ref().map(|t| t.wire_format.as_str()),
            self.meta.size,
            self.payload.bind(py).as_bytes().len()
        )
    }
}
