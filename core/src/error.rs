//! The one error type of the core.
//!
//! Every failure carries an [`ErrorCode`]: a stable kebab-case name and a stable number that
//! cross every boundary unchanged (CLI exit codes and JSON, C status values, and each
//! language binding). Codes are grouped by module in ranges of 100; a code is never renumbered
//! or reused. `docs/errors.md` documents the table, and a test keeps the two in step.

use std::fmt;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $num:literal => $name:literal ),* $(,)?) => {
        /// Stable error codes. The numeric value is part of the public ABI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant = $num, )*
        }

        impl ErrorCode {
            /// Every code, in numeric order of declaration.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The stable kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// The stable number.
            pub const fn number(self) -> u32 {
                self as u32
            }

            /// Looks a code up by its stable number.
            pub fn from_number(number: u32) -> Option<ErrorCode> {
                match number { $( $num => Some(ErrorCode::$variant), )* _ => None }
            }

            /// Looks a code up by its stable name.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $( $name => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- general: 1..=99 ------------------------------------------------------------------
    /// A file could not be read or written.
    Io = 1 => "io",
    /// Input text is not valid JSON (or not the JSON shape the operation needs).
    InvalidJson = 2 => "invalid-json",
    /// An input exceeds a documented size cap.
    InputTooLarge = 3 => "input-too-large",
    /// An argument is missing, empty or out of range.
    InvalidArgument = 4 => "invalid-argument",
    /// A bug in this library: an invariant did not hold. Please report it.
    Internal = 5 => "internal",
    /// A panic was caught at an API boundary (C ABI, bindings).
    Panic = 6 => "panic",
    // ---- end of general ----

    // ---- manifest: 100..=199 --------------------------------------------------------------
    /// The buffer's file identifier (bytes 4..8) is not `PMAN`, or the buffer is shorter than 8 bytes.
    ManifestIdentifierMismatch = 100 => "manifest-identifier-mismatch",
    /// The buffer carries the `PMAN` identifier but fails FlatBuffers verification.
    ManifestMalformed = 101 => "manifest-malformed",
    /// A field the FlatBuffer schema requires is absent after normalization.
    ManifestRequiredField = 102 => "manifest-required-field",
    /// The manifest JSON has a value of a shape the encoder cannot use (e.g. a method that is not an object).
    ManifestInvalidValue = 103 => "manifest-invalid-value",
    // ---- end of manifest ----

    // ---- wasm: 200..=299 ------------------------------------------------------------------
    /// The module is shorter than the 8-byte header.
    WasmTruncated = 200 => "wasm-truncated",
    /// The first four bytes are not `\0asm`.
    WasmMagicMismatch = 201 => "wasm-magic-mismatch",
    /// The version field is not 1.
    WasmUnsupportedVersion = 202 => "wasm-unsupported-version",
    /// A ULEB128 ran past the end of the input.
    WasmUlebEndOfData = 203 => "wasm-uleb-end-of-data",
    /// A ULEB128 is longer than the supported range.
    WasmUlebOverflow = 204 => "wasm-uleb-overflow",
    /// A section's declared size runs past the end of the module.
    WasmSectionPastEnd = 205 => "wasm-section-past-end",
    /// A custom section's name runs past its payload.
    WasmCustomNamePastPayload = 206 => "wasm-custom-name-past-payload",
    /// A custom section name is empty after trimming.
    WasmCustomNameRequired = 207 => "wasm-custom-name-required",
    /// The module fails WebAssembly validation.
    WasmInvalid = 208 => "wasm-invalid",
    // ---- end of wasm ----

    // ---- bundle: 300..=399 ----------------------------------------------------------------
    /// The module has no custom section with the bundle's name.
    BundleMissing = 300 => "bundle-missing",
    /// The module has more than one custom section with the bundle's name.
    BundleDuplicate = 301 => "bundle-duplicate",
    /// The bundle's file identifier is not `SMDB`.
    BundleIdentifierMismatch = 302 => "bundle-identifier-mismatch",
    /// The bundle carries `SMDB` but fails FlatBuffers verification.
    BundleMalformed = 303 => "bundle-malformed",
    /// An entry's payload has a type the bundle cannot store.
    BundleInvalidPayload = 304 => "bundle-invalid-payload",
    /// A stored hash does not match the bytes it covers (verify step).
    BundleHashMismatch = 305 => "bundle-hash-mismatch",
    /// An entry lacks its required id (an explicit `null` entry id).
    BundleRequiredField = 306 => "bundle-required-field",
    // ---- end of bundle ----

    // ---- canonical JSON: 400..=449 --------------------------------------------------------
    /// A value cannot be written as canonical JSON (non-finite number).
    CanonicalNonFinite = 400 => "canonical-non-finite",
    // ---- end of canonical JSON ----

    // ---- deployment: 450..=499 ------------------------------------------------------------
    /// A deployment plan has a shape that cannot be normalized.
    DeploymentInvalidPlan = 450 => "deployment-invalid-plan",
    // ---- end of deployment ----

    // ---- compliance: 500..=599 ------------------------------------------------------------
    /// A standards catalog is not an array of `{schemaCode, schemaName?, fileIdentifier?}`.
    ComplianceInvalidCatalog = 500 => "compliance-invalid-catalog",
    /// A compliance vector case (`N.input.json`) names an unknown validator or has a field of the wrong type.
    ComplianceInvalidCase = 501 => "compliance-invalid-case",
    // ---- end of compliance ----

    // ---- publication and authorization: 600..=699 -----------------------------------------
    /// A `$REC` footer is present but its length is out of range, or the record collection fails validation.
    TrailerInvalid = 600 => "trailer-invalid",
    /// The artifact has no `$REC` footer and the policy requires a signed artifact.
    TrailerMissing = 601 => "trailer-missing",
    /// No PNM record, or a PNM without `CID`/`SIGNATURE`, and the policy requires a signature.
    SignatureMissing = 602 => "signature-missing",
    /// The PNM `CID` is not the content identifier of the payload.
    CidMismatch = 603 => "cid-mismatch",
    /// An unknown signature type, ENC algorithm, ENC version or authorization algorithm.
    UnsupportedAlgorithm = 604 => "unsupported-algorithm",
    /// No trusted signer key verifies the PNM `SIGNATURE`.
    SignatureInvalid = 605 => "signature-invalid",
    /// The PNM `TIMESTAMP_SIGNATURE` does not verify under the signer's key.
    TimestampSignatureInvalid = 606 => "timestamp-signature-invalid",
    /// The artifact is encrypted (ENC record) and no recipient key was supplied.
    DecryptionKeyRequired = 607 => "decryption-key-required",
    /// Decryption failed: all-zero X25519 shared secret, or an AES-GCM tag mismatch.
    DecryptionFailed = 608 => "decryption-failed",
    /// The decrypted bytes are not valid WebAssembly (wrong key or tampered ENC record).
    DecryptedPayloadInvalid = 609 => "decrypted-payload-invalid",
    /// A transport envelope has the wrong scheme or shape, or a version-2 blob has no ENC record.
    EnvelopeInvalid = 610 => "envelope-invalid",
    /// A deployment authorization envelope lacks its payload, signature, header or numeric times.
    AuthorizationMalformed = 611 => "authorization-malformed",
    /// The authorization's signer key is not in the trusted set.
    SignerUntrusted = 612 => "signer-untrusted",
    /// The authorization expired (`expiresAt` before now) or was issued too far in the future.
    AuthorizationExpired = 613 => "authorization-expired",
    /// The authorization signature does not verify over the canonical payload.
    AuthorizationSignatureInvalid = 614 => "authorization-signature-invalid",
    /// The authorization does not grant what is expected (action, artifact, target or capability).
    AuthorizationMismatch = 615 => "authorization-mismatch",
    /// A key, key file or mnemonic is malformed (never replaced by a fresh key).
    KeyInvalid = 616 => "key-invalid",
    /// The module has no tool-conventions `signature` section first, and no detached signature was given.
    WasmSignatureMissing = 617 => "wasm-signature-missing",
    /// Tool-conventions signature data is truncated, has trailing bytes, an unsupported version, content type or hash function, or too many hashes or signatures.
    WasmSignatureMalformed = 618 => "wasm-signature-malformed",
    /// No signature of a trusted Ed25519 key verifies over the module's signed hashes.
    WasmSignatureUntrusted = 619 => "wasm-signature-untrusted",
    /// The trusted signatures cover other bytes: a part was changed, added, removed or reordered.
    WasmSignatureMismatch = 620 => "wasm-signature-mismatch",
    /// Only a prefix of the module is signed, and partial verification was not asked for.
    WasmSignaturePartial = 621 => "wasm-signature-partial",
    // ---- end of publication ----

    // ---- invoke and runtime: 700..=799 ----------------------------------------------------
    /// Bytes 4..8 of an invoke request are not `PINQ` (or the buffer is shorter than 8 bytes).
    InvokeRequestIdentifierMismatch = 700 => "invoke-request-identifier-mismatch",
    /// Bytes 4..8 of an invoke response are not `PINS` (or the buffer is shorter than 8 bytes).
    InvokeResponseIdentifierMismatch = 701 => "invoke-response-identifier-mismatch",
    /// An invoke envelope fails FlatBuffers verification.
    InvokeMalformed = 702 => "invoke-malformed",
    /// A frame's `offset + size` lies outside the envelope's payload arena.
    InvokeFrameOutOfArena = 703 => "invoke-frame-out-of-arena",
    /// A frame alignment is 0, not a power of two, or above 65535.
    InvokeInvalidAlignment = 704 => "invoke-invalid-alignment",
    /// An invoke request has no method id.
    InvokeMethodIdRequired = 705 => "invoke-method-id-required",
    /// An envelope exceeds a size or frame-count limit.
    InvokeLimitExceeded = 706 => "invoke-limit-exceeded",
    /// The runtime cannot compile the module (not valid WebAssembly, or unsupported features).
    RuntimeCompileFailed = 720 => "runtime-compile-failed",
    /// The module needs an import the runtime does not provide, or instantiation failed.
    RuntimeInstantiateFailed = 721 => "runtime-instantiate-failed",
    /// A required export is missing or has the wrong type (the mode is not supported).
    RuntimeMissingExport = 722 => "runtime-missing-export",
    /// The guest used up its fuel (instruction budget).
    RuntimeFuelExhausted = 723 => "runtime-fuel-exhausted",
    /// The guest exceeded its wall-clock time limit.
    RuntimeTimeout = 724 => "runtime-timeout",
    /// The guest tried to grow a memory or table beyond the cap.
    RuntimeMemoryLimit = 725 => "runtime-memory-limit",
    /// A guest-supplied pointer and length lie outside the guest's memory.
    RuntimeOutOfBounds = 726 => "runtime-out-of-bounds",
    /// The request exceeds the configured maximum size.
    RuntimeRequestTooLarge = 727 => "runtime-request-too-large",
    /// The guest's response exceeds the configured maximum size.
    RuntimeResponseTooLarge = 728 => "runtime-response-too-large",
    /// The guest trapped (unreachable, out-of-bounds access, stack overflow, unexpected exit...).
    RuntimeTrap = 729 => "runtime-trap",
    /// `plugin_invoke_stream` returned a null response pointer.
    RuntimeNullResponse = 730 => "runtime-null-response",
    /// `plugin_alloc` returned 0.
    RuntimeAllocFailed = 731 => "runtime-alloc-failed",
    /// A command-mode run ended without a response (exit code other than 0/1, or empty stdout).
    RuntimeCommandFailed = 732 => "runtime-command-failed",
    // ---- end of invoke ----

    // ---- host: 800..=849 (runtime_host: 850..=899) ----------------------------------------
    /// The capability is not both declared by the manifest and granted by the host policy (no side effect happened).
    HostCapabilityDenied = 800 => "host-capability-denied",
    /// The capability is not one this host supports.
    HostCapabilityUnsupported = 801 => "host-capability-unsupported",
    /// A path resolves outside the filesystem root (`..`, an absolute path, or a symlink pointing out).
    FilesystemScopeViolation = 802 => "filesystem-scope-violation",
    /// The host, port or a resolved address is not allowed by the network policy.
    HostNetworkDenied = 803 => "host-network-denied",
    /// The command is not on the policy's allow-list.
    HostCommandDenied = 804 => "host-command-denied",
    /// No host operation has this name.
    HostOperationUnknown = 810 => "host-operation-unknown",
    /// The operation's parameters are missing, of the wrong type or out of range.
    HostInvalidParams = 811 => "host-invalid-params",
    /// Data read from a file, the network or a child process exceeds its cap.
    HostLimitExceeded = 812 => "host-limit-exceeded",
    /// The operation did not finish within its timeout.
    HostTimeout = 813 => "host-timeout",
    /// A filesystem operation failed (not found, permission, not a directory...).
    HostIoFailed = 814 => "host-io-failed",
    /// A connection, TLS handshake or protocol exchange failed.
    HostNetworkFailed = 815 => "host-network-failed",
    /// A child process could not be started or waited for.
    HostProcessFailed = 816 => "host-process-failed",
    /// An `sdn_host` pointer and length lie outside guest memory.
    HostBridgeOutOfBounds = 817 => "host-bridge-out-of-bounds",
    /// An `sdn_host` operation name or payload exceeds its cap.
    HostRequestTooLarge = 818 => "host-request-too-large",
    /// An `sdn_host` response envelope exceeds its cap.
    HostResponseTooLarge = 819 => "host-response-too-large",
    /// A cron expression has no occurrence within the next 5 years.
    HostScheduleNoOccurrence = 820 => "host-schedule-no-occurrence",
    /// The operation failed for a reason of its own (the message says which).
    HostOperationFailed = 821 => "host-operation-failed",
    // ---- end of host ----

    // ---- runtime host: 850..=899 ----
    /// A schema file id is empty after trimming, or longer than its cap.
    RuntimeHostInvalidSchemaId = 850 => "runtime-host-invalid-schema-id",
    /// A row id is 0 (row ids start at 1) or above the store's range.
    RuntimeHostInvalidRowId = 851 => "runtime-host-invalid-row-id",
    /// A region layout id is empty after trimming, or longer than its cap.
    RuntimeHostInvalidLayoutId = 852 => "runtime-host-invalid-layout-id",
    /// A region's record byte length is 0 or above its cap.
    RuntimeHostInvalidRecordLength = 853 => "runtime-host-invalid-record-length",
    /// A region alignment is not a power of two, or above its cap.
    RuntimeHostInvalidAlignment = 854 => "runtime-host-invalid-alignment",
    /// An initial record is longer than the region's record byte length.
    RuntimeHostRecordTooLong = 855 => "runtime-host-record-too-long",
    /// The record count of an externally counted region cannot be set.
    RuntimeHostRegionExternallyCounted = 856 => "runtime-host-region-externally-counted",
    /// An external region's source failed to report its count or a record view.
    RuntimeHostExternalRegionFailed = 857 => "runtime-host-external-region-failed",
    /// The row, region or record does not exist (C ABI calls that must return bytes).
    RuntimeHostNotFound = 858 => "runtime-host-not-found",
    /// A payload, region, module or metadata exceeds its documented cap.
    RuntimeHostLimitExceeded = 859 => "runtime-host-limit-exceeded",
    /// The durable row store (SQLite) failed: open, migrate, read or write.
    RuntimeHostStoreFailed = 860 => "runtime-host-store-failed",
    /// The durable row store holds data this version cannot read (bad schema, bad JSON).
    RuntimeHostStoreCorrupt = 861 => "runtime-host-store-corrupt",
    /// A module id is empty after trimming, or longer than its cap.
    RuntimeHostInvalidModuleId = 862 => "runtime-host-invalid-module-id",
    /// No installed module has this id or canonical hash.
    RuntimeHostModuleUnknown = 863 => "runtime-host-module-unknown",
    /// The module is installed but not loaded (never loaded, or unloaded).
    RuntimeHostModuleNotLoaded = 864 => "runtime-host-module-not-loaded",
    /// A module with this id is already installed (replacing needs `reinstall`).
    RuntimeHostModuleExists = 865 => "runtime-host-module-exists",
    /// The bytes carry a publication trailer: open them with `publication::open` first.
    RuntimeHostProtectedArtifact = 866 => "runtime-host-protected-artifact",
    // ---- end of runtime host ----

    // ---- compiler: 900..=999 --------------------------------------------------------------
    /// clang for `wasm32-wasi` or the WASI sysroot is not installed.
    CompilerToolchainMissing = 900 => "compiler-toolchain-missing",
    /// The manifest lacks what the compiler needs (ports without ids, no manifest bytes...).
    CompilerInvalidManifest = 901 => "compiler-invalid-manifest",
    /// A method id is not a valid C export name, or is declared twice.
    CompilerInvalidMethodId = 902 => "compiler-invalid-method-id",
    /// clang or the linker reported an error.
    CompilerFailed = 903 => "compiler-failed",
    /// The source language is not supported.
    CompilerUnsupportedLanguage = 904 => "compiler-unsupported-language",
    /// The source code is empty.
    CompilerEmptySource = 905 => "compiler-empty-source",
    /// The linked module lacks a required export (or has `_start` without the command surface).
    CompilerOutputInvalid = 906 => "compiler-output-invalid",
    // ---- end of compiler ----
}

/// Broad classes of failure. The CLI maps each class to one exit code (documented in
/// `docs/errors.md`), so scripts can branch without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    Io,
    Input,
    Wasm,
    Bundle,
    Security,
    Runtime,
    Internal,
}

impl ErrorClass {
    /// The CLI exit code for this class (0 ok, 1 check failed, 2 usage are taken).
    pub const fn exit_code(self) -> i32 {
        match self {
            ErrorClass::Io => 3,
            ErrorClass::Input => 4,
            ErrorClass::Wasm => 5,
            ErrorClass::Bundle => 6,
            ErrorClass::Security => 7,
            ErrorClass::Runtime => 8,
            ErrorClass::Internal => 9,
        }
    }
}

impl ErrorCode {
    /// The class this code belongs to, derived from its numeric range.
    pub const fn class(self) -> ErrorClass {
        match self as u32 {
            1 => ErrorClass::Io,
            5 | 6 => ErrorClass::Internal,
            2..=99 => ErrorClass::Input,
            100..=199 => ErrorClass::Input,
            200..=299 => ErrorClass::Wasm,
            300..=399 => ErrorClass::Bundle,
            400..=599 => ErrorClass::Input,
            600..=699 | 800..=809 => ErrorClass::Security,
            700..=999 => ErrorClass::Runtime,
            _ => ErrorClass::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every fallible operation in the core.
///
/// The message is for people; the [`ErrorCode`] is for programs. Messages never contain
/// secret material (keys, mnemonics, plaintext).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Adds context in front of the message, keeping the code.
    pub fn context(self, context: impl fmt::Display) -> Self {
        Error {
            code: self.code,
            message: format!("{context}: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::new(ErrorCode::Io, err.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// TEST SUPPORT for API boundaries: panics inside the core on purpose, so a binding can show
/// that a panic raised deep in the library comes back as the `panic` status, not a crash.
#[doc(hidden)]
pub fn debug_force_panic() -> Result<()> {
    panic!("sdm_debug_force_panic: raised inside space_data_module::error::debug_force_panic")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut numbers = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(
                numbers.insert(code.number()),
                "duplicate number {}",
                code.number()
            );
            assert!(
                names.insert(code.as_str()),
                "duplicate name {}",
                code.as_str()
            );
            assert_eq!(ErrorCode::from_number(code.number()), Some(code));
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
            let name = code.as_str();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/errors.md");
        for &code in ErrorCode::ALL {
            let row = format!("| {} | `{}` |", code.number(), code.as_str());
            assert!(
                doc.contains(&row),
                "docs/errors.md lacks the row starting `{row}`"
            );
        }
    }

    #[test]
    fn classes_map_to_distinct_documented_exit_codes() {
        assert_eq!(ErrorCode::Io.class().exit_code(), 3);
        assert_eq!(ErrorCode::ManifestRequiredField.class(), ErrorClass::Input);
        assert_eq!(ErrorCode::WasmTruncated.class(), ErrorClass::Wasm);
        assert_eq!(ErrorCode::BundleMissing.class(), ErrorClass::Bundle);
        assert_eq!(ErrorCode::Panic.class(), ErrorClass::Internal);
    }
}
