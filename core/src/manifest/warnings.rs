//! The warning texts `toEmbeddedPluginManifest` records (spec 4.4), word for word.

/// Recorded when `externalInterfaces` is a non-empty array.
pub const EXTERNAL_INTERFACES_OMITTED: &str = "externalInterfaces are not yet representable in the embedded FlatBuffer manifest schema and were omitted from the compiled artifact.";

/// Recorded for each capability that is not in the `CapabilityKind` vocabulary. `shown` is the
/// original text element, or an object element's `capability` value as text (`unknown` when
/// absent or null).
pub fn capability_omitted(shown: &str) -> String {
    format!(
        "Capability \"{shown}\" is not representable in the current embedded FlatBuffer manifest schema and was omitted."
    )
}
