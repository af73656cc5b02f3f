using System;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// The runtime host (sdm_runtime_host; docs/runtime-host.md): rows per schema (in memory or
    /// durable in SQLite), regions of fixed-size records, and installed modules it loads and
    /// invokes. Thread-safe: share one runtime host between threads (row ids stay unique).
    /// Dispose is idempotent and closes a durable store (its rows stay in the file); a call
    /// still running keeps the native host alive until it returns; calls after Dispose throw
    /// ObjectDisposedException. Ids and JSON go in and out as strings (UTF-8 on the wire).
    /// </summary>
    public sealed unsafe class RuntimeHost : IDisposable
    {
        readonly RuntimeHostHandle handle;

        RuntimeHost(RuntimeHostHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>A host with everything in memory (sdm_runtime_host_new).</summary>
        public static RuntimeHost InMemory()
        {
            return new RuntimeHost(RuntimeHostHandle.Create(null));
        }

        /// <summary>A host whose registry modules call sdn_host under the host policy
        /// <paramref name="policyJson"/> (docs/host.md, as <see cref="Host"/>), each granted at
        /// most what its verified manifest declares (sdm_runtime_host_new_with_policy). Rows
        /// live in memory when <paramref name="path"/> is null, else in that SQLite file (as
        /// <see cref="Open"/>). A host made by <see cref="InMemory"/> or <see cref="Open"/>
        /// grants its modules nothing.</summary>
        public static RuntimeHost WithPolicy(string policyJson, string path = null)
        {
            byte[] policy = Interop.Utf8(policyJson, "policyJson");
            byte[] pathBytes = path == null ? null : Interop.Utf8(path, "path");
            return new RuntimeHost(RuntimeHostHandle.CreateWithPolicy(pathBytes, policy));
        }

        /// <summary>A host whose rows live in the SQLite file at <paramref name="path"/>
        /// (sdm_runtime_host_open; created when absent, WAL journal, every append synced).
        /// Regions and modules stay in memory.</summary>
        public static RuntimeHost Open(string path)
        {
            return new RuntimeHost(RuntimeHostHandle.Create(Interop.Utf8(path, "path")));
        }

        // ---- rows ----

        /// <summary>Appends a row (any JSON value) under the trimmed schema id and returns its
        /// row id: per schema, from 1, never reused (sdm_runtime_host_append_row).</summary>
        public ulong AppendRow(string schemaFileId, string payloadJson)
        {
            byte[] schema = Interop.Utf8(schemaFileId, "schemaFileId");
            byte[] payload = Interop.Utf8(payloadJson, "payloadJson");
            ulong rowId = 0;
            using (var lease = new Lease(handle))
            fixed (byte* schemaPtr = schema)
            fixed (byte* payloadPtr = payload)
                Interop.Check(NativeMethods.sdm_runtime_host_append_row(Raw(lease), schemaPtr, Interop.Length(schema),
                    payloadPtr, Interop.Length(payload), &rowId));
            return rowId;
        }

        /// <summary>The row as JSON {"handle": {"schemaFileId", "rowId"}, "payload"}, or null
        /// when absent (sdm_runtime_host_resolve_row). Row id 0 throws
        /// <see cref="ErrorCodes.RuntimeHostInvalidRowId"/>.</summary>
        public string ResolveRow(string schemaFileId, ulong rowId)
        {
            byte[] schema = Interop.Utf8(schemaFileId, "schemaFileId");
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
            fixed (byte* schemaPtr = schema)
                Interop.Check(NativeMethods.sdm_runtime_host_resolve_row(Raw(lease), schemaPtr, Interop.Length(schema), rowId, &json));
            return NullWhenAbsent(Interop.TakeText(&json));
        }

        /// <summary>Every row of one schema, or of all when <paramref name="schemaFileId"/> is
        /// null, as a JSON array in insertion order (sdm_runtime_host_list_rows).</summary>
        public string ListRows(string schemaFileId = null)
        {
            byte[] schema = schemaFileId == null ? null : Interop.Utf8(schemaFileId, "schemaFileId");
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
            fixed (byte* schemaPtr = schema)
                Interop.Check(NativeMethods.sdm_runtime_host_list_rows(Raw(lease), schemaPtr, Interop.Length(schema), &json));
            return Interop.TakeText(&json);
        }

        // ---- regions ----

        /// <summary>Allocates an owned region of records of <paramref name="recordByteLength"/>
        /// bytes (<paramref name="alignment"/>: a power of two, at most 32768) and returns its
        /// id (sdm_runtime_host_allocate_region). <paramref name="initialRecords"/> (null = none)
        /// is cut into records; a shorter last record is zero-padded.</summary>
        public ulong AllocateRegion(string layoutId, ulong recordByteLength, ulong alignment, byte[] initialRecords = null)
        {
            byte[] layout = Interop.Utf8(layoutId, "layoutId");
            ulong regionId = 0;
            using (var lease = new Lease(handle))
            fixed (byte* layoutPtr = layout)
            fixed (byte* recordsPtr = initialRecords)
                Interop.Check(NativeMethods.sdm_runtime_host_allocate_region(Raw(lease), layoutPtr, Interop.Length(layout),
                    new UIntPtr(recordByteLength), new UIntPtr(alignment), recordsPtr, Interop.Length(initialRecords), &regionId));
            return regionId;
        }

        /// <summary>The region's descriptor JSON {regionId, layoutId, recordByteLength,
        /// alignment, recordCount, external}, or null for an unknown region
        /// (sdm_runtime_host_describe_region).</summary>
        public string DescribeRegion(ulong regionId)
        {
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
                Interop.Check(NativeMethods.sdm_runtime_host_describe_region(Raw(lease), regionId, &json));
            return NullWhenAbsent(Interop.TakeText(&json));
        }

        /// <summary>Sets an owned region's record count: shrinking truncates, growing appends
        /// zero records (sdm_runtime_host_set_region_record_count).</summary>
        public void SetRegionRecordCount(ulong regionId, ulong recordCount)
        {
            using (var lease = new Lease(handle))
                Interop.Check(NativeMethods.sdm_runtime_host_set_region_record_count(Raw(lease), regionId, recordCount));
        }

        /// <summary>A copy of one owned record (exactly recordByteLength bytes;
        /// sdm_runtime_host_resolve_record). An unknown region or index throws
        /// <see cref="ErrorCodes.RuntimeHostNotFound"/>.</summary>
        public byte[] ResolveRecord(ulong regionId, ulong recordIndex)
        {
            sdm_bytes bytes = default(sdm_bytes);
            using (var lease = new Lease(handle))
                Interop.Check(NativeMethods.sdm_runtime_host_resolve_record(Raw(lease), regionId, recordIndex, &bytes));
            return Interop.Take(&bytes);
        }

        // ---- modules ----

        /// <summary>Installs a verified module (fail closed: only <see cref="Sdm.Verify"/>
        /// makes one) under the trimmed <paramref name="moduleId"/>
        /// (sdm_runtime_host_install_module); <paramref name="verified"/> may be disposed
        /// afterwards. Without <paramref name="replace"/> an installed id throws
        /// <see cref="ErrorCodes.RuntimeHostModuleExists"/>; with it the id must exist and is
        /// replaced (not loaded). Returns {"module": record, "previous": record or null}.</summary>
        public string InstallModule(string moduleId, Verified verified, string metadataJson = null, bool replace = false)
        {
            byte[] id = Interop.Utf8(moduleId, "moduleId");
            Interop.RequireNotNull(verified, "verified");
            byte[] metadata = metadataJson == null ? null : Interop.Utf8(metadataJson, "metadataJson");
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
            using (var verifiedLease = new Lease(verified.Handle))
            fixed (byte* idPtr = id)
            fixed (byte* metadataPtr = metadata)
                Interop.Check(NativeMethods.sdm_runtime_host_install_module(Raw(lease), idPtr, Interop.Length(id),
                    (sdm_verified*)verifiedLease.Pointer, metadataPtr, Interop.Length(metadata), replace, &json));
            return Interop.TakeText(&json);
        }

        /// <summary>Compiles an installed module so it can be invoked
        /// (sdm_runtime_host_load_module).</summary>
        public void LoadModule(string moduleId)
        {
            byte[] id = Interop.Utf8(moduleId, "moduleId");
            using (var lease = new Lease(handle))
            fixed (byte* idPtr = id)
                Interop.Check(NativeMethods.sdm_runtime_host_load_module(Raw(lease), idPtr, Interop.Length(id)));
        }

        /// <summary>Drops the compiled module; it stays installed and invoking it throws
        /// <see cref="ErrorCodes.RuntimeHostModuleNotLoaded"/> until loaded again. Returns
        /// whether it was loaded (sdm_runtime_host_unload_module).</summary>
        public bool UnloadModule(string moduleId)
        {
            byte[] id = Interop.Utf8(moduleId, "moduleId");
            bool wasLoaded = false;
            using (var lease = new Lease(handle))
            fixed (byte* idPtr = id)
                Interop.Check(NativeMethods.sdm_runtime_host_unload_module(Raw(lease), idPtr, Interop.Length(id), &wasLoaded));
            return wasLoaded;
        }

        /// <summary>Invokes a loaded module: an encoded PluginInvokeRequest in, the encoded
        /// response out (sdm_runtime_host_invoke; fresh instance, default limits, no WASI grants,
        /// direct mode when exported, else command mode).</summary>
        public byte[] Invoke(string moduleId, byte[] request)
        {
            byte[] id = Interop.Utf8(moduleId, "moduleId");
            Interop.RequireNotNull(request, "request");
            sdm_bytes response = default(sdm_bytes);
            using (var lease = new Lease(handle))
            fixed (byte* idPtr = id)
            fixed (byte* requestPtr = request)
                Interop.Check(NativeMethods.sdm_runtime_host_invoke(Raw(lease), idPtr, Interop.Length(id),
                    requestPtr, Interop.Length(request), &response));
            return Interop.Take(&response);
        }

        /// <summary>Every installed module as a JSON array of records {moduleId, moduleHashHex,
        /// version, byteLength, loaded, metadata}, in install order
        /// (sdm_runtime_host_list_modules).</summary>
        public string ListModules()
        {
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
                Interop.Check(NativeMethods.sdm_runtime_host_list_modules(Raw(lease), &json));
            return Interop.TakeText(&json);
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }

        static sdm_runtime_host* Raw(Lease lease)
        {
            return (sdm_runtime_host*)lease.Pointer;
        }

        static string NullWhenAbsent(string json)
        {
            return json.Trim() == "null" ? null : json;
        }
    }
}
