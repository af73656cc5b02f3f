package org.spacedata.module;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A runtime host (docs/runtime-host.md): an append-only row store (in memory, or durable in a
 * SQLite file), record regions and a registry of verified modules with its own runtime, whose
 * modules run under the host policy given here. Thread-safe: every part does its own locking.
 */
public final class RuntimeHost extends NativeHandle {
    private RuntimeHost(long address) {
        super("RuntimeHost", address);
    }

    /** Everything in memory; registry modules run under the empty policy. */
    public static RuntimeHost inMemory() throws SdmException {
        return create(null, null);
    }

    public static RuntimeHost inMemory(HostPolicy policy) throws SdmException {
        return create(null, policy);
    }

    /** Rows in the SQLite file at {@code path} (created when absent), so they survive a reopen. */
    public static RuntimeHost open(Path path) throws SdmException {
        return create(path, null);
    }

    public static RuntimeHost open(Path path, HostPolicy policy) throws SdmException {
        return create(path, policy);
    }

    private static RuntimeHost create(Path path, HostPolicy policy) throws SdmException {
        return new RuntimeHost(NativeLib.runtimeHostNew(path == null ? null : path.toString(),
                policy == null ? null : policy.toJson()));
    }

    // ---- rows ----

    /** Stores a JSON payload under the trimmed schema id; its handle. */
    public RowHandle appendRow(String schemaFileId, String payloadJson) throws SdmException {
        return Json.read(use(host -> NativeLib.rhAppendRow(host, schemaFileId, payloadJson)), RowHandle.class);
    }

    /** The row, or empty when there is none ({@code runtime-host-invalid-row-id} for id 0). */
    public Optional<Row> resolveRow(String schemaFileId, long rowId) throws SdmException {
        return Optional.ofNullable(Json.read(use(host -> NativeLib.rhResolveRow(host, schemaFileId, rowId)), Row.class));
    }

    /** Every row of one schema ({@code null}: of all schemas), in insertion order. */
    public List<Row> listRows(String schemaFileId) throws SdmException {
        return Json.read(use(host -> NativeLib.rhListRows(host, schemaFileId)), new TypeReference<List<Row>>() {});
    }

    // ---- regions ----

    /**
     * Allocates an owned region of records of {@code recordByteLength} bytes (alignment a power
     * of two); {@code initialRecords} ({@code null} for none) is cut into records, a shorter last
     * record zero-padded.
     */
    public Region allocateRegion(String layoutId, long recordByteLength, long alignment, byte[] initialRecords)
            throws SdmException {
        String json = use(host -> NativeLib.rhAllocateRegion(host, layoutId, recordByteLength, alignment, initialRecords));
        return Json.read(json, Region.class);
    }

    public Optional<Region> describeRegion(long regionId) throws SdmException {
        return Optional.ofNullable(Json.read(use(host -> NativeLib.rhDescribeRegion(host, regionId)), Region.class));
    }

    /** Shrinking truncates, growing appends zero records; empty for an unknown region. */
    public Optional<Region> setRegionRecordCount(long regionId, long recordCount) throws SdmException {
        String json = use(host -> NativeLib.rhSetRegionRecordCount(host, regionId, recordCount));
        return Optional.ofNullable(Json.read(json, Region.class));
    }

    /** A copy of one owned record's bytes; empty for an unknown region or index. */
    public Optional<byte[]> resolveRecord(long regionId, long recordIndex) throws SdmException {
        return Optional.ofNullable(use(host -> NativeLib.rhResolveRecord(host, regionId, recordIndex)));
    }

    public List<Region> listRegions() throws SdmException {
        return Json.read(use(NativeLib::rhListRegions), new TypeReference<List<Region>>() {});
    }

    // ---- modules ----

    /** Installs a verified module under the trimmed id (not loaded yet); {@code metadataJson} may be null. */
    public ModuleRecord installModule(String moduleId, VerifiedModule module, String metadataJson) throws SdmException {
        return install(moduleId, module, metadataJson, false).module();
    }

    /** Replaces an installed module (the new version is not loaded); the record and the replaced one. */
    public ModuleInstall reinstallModule(String moduleId, VerifiedModule module, String metadataJson) throws SdmException {
        return install(moduleId, module, metadataJson, true);
    }

    private ModuleInstall install(String moduleId, VerifiedModule module, String metadataJson, boolean replace)
            throws SdmException {
        String json = use(host -> module.use(verified ->
                NativeLib.rhInstallModule(host, moduleId, verified, metadataJson, replace)));
        return Json.read(json, ModuleInstall.class);
    }

    /** Removes a module; its last record, or empty when it was not installed. */
    public Optional<ModuleRecord> uninstallModule(String moduleId) throws SdmException {
        return Optional.ofNullable(Json.read(use(host -> NativeLib.rhUninstallModule(host, moduleId)), ModuleRecord.class));
    }

    /** Compiles an installed module so it can be invoked. */
    public ModuleRecord loadModule(String moduleId) throws SdmException {
        return Json.read(use(host -> NativeLib.rhLoadModule(host, moduleId)), ModuleRecord.class);
    }

    /** Drops the compiled module (it stays installed); true when it was loaded. */
    public boolean unloadModule(String moduleId) throws SdmException {
        return use(host -> NativeLib.rhUnloadModule(host, moduleId));
    }

    public List<ModuleRecord> listModules() throws SdmException {
        return Json.read(use(NativeLib::rhListModules), new TypeReference<List<ModuleRecord>>() {});
    }

    public Optional<ModuleRecord> lookupModule(String moduleId) throws SdmException {
        return Optional.ofNullable(Json.read(use(host -> NativeLib.rhLookupModule(host, moduleId)), ModuleRecord.class));
    }

    /**
     * Invokes a loaded module (a fresh instance, the registry's limits and host; direct mode when
     * exported, else command). The call's mode, limits and policy are not used here.
     */
    public InvokeResult invoke(String moduleId, Call call) throws SdmException {
        String[] ports = call.ports();
        byte[][] payloads = call.payloads();
        String json = use(host -> NativeLib.rhInvoke(host, moduleId, call.method(), ports, payloads));
        return Json.read(json, InvokeResult.class);
    }

    /** Invokes a loaded module with an encoded {@code PluginInvokeRequest}; the encoded response. */
    public byte[] invokeBytes(String moduleId, byte[] request) throws SdmException {
        return use(host -> NativeLib.rhInvokeBytes(host, moduleId, request));
    }
}
