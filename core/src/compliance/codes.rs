//! The 76 stable issue codes and the severity each one carries.
//!
//! The names are the reference's strings; programs match on them. Every code has one fixed
//! severity in the reference, so the severity is a property of the code, not of the call site.

use std::fmt;

/// How bad an issue is: errors make a report fail, warnings do not (unless a caller is strict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// `"error"` or `"warning"`, as in the reference's reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! issue_codes {
    ($( $variant:ident => $name:literal, $severity:ident; )*) => {
        /// A stable compliance issue code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in the order of `docs/compliance.md`.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity the reference always gives this code.
            pub const fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// Looks a code up by its stable name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

issue_codes! {
    // manifest shape and top-level strings
    InvalidManifest => "invalid-manifest", Error;
    MissingString => "missing-string", Error;
    InvalidInteger => "invalid-integer", Error;
    IntegerRange => "integer-range", Error;
    InvalidBoolean => "invalid-boolean", Error;
    // capabilities
    MissingCapabilitiesArray => "missing-capabilities-array", Warning;
    InvalidCapability => "invalid-capability", Error;
    DuplicateCapability => "duplicate-capability", Warning;
    NoncanonicalCapability => "noncanonical-capability", Warning;
    // runtime targets
    InvalidRuntimeTargets => "invalid-runtime-targets", Error;
    InvalidRuntimeTarget => "invalid-runtime-target", Error;
    DuplicateRuntimeTarget => "duplicate-runtime-target", Warning;
    NoncanonicalRuntimeTarget => "noncanonical-runtime-target", Warning;
    CapabilityRuntimeConflict => "capability-runtime-conflict", Error;
    // invoke surfaces
    InvalidInvokeSurfaces => "invalid-invoke-surfaces", Error;
    InvalidInvokeSurface => "invalid-invoke-surface", Error;
    UnknownInvokeSurface => "unknown-invoke-surface", Error;
    DuplicateInvokeSurface => "duplicate-invoke-surface", Warning;
    // external interfaces
    MissingExternalInterfacesArray => "missing-external-interfaces-array", Warning;
    InvalidExternalInterface => "invalid-external-interface", Error;
    MissingInterfaceKind => "missing-interface-kind", Error;
    UnknownInterfaceKind => "unknown-interface-kind", Warning;
    MissingInterfaceDirection => "missing-interface-direction", Error;
    InvalidInterfaceDirection => "invalid-interface-direction", Error;
    MissingInterfaceCapability => "missing-interface-capability", Warning;
    UndeclaredInterfaceCapability => "undeclared-interface-capability", Error;
    // methods and ports
    MissingMethods => "missing-methods", Error;
    InvalidMethod => "invalid-method", Error;
    DuplicateMethodId => "duplicate-method-id", Error;
    MissingInputPorts => "missing-input-ports", Error;
    MissingOutputPorts => "missing-output-ports", Error;
    MissingDrainPolicy => "missing-drain-policy", Error;
    InvalidDrainPolicy => "invalid-drain-policy", Error;
    InvalidPort => "invalid-port", Error;
    MissingAcceptedTypeSets => "missing-accepted-type-sets", Error;
    StreamRange => "stream-range", Error;
    InvalidRequiredFlag => "invalid-required-flag", Error;
    // accepted type sets and allowed types
    InvalidTypeSet => "invalid-type-set", Error;
    MissingAllowedTypes => "missing-allowed-types", Error;
    InvalidTypeRecord => "invalid-type-record", Error;
    InvalidWireFormat => "invalid-wire-format", Error;
    AcceptsAnyFlatbufferFormatConflict => "accepts-any-flatbuffer-format-conflict", Error;
    MissingAlignedSchemaName => "missing-aligned-schema-name", Error;
    MissingAlignedRootTypeName => "missing-aligned-root-type-name", Error;
    MissingTypeIdentity => "missing-type-identity", Error;
    MissingFlatbufferFallback => "missing-flatbuffer-fallback", Error;
    // timers
    InvalidTimersArray => "invalid-timers-array", Error;
    InvalidTimer => "invalid-timer", Error;
    UnknownTimerMethod => "unknown-timer-method", Error;
    InvalidTimerInputPort => "invalid-timer-input-port", Error;
    UnknownTimerInputPort => "unknown-timer-input-port", Error;
    UndeclaredTimerCapability => "undeclared-timer-capability", Error;
    // protocols
    InvalidProtocolsArray => "invalid-protocols-array", Error;
    InvalidProtocol => "invalid-protocol", Error;
    UnknownProtocolMethod => "unknown-protocol-method", Error;
    InvalidProtocolInputPort => "invalid-protocol-input-port", Error;
    UnknownProtocolInputPort => "unknown-protocol-input-port", Error;
    InvalidProtocolOutputPort => "invalid-protocol-output-port", Error;
    UnknownProtocolOutputPort => "unknown-protocol-output-port", Error;
    UnknownProtocolTransportKind => "unknown-protocol-transport-kind", Error;
    UnknownProtocolRole => "unknown-protocol-role", Error;
    UndeclaredProtocolCapability => "undeclared-protocol-capability", Error;
    MissingHandleProtocolCapability => "missing-handle-protocol-capability", Error;
    MissingDialProtocolCapability => "missing-dial-protocol-capability", Error;
    ProtocolAdvertiseRoleConflict => "protocol-advertise-role-conflict", Error;
    MissingIpfsCapability => "missing-ipfs-capability", Error;
    InsecureSecurePortHint => "insecure-secure-port-hint", Warning;
    // standalone WASI target
    MissingWasiCommandSurface => "missing-wasi-command-surface", Error;
    CapabilityWasiStandaloneConflict => "capability-wasi-standalone-conflict", Error;
    ProtocolWasiStandaloneConflict => "protocol-wasi-standalone-conflict", Error;
    // schemasUsed
    InvalidSchemasUsedArray => "invalid-schemas-used-array", Error;
    // artifact exports
    MissingPluginManifestExport => "missing-plugin-manifest-export", Error;
    MissingPluginInvokeExport => "missing-plugin-invoke-export", Error;
    MissingPluginCommandExport => "missing-plugin-command-export", Error;
    ArtifactAbiNotChecked => "artifact-abi-not-checked", Warning;
    // standards catalog
    UnresolvedStandardsType => "unresolved-standards-type", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_76_unique_codes_that_round_trip() {
        assert_eq!(Code::ALL.len(), 76);
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
        assert_eq!(Code::from_name("nope"), None);
    }

    #[test]
    fn the_vectors_cover_exactly_these_codes() {
        let coverage = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vectors/differential/compliance/coverage.json"
        ))
        .unwrap();
        let coverage: serde_json::Value = serde_json::from_str(&coverage).unwrap();
        let covered = coverage["covered"].as_object().unwrap();
        assert_eq!(covered.len(), Code::ALL.len());
        for name in covered.keys() {
            assert!(
                Code::from_name(name).is_some(),
                "unknown code {name} in coverage.json"
            );
        }
    }
}
