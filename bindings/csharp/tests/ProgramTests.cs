using System;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>Module.Run (sdm_module_run): a module's _start as a WASI program.</summary>
    [TestFixture]
    public class ProgramTests
    {
        static string Text(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        [Test]
        public void ArgsAndEnvironment()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.ProgramModule))
            {
                var program = new ProgramSpec();
                program.Args.Add("a b");
                program.Args.Add("\u00fcn\u00ef");
                program.Env["Z"] = "last";
                program.Env["A"] = "";
                program.Env["K"] = "v=w";
                ProgramOutput output = module.Run(program);
                Assert.AreEqual(0, output.ExitCode);
                Assert.AreEqual("argc=3\narg[1]=a b\narg[2]=\u00fcn\u00ef\nenv A=\nenv K=v=w\nenv Z=last\nignored a b\nignored \u00fcn\u00ef\n",
                    Text(output.Stdout));
                Assert.AreEqual(0, output.Stderr.Length);
                // Nothing given: argv[0] only, and nothing of this process's environment.
                Assert.AreEqual("argc=1\n", Text(module.Run().Stdout));
            }
        }

        [Test]
        public void StdinStderrAndExitCode()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.ProgramModule))
            {
                var program = new ProgramSpec();
                foreach (string arg in new[] { "stdin", "stderr=oops", "exit=3", "stderr=never" })
                    program.Args.Add(arg);
                ProgramOutput output = module.Run(program, new byte[] { (byte)'i', (byte)'n', 0, 0xff });
                Assert.AreEqual(3, output.ExitCode);
                byte[] expected = Encoding.ASCII.GetBytes("argc=5\narg[1]=stdin\narg[2]=stderr=oops\narg[3]=exit=3\narg[4]=stderr=never\nstdin: in\0?\nstdin bytes: 4\n");
                expected[Array.IndexOf(expected, (byte)'?')] = 0xff;
                CollectionAssert.AreEqual(expected, output.Stdout);
                Assert.AreEqual("oops\n", Text(output.Stderr));
            }
        }

        [Test]
        public void Preopens()
        {
            string dir = Path.Combine(Path.GetTempPath(), "sdm-cs-run-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                File.WriteAllText(Path.Combine(dir, "hello.txt"), "hi there");
                using (var runtime = new Runtime())
                using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.ProgramModule))
                {
                    var readOnly = new ProgramSpec();
                    readOnly.Args.Add("cat=/data/hello.txt");
                    readOnly.Args.Add("write=/data/new.txt");
                    readOnly.Preopens.Add(new Preopen(dir, "/data"));
                    string text = Text(module.Run(readOnly).Stdout);
                    StringAssert.Contains("cat /data/hello.txt: hi there\n", text);
                    StringAssert.Contains("write /data/new.txt: error", text);
                    Assert.IsFalse(File.Exists(Path.Combine(dir, "new.txt")));

                    var writable = new ProgramSpec();
                    writable.Args.Add("write=/data/new.txt");
                    writable.Preopens.Add(new Preopen(dir, "/data", true));
                    StringAssert.Contains("write /data/new.txt: ok", Text(module.Run(writable).Stdout));
                    Assert.IsTrue(File.Exists(Path.Combine(dir, "new.txt")));

                    var none = new ProgramSpec();
                    none.Args.Add("cat=/data/hello.txt");
                    StringAssert.Contains("cat /data/hello.txt: error", Text(module.Run(none).Stdout));

                    var missing = new ProgramSpec();
                    missing.Preopens.Add(new Preopen(Path.Combine(dir, "absent"), "/x"));
                    Assert.AreNotEqual(0, Fixtures.Fails(() => module.Run(missing)).Code);
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Test]
        public void HostAndLimits()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.ProgramModule))
            using (var host = new Host("{\"grant\":[\"clock\"]}"))
            {
                var program = new ProgramSpec();
                program.Args.Add("x");
                Assert.AreEqual("argc=2\narg[1]=x\nignored x\n", Text(module.Run(program, null, host).Stdout));

                Limits limits = Limits.Default();
                limits.MaxRequestBytes = 2;
                Fixtures.AssertCode(ErrorCodes.RuntimeRequestTooLarge, "runtime-request-too-large",
                    () => module.Run(null, Encoding.ASCII.GetBytes("too long"), null, limits));

                host.Dispose();
                Assert.Throws<ObjectDisposedException>(() => module.Run(null, null, host));
            }
        }

        [Test]
        public void Errors()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.ProgramModule))
            using (Module reactor = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                var equalsInName = new ProgramSpec();
                equalsInName.Env["A=B"] = "v";
                var nulInArg = new ProgramSpec();
                nulInArg.Args.Add("a\0b");
                var emptyGuestPath = new ProgramSpec();
                emptyGuestPath.Preopens.Add(new Preopen(".", ""));
                var loneSurrogate = new ProgramSpec();
                loneSurrogate.Args.Add("\ud800");
                foreach (ProgramSpec bad in new[] { equalsInName, nulInArg, emptyGuestPath, loneSurrogate })
                    Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => module.Run(bad));

                Fixtures.AssertCode(ErrorCodes.RuntimeMissingExport, "runtime-missing-export", () => reactor.Run());

                module.Dispose();
                Assert.Throws<ObjectDisposedException>(() => module.Run());
            }
        }

        /// <summary>Every output frame carries the envelope's metadata, typed.</summary>
        [Test]
        public void OutputFrameMetadata()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                byte[] payload = Encoding.ASCII.GetBytes("metadata");
                byte[] request = Sdm.EncodeInvokeRequest("echo", new[] { new InputFrame("echo", payload) });
                InvokeResponse response = Sdm.DecodeInvokeResponse(module.InvokeDirect(request));
                Assert.AreEqual(0, response.StatusCode);
                Assert.IsFalse(response.Yielded);
                Assert.AreEqual(0u, response.BacklogRemaining);
                Assert.IsNull(response.ErrorCode);
                Assert.IsNull(response.ErrorMessage);
                Assert.AreEqual(1, response.Outputs.Count);
                OutputFrame frame = response.Outputs[0];
                Assert.AreEqual("echo", frame.PortId);
                CollectionAssert.AreEqual(payload, frame.Payload);
                Assert.AreEqual(8, frame.Alignment);
                Assert.AreEqual(0u, frame.Offset);
                Assert.AreEqual((uint)payload.Length, frame.Size);
                Assert.AreEqual(0UL, frame.TraceId);
                Assert.AreEqual(0UL, frame.Sequence);
                Assert.IsNotNull(frame.TypeRef);
                Assert.IsNull(frame.TypeRef.SchemaName);
                Assert.AreEqual("flatbuffer", frame.TypeRef.WireFormat);
                Assert.AreEqual(0, frame.TypeRef.SchemaHash.Length);
                StringAssert.Contains("\"outputs\"", response.Json);

                // A guest's failure is a response with its code and message, not an exception.
                InvokeResponse failed = Sdm.DecodeInvokeResponse(module.InvokeDirect(Sdm.EncodeInvokeRequest("echo", new InputFrame[0])));
                Assert.AreNotEqual(0, failed.StatusCode);
                Assert.IsNotNull(failed.ErrorCode);
                Assert.AreEqual(0, failed.Outputs.Count);
            }
        }
    }
}
