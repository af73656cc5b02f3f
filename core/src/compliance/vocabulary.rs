//! The vocabularies the rules check against (reference `src/capabilities.js` and
//! `src/runtime/constants.js`). Matching is exact and case-sensitive: the validator checks the
//! raw manifest, before the encoder's normalization would lower-case or alias anything.

/// The canonical coarse capability ids (`RecommendedCapabilityIds`).
pub const RECOMMENDED_CAPABILITIES: &[&str] = &[
    "clock",
    "random",
    "logging",
    "timers",
    "schedule_cron",
    "http",
    "tls",
    "websocket",
    "mqtt",
    "tcp",
    "udp",
    "network",
    "filesystem",
    "pipe",
    "pubsub",
    "protocol_handle",
    "protocol_dial",
    "database",
    "storage_adapter",
    "storage_query",
    "storage_write",
    "context_read",
    "context_write",
    "process_exec",
    "crypto_hash",
    "crypto_sign",
    "crypto_verify",
    "crypto_encrypt",
    "crypto_decrypt",
    "crypto_key_agreement",
    "crypto_kdf",
    "wallet_sign",
    "ipfs",
    "scene_access",
    "entity_access",
    "render_hooks",
];

/// Capabilities a standalone WASI artifact can use without a host wrapper.
pub const STANDALONE_WASI_CAPABILITIES: &[&str] =
    &["logging", "clock", "random", "filesystem", "pipe"];

/// Capabilities the canonical browser runtime target cannot provide.
pub const BROWSER_INCOMPATIBLE_CAPABILITIES: &[&str] = &[
    "filesystem",
    "pipe",
    "network",
    "tcp",
    "udp",
    "mqtt",
    "tls",
    "database",
    "storage_adapter",
    "storage_write",
    "protocol_dial",
    "protocol_handle",
    "process_exec",
    "wallet_sign",
    "ipfs",
    "scene_access",
    "entity_access",
    "render_hooks",
];

/// The canonical runtime targets, in the reference's order.
pub const RUNTIME_TARGETS: &[&str] = &[
    "node", "browser", "wasi", "wasmedge", "server", "desktop", "edge",
];
pub const RUNTIME_TARGET_BROWSER: &str = "browser";
/// Declaring `wasi` means "standalone WASI, no host wrapper".
pub const RUNTIME_TARGET_WASI: &str = "wasi";

pub const INVOKE_SURFACES: &[&str] = &["direct", "command"];
pub const INVOKE_SURFACE_DIRECT: &str = "direct";
pub const INVOKE_SURFACE_COMMAND: &str = "command";

pub const DRAIN_POLICIES: &[&str] = &["single-shot", "drain-until-yield", "drain-to-empty"];

pub const EXTERNAL_INTERFACE_DIRECTIONS: &[&str] = &["input", "output", "bidirectional"];

pub const EXTERNAL_INTERFACE_KINDS: &[&str] = &[
    "clock",
    "random",
    "timer",
    "schedule",
    "pubsub",
    "protocol",
    "http",
    "websocket",
    "mqtt",
    "tcp",
    "udp",
    "tls",
    "filesystem",
    "pipe",
    "network",
    "database",
    "exec",
    "crypto",
    "context",
    "local-runtime",
    "host-service",
];

/// Protocol transport kinds, in the reference's order (its messages list them this way).
pub const PROTOCOL_TRANSPORT_KINDS: &[&str] = &["libp2p", "http", "ws", "wasi-pipe"];
pub const TRANSPORT_LIBP2P: &str = "libp2p";
pub const TRANSPORT_WS: &str = "ws";
pub const TRANSPORT_WASI_PIPE: &str = "wasi-pipe";

/// Protocol roles, in the reference's order.
pub const PROTOCOL_ROLES: &[&str] = &["handle", "dial", "both"];
pub const ROLE_HANDLE: &str = "handle";
pub const ROLE_DIAL: &str = "dial";
pub const ROLE_BOTH: &str = "both";

/// Exports every artifact needs: the embedded manifest accessors.
pub const MANIFEST_EXPORTS: &[&str] = &[
    "plugin_get_manifest_flatbuffer",
    "plugin_get_manifest_flatbuffer_size",
];
/// Exports the `direct` invoke surface needs.
pub const DIRECT_INVOKE_EXPORTS: &[&str] = &["plugin_invoke_stream", "plugin_alloc", "plugin_free"];
/// The export the `command` invoke surface needs.
pub const COMMAND_EXPORT: &str = "_start";
