using System;
using System.Collections.Generic;
using System.Text;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>A host directory the program may open at <see cref="GuestPath"/>. Read-only
    /// unless <see cref="Writable"/>; a relative host path resolves against the process's
    /// working directory.</summary>
    public sealed class Preopen
    {
        public string HostPath { get; private set; }
        public string GuestPath { get; private set; }
        public bool Writable { get; private set; }

        public Preopen(string hostPath, string guestPath, bool writable = false)
        {
            Interop.RequireNotNull(hostPath, "hostPath");
            Interop.RequireNotNull(guestPath, "guestPath");
            HostPath = hostPath;
            GuestPath = guestPath;
            Writable = writable;
        }
    }

    /// <summary>What a program run is given besides stdin (<see cref="Module.Run"/>): argv[1..]
    /// (argv[0] is always "module"), the whole environment (nothing is inherited; the program
    /// sees it in key order) and the preopened directories. Empty by default.</summary>
    public sealed class ProgramSpec
    {
        public IList<string> Args { get; private set; }
        public IDictionary<string, string> Env { get; private set; }
        public IList<Preopen> Preopens { get; private set; }

        public ProgramSpec()
        {
            Args = new List<string>();
            Env = new Dictionary<string, string>(StringComparer.Ordinal);
            Preopens = new List<Preopen>();
        }

        /// <summary>The library's program JSON (api::program::Program).</summary>
        internal string ToJson()
        {
            var json = new StringBuilder("{\"args\":[");
            for (int i = 0; i < Args.Count; i++)
            {
                Interop.RequireNotNull(Args[i], "Args[" + i + "]");
                json.Append(i > 0 ? "," : "").Append(JsonReader.Quote(Args[i]));
            }
            json.Append("],\"env\":{");
            bool first = true;
            foreach (KeyValuePair<string, string> entry in Env)
            {
                Interop.RequireNotNull(entry.Value, "Env[" + entry.Key + "]");
                json.Append(first ? "" : ",").Append(JsonReader.Quote(entry.Key)).Append(':').Append(JsonReader.Quote(entry.Value));
                first = false;
            }
            json.Append("},\"preopens\":[");
            for (int i = 0; i < Preopens.Count; i++)
            {
                Preopen preopen = Preopens[i];
                Interop.RequireNotNull(preopen, "Preopens[" + i + "]");
                json.Append(i > 0 ? "," : "")
                    .Append("{\"hostPath\":").Append(JsonReader.Quote(preopen.HostPath))
                    .Append(",\"guestPath\":").Append(JsonReader.Quote(preopen.GuestPath))
                    .Append(",\"readOnly\":").Append(preopen.Writable ? "false" : "true").Append('}');
            }
            return json.Append("]}").ToString();
        }
    }

    /// <summary>What a program run produced. A non-zero exit code is a result, not an
    /// exception.</summary>
    public sealed class ProgramOutput
    {
        /// <summary>The WASI exit code (0 when _start returned normally).</summary>
        public int ExitCode { get; private set; }
        public byte[] Stdout { get; private set; }
        public byte[] Stderr { get; private set; }

        internal ProgramOutput(int exitCode, byte[] stdout, byte[] stderr)
        {
            ExitCode = exitCode;
            Stdout = stdout;
            Stderr = stderr;
        }
    }

    public sealed partial class Module
    {
        /// <summary>Runs the module's _start once, in a fresh instance, as a WASI program
        /// (sdm_module_run): <paramref name="program"/>'s arguments, environment and
        /// preopened directories (null = none), <paramref name="stdin"/> as its standard input
        /// (null = empty). <paramref name="host"/> null = every sdn_host capability denied; else
        /// the host's policy narrowed to what the module's verified manifest declares.
        /// <paramref name="limits"/> null = the defaults. Throws
        /// <see cref="ErrorCodes.InvalidArgument"/> (an environment name with '=', a NUL in any
        /// text), <see cref="ErrorCodes.RuntimeMissingExport"/> (no _start),
        /// <see cref="ErrorCodes.RuntimeRequestTooLarge"/> (stdin above the limit), the limit
        /// and trap codes, and an error for a preopen whose directory cannot be opened.</summary>
        public unsafe ProgramOutput Run(ProgramSpec program = null, byte[] stdin = null, Host host = null, Limits limits = null)
        {
            byte[] json = Interop.Utf8((program ?? new ProgramSpec()).ToJson(), "program");
            sdm_limits nativeLimits = limits == null ? default(sdm_limits) : limits.ToNative();
            sdm_limits* limitsPtr = limits == null ? null : &nativeLimits;
            int exitCode = 0;
            sdm_bytes stdout = default(sdm_bytes);
            sdm_bytes stderr = default(sdm_bytes);
            using (var moduleLease = new Lease(handle))
            using (var hostLease = host == null ? default(Lease) : new Lease(host.Handle))
            {
                var hostPtr = host == null ? null : (sdm_host*)hostLease.Pointer;
                fixed (byte* jsonPtr = json)
                fixed (byte* stdinPtr = stdin)
                    Interop.Check(NativeMethods.sdm_module_run((sdm_module*)moduleLease.Pointer, jsonPtr,
                        Interop.Length(json), stdinPtr, Interop.Length(stdin), hostPtr, limitsPtr,
                        &exitCode, &stdout, &stderr));
            }
            try
            {
                return new ProgramOutput(exitCode, Interop.Take(&stdout), Interop.Take(&stderr));
            }
            finally
            {
                // Both were written on success: free the second even when the first copy failed.
                NativeMethods.sdm_bytes_free(&stderr);
            }
        }
    }
}
