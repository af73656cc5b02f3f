using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// Limits of one invocation (the C ABI's sdm_limits). Start from <see cref="Default"/> and
    /// change what you need; 0 for <see cref="Fuel"/> or <see cref="TimeoutMs"/> is unlimited.
    /// </summary>
    public sealed class Limits
    {
        /// <summary>Fuel (about one unit per wasm instruction); 0 = unlimited.</summary>
        public ulong Fuel { get; set; }
        /// <summary>Wall-clock timeout in milliseconds; 0 = unlimited.</summary>
        public ulong TimeoutMs { get; set; }
        /// <summary>Linear-memory cap per memory, bytes.</summary>
        public ulong MaxMemoryBytes { get; set; }
        /// <summary>Largest request accepted, bytes.</summary>
        public ulong MaxRequestBytes { get; set; }
        /// <summary>Largest response accepted from the guest, bytes.</summary>
        public ulong MaxResponseBytes { get; set; }

        /// <summary>The library's defaults (sdm_limits_default).</summary>
        public static Limits Default()
        {
            sdm_limits native = NativeMethods.sdm_limits_default();
            return new Limits
            {
                Fuel = native.fuel,
                TimeoutMs = native.timeout_ms,
                MaxMemoryBytes = native.max_memory_bytes,
                MaxRequestBytes = native.max_request_bytes,
                MaxResponseBytes = native.max_response_bytes,
            };
        }

        internal sdm_limits ToNative()
        {
            return new sdm_limits
            {
                fuel = Fuel,
                timeout_ms = TimeoutMs,
                max_memory_bytes = MaxMemoryBytes,
                max_request_bytes = MaxRequestBytes,
                max_response_bytes = MaxResponseBytes,
            };
        }
    }
}
