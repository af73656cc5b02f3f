using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class HostTests
    {
        static string Policy(string root, params string[] grants)
        {
            var text = new StringBuilder("{\"grant\":[");
            text.Append(string.Join(",", grants.Select(g => "\"" + g + "\"")));
            text.Append("]");
            if (root != null)
                text.Append(",\"filesystemRoot\":\"").Append(root.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"");
            return text.Append("}").ToString();
        }

        static string TempDir()
        {
            string dir = Path.Combine(Path.GetTempPath(), "sdm-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        [Test]
        public void GrantedClockAnswers()
        {
            using (var host = new Host(Policy(null, "clock")))
            {
                string now = host.Invoke("clock.now");
                Assert.IsTrue(Regex.IsMatch(now, "\\d{12,}"), now);
                Fixtures.AssertCode(ErrorCodes.HostCapabilityDenied, "host-capability-denied",
                    () => host.Invoke("random.bytes", "{\"length\":4}"));
                Fixtures.AssertCode(ErrorCodes.HostCapabilityDenied, "host-capability-denied",
                    () => host.Invoke("filesystem.writeFile", "{\"path\":\"x\",\"value\":\"y\"}"));
            }
            using (var nothing = new Host("{}"))
                Fixtures.AssertCode(ErrorCodes.HostCapabilityDenied, "host-capability-denied", () => nothing.Invoke("clock.now", ""));
        }

        [Test]
        public void BadPolicies()
        {
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => new Host("{\"grnat\":[\"clock\"]}"));
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => new Host(""));
            Assert.AreNotEqual(0, Fixtures.Fails(() => new Host("{")).Code);
            Assert.Throws<ArgumentNullException>(() => new Host(null));
        }

        [Test]
        public void InvokeArgumentErrorsAndDispose()
        {
            var host = new Host(Policy(null, "clock"));
            Assert.AreNotEqual(0, Fixtures.Fails(() => host.Invoke("")).Code);
            Assert.Throws<ArgumentNullException>(() => host.Invoke(null));
            host.Dispose();
            host.Dispose();
            Assert.IsTrue(host.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => host.Invoke("clock.now"));
        }

        static Module LoadHostProxy(Runtime runtime)
        {
            string path = Environment.GetEnvironmentVariable("SDM_HOST_PROXY_WASM");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                Assert.Fail("SDM_HOST_PROXY_WASM must name examples/host-proxy compiled by the CLI: run `make run-test-csharp`");
            return Fixtures.LoadUnsigned(runtime, File.ReadAllBytes(path));
        }

        /// <summary>Asks the host-proxy guest to make one sdn_host call; returns the response
        /// status code and the envelope JSON the guest read back.</summary>
        static string ProxyCall(Module module, Host host, string operation, string parameters, out int status)
        {
            byte[] payload = Encoding.UTF8.GetBytes(operation + "\n" + parameters);
            string requestJson = "{\"methodId\":\"call\",\"inputs\":[{\"portId\":\"request\",\"payload\":["
                + string.Join(",", payload.Select(b => b.ToString())) + "]}]}";
            string response = Sdm.InvokeResponseToJson(
                module.InvokeHosted(host, InvokeMode.Direct, Sdm.InvokeRequestFromJson(requestJson)));
            Match statusMatch = Regex.Match(response, "\"statusCode\"\\s*:\\s*(\\d+)");
            Assert.IsTrue(statusMatch.Success, response);
            status = int.Parse(statusMatch.Groups[1].Value);
            StringAssert.Contains("\"envelope\"", response);
            Match bytes = Regex.Match(response, "\"payload\"\\s*:\\s*\\[([0-9,\\s]*)\\]");
            Assert.IsTrue(bytes.Success, response);
            byte[] envelope = bytes.Groups[1].Value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(n => byte.Parse(n.Trim())).ToArray();
            return Encoding.UTF8.GetString(envelope);
        }

        static void AssertDenied(int status, string envelope)
        {
            Assert.AreEqual(1, status, envelope);
            StringAssert.Contains("\"ok\":false", envelope);
            StringAssert.Contains("\"code\":\"host-capability-denied\"", envelope);
        }

        [Test]
        public void HostedHostProxy()
        {
            string root = TempDir(), emptyRoot = TempDir();
            try
            {
                using (var runtime = new Runtime())
                using (Module module = LoadHostProxy(runtime))
                using (var host = new Host(Policy(root, "clock", "filesystem")))
                using (var empty = new Host(Policy(emptyRoot)))
                {
                    int status;
                    string envelope = ProxyCall(module, host, "clock.now", "", out status);
                    Assert.AreEqual(0, status, envelope);
                    StringAssert.Contains("\"ok\":true", envelope);

                    // Granted and declared: the file lands in the root.
                    envelope = ProxyCall(module, host, "filesystem.writeFile",
                        "{\"path\":\"from-cs/hello.txt\",\"value\":\"hi from C#\"}", out status);
                    Assert.AreEqual(0, status, envelope);
                    Assert.AreEqual("hi from C#", File.ReadAllText(Path.Combine(root, "from-cs", "hello.txt")));

                    // Out of the root: refused, nothing escapes.
                    envelope = ProxyCall(module, host, "filesystem.writeFile", "{\"path\":\"../escape-cs.txt\",\"value\":\"no\"}", out status);
                    Assert.AreEqual(1, status, envelope);
                    Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(root), "escape-cs.txt")));

                    // Declared by the manifest, not granted by the policy.
                    envelope = ProxyCall(module, host, "random.bytes", "{\"length\":4}", out status);
                    AssertDenied(status, envelope);

                    // A host that grants nothing: denied, and nothing is created.
                    envelope = ProxyCall(module, empty, "filesystem.writeFile", "{\"path\":\"denied.txt\",\"value\":\"no\"}", out status);
                    AssertDenied(status, envelope);
                    Assert.IsEmpty(Directory.GetFileSystemEntries(emptyRoot));

                    // Four threads share the module and the host.
                    var errors = new Exception[4];
                    var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
                    {
                        try
                        {
                            int s;
                            ProxyCall(module, host, "filesystem.writeFile",
                                "{\"path\":\"many/" + i + ".txt\",\"value\":\"" + i + "\"}", out s);
                            Assert.AreEqual(0, s);
                        }
                        catch (Exception error)
                        {
                            errors[i] = error;
                        }
                    })).ToArray();
                    foreach (Thread thread in threads)
                        thread.Start();
                    foreach (Thread thread in threads)
                        thread.Join();
                    foreach (Exception error in errors)
                        Assert.IsNull(error, error == null ? "" : error.ToString());
                    Assert.AreEqual(4, Directory.GetFiles(Path.Combine(root, "many")).Length);

                    // Argument errors.
                    Assert.Throws<ArgumentNullException>(() => module.InvokeHosted(null, InvokeMode.Direct, new byte[] { 1 }));
                    Assert.Throws<ArgumentNullException>(() => module.InvokeHosted(host, InvokeMode.Direct, null));
                    Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                        () => module.InvokeHosted(host, InvokeMode.Direct, new byte[0]));
                    Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                        () => module.InvokeHosted(host, (InvokeMode)7, new byte[] { 1 }));
                    var closed = new Host("{}");
                    closed.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => module.InvokeHosted(closed, InvokeMode.Direct, new byte[] { 1 }));
                }
            }
            finally
            {
                Directory.Delete(root, true);
                Directory.Delete(emptyRoot, true);
            }
        }
    }
}
