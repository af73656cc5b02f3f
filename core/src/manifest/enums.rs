//! The manifest enums (spec 4.1): stored values, schema defaults, and the text names the
//! reference accepts (encoding) and produces (decoding).

/// `PluginFamily` default: ANALYSIS.
pub const PLUGIN_FAMILY_DEFAULT: u8 = 3;
/// `DrainPolicy` default: DRAIN_UNTIL_YIELD.
pub const DRAIN_POLICY_DEFAULT: u8 = 1;
/// `CapabilityKind` default: CLOCK.
pub const CAPABILITY_DEFAULT: u16 = 0;
/// `abi_version` default.
pub const ABI_VERSION_DEFAULT: u32 = 1;
/// `max_batch` default.
pub const MAX_BATCH_DEFAULT: u32 = 1;
/// `min_streams` / `max_streams` default.
pub const STREAMS_DEFAULT: u16 = 1;

/// `InvokeSurface.DIRECT`: in-memory calls through `plugin_invoke_stream`.
pub const INVOKE_SURFACE_DIRECT: u8 = 0;
/// `InvokeSurface.COMMAND`: WASI command mode through `_start`.
pub const INVOKE_SURFACE_COMMAND: u8 = 1;

/// `PluginFamily` names by value (lowercased enum names, as decoding renders them).
const PLUGIN_FAMILIES: [&str; 11] = [
    "sensor",
    "propagator",
    "renderer",
    "analysis",
    "data_source",
    "comms",
    "shader",
    "sdf",
    "infrastructure",
    "flow",
    "bridge",
];

/// `DrainPolicy` names by value (hyphenated, the only spelling accepted on input).
const DRAIN_POLICIES: [&str; 3] = ["single-shot", "drain-until-yield", "drain-to-empty"];

/// `CapabilityKind` names by value (lowercased enum names).
const CAPABILITIES: [&str; 36] = [
    "clock",
    "random",
    "logging",
    "timers",
    "pubsub",
    "protocol_dial",
    "protocol_handle",
    "storage_query",
    "scene_access",
    "entity_access",
    "render_hooks",
    "http",
    "filesystem",
    "pipe",
    "network",
    "database",
    "storage_adapter",
    "storage_write",
    "wallet_sign",
    "ipfs",
    "tls",
    "mqtt",
    "websocket",
    "tcp",
    "udp",
    "process_exec",
    "context_read",
    "context_write",
    "crypto_hash",
    "crypto_sign",
    "crypto_verify",
    "crypto_encrypt",
    "crypto_decrypt",
    "crypto_key_agreement",
    "crypto_kdf",
    "schedule_cron",
];

/// The decoded name of a `PluginFamily` value (`"data_source"`), `None` outside the enum.
pub fn plugin_family_name(value: u8) -> Option<&'static str> {
    PLUGIN_FAMILIES.get(usize::from(value)).copied()
}

/// Looks up already trimmed and lowercased text; accepts the alias `datasource`.
pub fn plugin_family_from_name(name: &str) -> Option<u8> {
    if name == "datasource" {
        return Some(4);
    }
    position(&PLUGIN_FAMILIES, name)
}

/// The decoded name of a `DrainPolicy` value (`"single-shot"`), `None` outside the enum.
pub fn drain_policy_name(value: u8) -> Option<&'static str> {
    DRAIN_POLICIES.get(usize::from(value)).copied()
}

/// Looks up already trimmed and lowercased text (hyphenated names only).
pub fn drain_policy_from_name(name: &str) -> Option<u8> {
    position(&DRAIN_POLICIES, name)
}

/// The decoded name of a `CapabilityKind` value (`"schedule_cron"`), `None` outside the enum.
pub fn capability_name(value: u16) -> Option<&'static str> {
    CAPABILITIES.get(usize::from(value)).copied()
}

/// Looks up already trimmed and lowercased text; accepts the aliases `exec` (PROCESS_EXEC)
/// and `cron` (SCHEDULE_CRON). Hyphens are not turned into underscores.
pub fn capability_from_name(name: &str) -> Option<u16> {
    match name {
        "exec" => Some(25),
        "cron" => Some(35),
        _ => CAPABILITIES
            .iter()
            .position(|known| *known == name)
            .and_then(|i| u16::try_from(i).ok()),
    }
}

/// The decoded name of an `InvokeSurface` value, `None` for unknown values.
pub fn invoke_surface_name(value: u8) -> Option<&'static str> {
    match value {
        INVOKE_SURFACE_DIRECT => Some("direct"),
        INVOKE_SURFACE_COMMAND => Some("command"),
        _ => None,
    }
}

/// Looks up already trimmed and lowercased text.
pub fn invoke_surface_from_name(name: &str) -> Option<u8> {
    match name {
        "direct" => Some(INVOKE_SURFACE_DIRECT),
        "command" => Some(INVOKE_SURFACE_COMMAND),
        _ => None,
    }
}

/// Protocol `transportKind` (a stored string): normalized text → stored text via the alias
/// table of 4.1; other non-empty text is stored as is.
pub fn protocol_transport_kind(normalized: &str) -> &str {
    match normalized {
        "websocket" => "ws",
        "pipe" | "wasi_pipe" => "wasi-pipe",
        other => other,
    }
}

/// Protocol `role` (a stored string): `handler` → `handle`; other text is stored as is.
pub fn protocol_role(normalized: &str) -> &str {
    match normalized {
        "handler" => "handle",
        other => other,
    }
}

fn position(names: &[&str], name: &str) -> Option<u8> {
    names
        .iter()
        .position(|known| *known == name)
        .and_then(|i| u8::try_from(i).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_names() {
        assert_eq!(capability_from_name("cron"), Some(35));
        assert_eq!(capability_from_name("schedule_cron"), Some(35));
        assert_eq!(capability_from_name("schedule-cron"), None);
        assert_eq!(capability_from_name("exec"), Some(25));
        assert_eq!(capability_name(25), Some("process_exec"));
        assert_eq!(capability_name(36), None);
        assert_eq!(plugin_family_from_name("datasource"), Some(4));
        assert_eq!(plugin_family_from_name("data-source"), None);
        assert_eq!(plugin_family_name(4), Some("data_source"));
        assert_eq!(drain_policy_from_name("single_shot"), None);
        assert_eq!(drain_policy_name(2), Some("drain-to-empty"));
    }
}
