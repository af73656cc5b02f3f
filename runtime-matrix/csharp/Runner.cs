// The C# lane of the runtime matrix (runtime-matrix/README.md): every case through the C#
// binding's typed API (Sdm.Verify, Runtime.Load, Module.Invoke*/Sdm.DecodeInvokeResponse,
// Module.Run), one result JSON per case. Compiled with the binding's JsonReader.cs (the case
// files and key files are JSON; Mono has no JSON serializer here).
//
// usage: mono sdm-matrix-csharp.exe CASES_DIR OUT_DIR (cwd = the artifacts directory)
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SpaceDataModule;

namespace SpaceDataModule.Matrix
{
    /// <summary>A broken case or runner (not a case's failure).</summary>
    sealed class RunnerException : Exception
    {
        public RunnerException(string message) : base(message) { }
    }

    /// <summary>A case's failure at one stage: a result.</summary>
    sealed class StageException : Exception
    {
        public string Stage { get; private set; }
        public SdmException Error { get; private set; }

        public StageException(string stage, SdmException error) : base(stage + ": " + error.Message)
        {
            Stage = stage;
            Error = error;
        }
    }

    static class Runner
    {
        static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: sdm-matrix-csharp CASES_DIR OUT_DIR");
                return 2;
            }
            string file = null;
            try
            {
                string[] files = Directory.GetFiles(args[0], "*.json");
                Array.Sort(files, StringComparer.Ordinal);
                Directory.CreateDirectory(args[1]);
                foreach (string path in files)
                {
                    file = path;
                    string stem = Path.GetFileNameWithoutExtension(path);
                    var result = RunCase(stem, ReadCase(path));
                    var text = new StringBuilder();
                    Write(text, result, 0);
                    text.Append('\n');
                    File.WriteAllText(Path.Combine(args[1], stem + ".json"), text.ToString(), new UTF8Encoding(false));
                }
                Console.WriteLine("csharp: " + files.Length + " result(s) written to " + args[1]);
                return 0;
            }
            catch (Exception error)
            {
                Console.Error.WriteLine("sdm-matrix-csharp: " + (file ?? "") + ": " + error);
                return 1;
            }
        }

        // ---- the case format (strict: unknown members are a runner error) ----

        static Dictionary<string, object> ReadCase(string path)
        {
            var root = Object(JsonReader.Parse(File.ReadAllText(path, Encoding.UTF8)), "case");
            Members(root, "case", "description", "artifact", "open", "limits", "hostPolicy", "invoke", "program");
            if (root.ContainsKey("open"))
                Members(Object(root["open"], "open"), "open", "allowUnsigned", "trust", "decryptWith", "wasmSigners");
            if (root.ContainsKey("limits"))
                Members(Object(root["limits"], "limits"), "limits", "timeoutMs", "fuel", "maxMemoryMb");
            bool invoke = Present(root, "invoke"), program = Present(root, "program");
            if (invoke == program)
                throw new RunnerException("a case has exactly one of `invoke` and `program`");
            if (invoke)
            {
                var call = Object(root["invoke"], "invoke");
                Members(call, "invoke", "mode", "method", "inputs");
                if (!(Get(call, "mode") is string) || !(Get(call, "method") is string))
                    throw new RunnerException("invoke.mode and invoke.method must be strings");
                foreach (object input in List(Get(call, "inputs"), "invoke.inputs"))
                {
                    var frame = Object(input, "input");
                    Members(frame, "input", "port", "base64");
                    if (!(Get(frame, "port") is string) || !(Get(frame, "base64") is string))
                        throw new RunnerException("an input has a string port and base64");
                }
            }
            else
            {
                var run = Object(root["program"], "program");
                Members(run, "program", "stdinBase64", "args", "env", "preopens");
                foreach (object preopen in List(Get(run, "preopens"), "preopens"))
                    Members(Object(preopen, "preopen"), "preopen", "hostPath", "guestPath", "readOnly");
            }
            return root;
        }

        static bool Present(Dictionary<string, object> o, string name)
        {
            return o.ContainsKey(name) && o[name] != null;
        }

        static object Get(Dictionary<string, object> o, string name)
        {
            object value;
            return o.TryGetValue(name, out value) ? value : null;
        }

        static Dictionary<string, object> Object(object value, string what)
        {
            var o = value as Dictionary<string, object>;
            if (o == null)
                throw new RunnerException(what + " must be an object");
            return o;
        }

        static List<object> List(object value, string what)
        {
            if (value == null)
                return new List<object>();
            var list = value as List<object>;
            if (list == null)
                throw new RunnerException(what + " must be an array");
            return list;
        }

        static string Text(object value, string what)
        {
            var text = value as string;
            if (text == null)
                throw new RunnerException(what + " must be a string");
            return text;
        }

        static void Members(Dictionary<string, object> o, string what, params string[] allowed)
        {
            foreach (string name in o.Keys)
                if (Array.IndexOf(allowed, name) < 0)
                    throw new RunnerException("unknown member \"" + name + "\" in " + what);
        }

        static ulong? Number(Dictionary<string, object> o, string name)
        {
            object value = Get(o, name);
            if (value == null)
                return null;
            if (!(value is long) || (long)value < 0)
                throw new RunnerException(name + " must be a non-negative integer");
            return (ulong)(long)value;
        }

        static byte[] Hex(string text, string what)
        {
            if (text.Length % 2 != 0)
                throw new RunnerException(what + ": odd number of hex digits");
            var bytes = new byte[text.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
                if (!byte.TryParse(text.Substring(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                    throw new RunnerException(what + ": not hex");
            return bytes;
        }

        // ---- the steps ----

        static SortedDictionary<string, object> RunCase(string stem, Dictionary<string, object> c)
        {
            var result = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                { "case", stem }, { "error", null }, { "invoke", null }, { "program", null },
            };
            try
            {
                Steps(c, result);
            }
            catch (StageException failure)
            {
                result["error"] = new SortedDictionary<string, object>(StringComparer.Ordinal)
                {
                    { "stage", failure.Stage }, { "code", failure.Error.Name }, { "number", (long)failure.Error.Code },
                };
            }
            return result;
        }

        static T At<T>(string stage, Func<T> body)
        {
            try
            {
                return body();
            }
            catch (SdmException error)
            {
                throw new StageException(stage, error);
            }
        }

        static void Steps(Dictionary<string, object> c, SortedDictionary<string, object> result)
        {
            byte[] artifact = File.ReadAllBytes(Text(Get(c, "artifact"), "artifact"));
            var open = Present(c, "open") ? Object(c["open"], "open") : new Dictionary<string, object>();
            var signers = new List<byte[]>();
            foreach (object key in List(Get(open, "trust"), "trust"))
                signers.Add(Hex(Text(key, "trust"), "trust"));
            byte[] recipient = Present(open, "decryptWith") ? RecipientKey(Text(open["decryptWith"], "decryptWith")) : null;
            bool allowUnsigned = Get(open, "allowUnsigned") is bool && (bool)open["allowUnsigned"];
            var wasmSigners = new List<byte[]>();
            foreach (object key in List(Get(open, "wasmSigners"), "wasmSigners"))
                wasmSigners.Add(Hex(Text(key, "wasmSigners"), "wasmSigners"));
            VerifyFlags flags = allowUnsigned ? VerifyFlags.AllowUnsigned : VerifyFlags.None;
            using (Verified verified = At("open", () => wasmSigners.Count == 0
                ? Sdm.Verify(artifact, signers, recipient, flags)
                : Sdm.VerifyWasmSigned(artifact, signers, recipient, wasmSigners, flags)))
            using (Runtime runtime = At("load", () => new Runtime()))
            using (Module module = At("load", () => runtime.Load(verified)))
            {
                Limits limits = CaseLimits(Present(c, "limits") ? Object(c["limits"], "limits") : new Dictionary<string, object>());
                string policy = Present(c, "hostPolicy") ? Json(c["hostPolicy"]) : null;
                if (Present(c, "invoke"))
                    result["invoke"] = Invoke(module, Object(c["invoke"], "invoke"), policy, limits);
                else
                    result["program"] = Run(module, Object(c["program"], "program"), policy, limits);
            }
        }

        /// <summary>A recipient key file (docs/keys.md): its 32-byte private key.</summary>
        static byte[] RecipientKey(string path)
        {
            var file = Object(JsonReader.Parse(File.ReadAllText(path, Encoding.UTF8)), path);
            if (Get(file, "type") as string != "x25519-private-key")
                throw new RunnerException(path + ": not a recipient key file");
            return Hex(Text(Get(file, "privateKeyHex"), "privateKeyHex"), path);
        }

        static Limits CaseLimits(Dictionary<string, object> options)
        {
            Limits limits = Limits.Default();
            ulong? fuel = Number(options, "fuel"), timeout = Number(options, "timeoutMs"), memory = Number(options, "maxMemoryMb");
            if (fuel.HasValue)
                limits.Fuel = fuel.Value; // 0 = unlimited in both
            if (timeout.HasValue)
                limits.TimeoutMs = timeout.Value;
            if (memory.HasValue)
                limits.MaxMemoryBytes = memory.Value > (ulong.MaxValue >> 20) ? ulong.MaxValue : memory.Value << 20;
            return limits;
        }

        static SortedDictionary<string, object> Invoke(Module module, Dictionary<string, object> call, string policy, Limits limits)
        {
            string modeName = (string)call["mode"];
            InvokeMode mode = modeName == "direct" ? InvokeMode.Direct : modeName == "command" ? InvokeMode.Command : (InvokeMode)uint.MaxValue;
            var inputs = new List<InputFrame>();
            foreach (object item in List(Get(call, "inputs"), "inputs"))
            {
                var frame = (Dictionary<string, object>)item;
                inputs.Add(new InputFrame((string)frame["port"], Convert.FromBase64String((string)frame["base64"])));
            }
            InvokeResponse response = At("invoke", () =>
            {
                byte[] request = Sdm.EncodeInvokeRequest((string)call["method"], inputs);
                byte[] bytes;
                if (policy == null && mode == InvokeMode.Direct)
                    bytes = module.InvokeDirect(request, limits);
                else if (policy == null && mode == InvokeMode.Command)
                    bytes = module.InvokeCommand(request, limits);
                else
                    // With a policy; an unknown mode also goes here, so the library answers it.
                    using (var host = new Host(policy ?? "{}"))
                        bytes = module.InvokeHosted(host, mode, request, limits);
                return Sdm.DecodeInvokeResponse(bytes);
            });
            var outputs = new List<object>();
            foreach (OutputFrame frame in response.Outputs)
            {
                outputs.Add(new SortedDictionary<string, object>(StringComparer.Ordinal)
                {
                    { "portId", frame.PortId },
                    { "typeRef", TypeRefJson(frame.TypeRef) },
                    { "alignment", (long)frame.Alignment },
                    { "offset", (long)frame.Offset },
                    { "size", (long)frame.Size },
                    { "ownership", (long)frame.Ownership },
                    { "generation", (long)frame.Generation },
                    { "mutability", (long)frame.Mutability },
                    { "traceId", frame.TraceId.ToString(CultureInfo.InvariantCulture) },
                    { "streamId", (long)frame.StreamId },
                    { "sequence", frame.Sequence.ToString(CultureInfo.InvariantCulture) },
                    { "endOfStream", frame.EndOfStream },
                    { "payloadBase64", Convert.ToBase64String(frame.Payload) },
                });
            }
            return new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                { "mode", modeName },
                { "statusCode", (long)response.StatusCode },
                { "yielded", response.Yielded },
                { "backlogRemaining", (long)response.BacklogRemaining },
                { "errorCode", response.ErrorCode },
                { "errorMessage", response.ErrorMessage },
                { "outputs", outputs },
            };
        }

        static object TypeRefJson(TypeRef t)
        {
            if (t == null)
                return null;
            return new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                { "schemaName", t.SchemaName },
                { "fileIdentifier", t.FileIdentifier },
                { "schemaHash", t.SchemaHash.Select(b => (object)(long)b).ToList() },
                { "acceptsAnyFlatbuffer", t.AcceptsAnyFlatbuffer },
                { "wireFormat", t.WireFormat },
                { "rootTypeName", t.RootTypeName },
                { "fixedStringLength", (long)t.FixedStringLength },
                { "byteLength", (long)t.ByteLength },
                { "requiredAlignment", (long)t.RequiredAlignment },
            };
        }

        static SortedDictionary<string, object> Run(Module module, Dictionary<string, object> run, string policy, Limits limits)
        {
            byte[] stdin = Convert.FromBase64String(Get(run, "stdinBase64") as string ?? "");
            var program = new ProgramSpec();
            foreach (object arg in List(Get(run, "args"), "args"))
                program.Args.Add(Text(arg, "args"));
            if (Present(run, "env"))
                foreach (KeyValuePair<string, object> entry in Object(run["env"], "env"))
                    program.Env[entry.Key] = Text(entry.Value, "env");
            foreach (object item in List(Get(run, "preopens"), "preopens"))
            {
                var preopen = (Dictionary<string, object>)item;
                bool readOnly = !(Get(preopen, "readOnly") is bool) || (bool)preopen["readOnly"];
                program.Preopens.Add(new Preopen(Text(Get(preopen, "hostPath"), "hostPath"), Text(Get(preopen, "guestPath"), "guestPath"), !readOnly));
            }
            ProgramOutput output = At("program", () =>
            {
                if (policy == null)
                    return module.Run(program, stdin, null, limits);
                using (var host = new Host(policy))
                    return module.Run(program, stdin, host, limits);
            });
            return new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                { "exitCode", (long)output.ExitCode },
                { "stdoutBase64", Convert.ToBase64String(output.Stdout) },
                { "stderrBase64", Convert.ToBase64String(output.Stderr) },
            };
        }

        // ---- JSON out ----

        /// <summary>Compact JSON of a parsed value (the host policy, handed over as a document).</summary>
        static string Json(object value)
        {
            var text = new StringBuilder();
            Write(text, value, -1);
            return text.ToString();
        }

        /// <summary>Writes <paramref name="value"/>; objects with sorted keys; indent -1 = compact.</summary>
        static void Write(StringBuilder text, object value, int indent)
        {
            string pad = indent < 0 ? "" : "\n" + new string(' ', 2 * (indent + 1));
            string end = indent < 0 ? "" : "\n" + new string(' ', 2 * indent);
            int inner = indent < 0 ? -1 : indent + 1;
            if (value == null)
                text.Append("null");
            else if (value is bool)
                text.Append((bool)value ? "true" : "false");
            else if (value is long)
                text.Append(((long)value).ToString(CultureInfo.InvariantCulture));
            else if (value is double)
                text.Append(((double)value).ToString("R", CultureInfo.InvariantCulture));
            else if (value is string)
                text.Append(JsonReader.Quote((string)value));
            else if (value is IDictionary<string, object>)
            {
                var members = ((IDictionary<string, object>)value).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
                if (members.Count == 0) { text.Append("{}"); return; }
                text.Append('{');
                for (int i = 0; i < members.Count; i++)
                {
                    text.Append(i > 0 ? "," : "").Append(pad).Append(JsonReader.Quote(members[i].Key)).Append(indent < 0 ? ":" : ": ");
                    Write(text, members[i].Value, inner);
                }
                text.Append(end).Append('}');
            }
            else if (value is List<object>)
            {
                var items = (List<object>)value;
                if (items.Count == 0) { text.Append("[]"); return; }
                text.Append('[');
                for (int i = 0; i < items.Count; i++)
                {
                    text.Append(i > 0 ? "," : "").Append(pad);
                    Write(text, items[i], inner);
                }
                text.Append(end).Append(']');
            }
            else
                throw new RunnerException("cannot write " + value.GetType());
        }
    }
}
