using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class RuntimeHostTests
    {
        [Test]
        public void DurableRowsSurviveReopen()
        {
            string dir = Path.Combine(Path.GetTempPath(), "sdm-cs-rows-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "rows.sqlite");
            try
            {
                using (RuntimeHost host = RuntimeHost.Open(path))
                {
                    Assert.AreEqual(1UL, host.AppendRow("OMM", "{\"name\":\"first\"}"));
                    Assert.AreEqual(2UL, host.AppendRow(" OMM ", "{\"name\":\"second\"}"));
                    Assert.AreEqual(1UL, host.AppendRow("CAT", "[1,2,3]"));
                }
                Assert.IsTrue(File.Exists(path));
                using (RuntimeHost reopened = RuntimeHost.Open(path))
                {
                    string row = reopened.ResolveRow("OMM", 2);
                    StringAssert.Contains("\"rowId\":2", row);
                    StringAssert.Contains("\"schemaFileId\":\"OMM\"", row);
                    StringAssert.Contains("second", row);
                    Assert.IsNull(reopened.ResolveRow("OMM", 99));
                    StringAssert.Contains("first", reopened.ListRows("OMM"));
                    StringAssert.DoesNotContain("[1,2,3]", reopened.ListRows("OMM"));
                    StringAssert.Contains("[1,2,3]", reopened.ListRows());
                    // Ids are never reused across reopen.
                    Assert.AreEqual(3UL, reopened.AppendRow("OMM", "{\"name\":\"third\"}"));
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Test]
        public void RowArgumentErrors()
        {
            using (RuntimeHost host = RuntimeHost.InMemory())
            {
                Fixtures.AssertCode(ErrorCodes.RuntimeHostInvalidRowId, "runtime-host-invalid-row-id", () => host.ResolveRow("OMM", 0));
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.AppendRow("", "{}")).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.AppendRow("OMM", "")).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.AppendRow("OMM", "{not json")).Code);
                Assert.Throws<ArgumentNullException>(() => host.AppendRow(null, "{}"));
                Assert.Throws<ArgumentNullException>(() => host.AppendRow("OMM", null));
                Assert.AreEqual("[]", host.ListRows().Trim());
            }
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => RuntimeHost.Open(""));
            Assert.Throws<ArgumentNullException>(() => RuntimeHost.Open(null));
        }

        [Test]
        public void EightThreadsGetUniqueIds()
        {
            const int threads = 8, perThread = 25;
            using (RuntimeHost host = RuntimeHost.InMemory())
            {
                var ids = new List<ulong>[threads];
                var errors = new Exception[threads];
                var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                {
                    ids[t] = new List<ulong>();
                    try
                    {
                        for (int i = 0; i < perThread; i++)
                            ids[t].Add(host.AppendRow("OMM", "{\"thread\":" + t + ",\"i\":" + i + "}"));
                    }
                    catch (Exception error)
                    {
                        errors[t] = error;
                    }
                })).ToArray();
                foreach (Thread worker in workers)
                    worker.Start();
                foreach (Thread worker in workers)
                    worker.Join();
                foreach (Exception error in errors)
                    Assert.IsNull(error, error == null ? "" : error.ToString());
                List<ulong> all = ids.SelectMany(list => list).OrderBy(id => id).ToList();
                CollectionAssert.AreEqual(Enumerable.Range(1, threads * perThread).Select(i => (ulong)i).ToList(), all);
            }
        }

        [Test]
        public void RegionAllocateResolve()
        {
            using (RuntimeHost host = RuntimeHost.InMemory())
            {
                ulong region = host.AllocateRegion("layout.v1", 4, 4, new byte[] { 1, 2, 3, 4, 5, 6 });
                string descriptor = host.DescribeRegion(region);
                StringAssert.Contains("\"layoutId\":\"layout.v1\"", descriptor);
                StringAssert.Contains("\"recordCount\":2", descriptor);
                CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4 }, host.ResolveRecord(region, 0));
                CollectionAssert.AreEqual(new byte[] { 5, 6, 0, 0 }, host.ResolveRecord(region, 1));
                host.SetRegionRecordCount(region, 3);
                CollectionAssert.AreEqual(new byte[4], host.ResolveRecord(region, 2));
                host.SetRegionRecordCount(region, 1);
                Fixtures.AssertCode(ErrorCodes.RuntimeHostNotFound, "runtime-host-not-found", () => host.ResolveRecord(region, 1));
                Assert.IsNull(host.DescribeRegion(region + 1000));
                Fixtures.AssertCode(ErrorCodes.RuntimeHostNotFound, "runtime-host-not-found", () => host.SetRegionRecordCount(region + 1000, 1));
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.AllocateRegion("layout.v1", 4, 3)).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.AllocateRegion("", 4, 4)).Code);
                Assert.Throws<ArgumentNullException>(() => host.AllocateRegion(null, 4, 4));
            }
        }

        [Test]
        public void ModuleLifecycle()
        {
            byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
            using (Verified echo = Fixtures.Unsigned(Fixtures.EchoDirectModule))
            using (Verified echoCommand = Fixtures.Unsigned(Fixtures.EchoCommandModule))
            using (RuntimeHost host = RuntimeHost.InMemory())
            {
                string installed = host.InstallModule("echo", echo, "{\"owner\":\"cs\"}");
                StringAssert.Contains("\"moduleId\":\"echo\"", installed);
                StringAssert.Contains("\"previous\":null", installed);
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleExists, "runtime-host-module-exists",
                    () => host.InstallModule("echo", echo));
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleNotLoaded, "runtime-host-module-not-loaded",
                    () => host.Invoke("echo", request));
                host.LoadModule("echo");
                StringAssert.Contains("\"loaded\":true", host.ListModules());
                StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(host.Invoke("echo", request)));
                Assert.IsTrue(host.UnloadModule("echo"));
                Assert.IsFalse(host.UnloadModule("echo"));
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleNotLoaded, "runtime-host-module-not-loaded",
                    () => host.Invoke("echo", request));
                StringAssert.Contains("\"loaded\":false", host.ListModules());
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleUnknown, "runtime-host-module-unknown", () => host.LoadModule("nope"));
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleUnknown, "runtime-host-module-unknown", () => host.Invoke("nope", request));
                string replaced = host.InstallModule("echo", echoCommand, null, true);
                StringAssert.DoesNotContain("\"previous\":null", replaced);

                // Empty and null inputs.
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.InstallModule("", echo)).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.Invoke("echo", new byte[0])).Code);
                Assert.Throws<ArgumentNullException>(() => host.InstallModule(null, echo));
                Assert.Throws<ArgumentNullException>(() => host.InstallModule("x", null));
                // Only a live Verified installs.
                Verified closed = Fixtures.Unsigned(Fixtures.EchoDirectModule);
                closed.Dispose();
                Assert.Throws<ObjectDisposedException>(() => host.InstallModule("other", closed));
                StringAssert.DoesNotContain("\"other\"", host.ListModules());
                Assert.Throws<ArgumentNullException>(() => host.Invoke("echo", null));
                Assert.Throws<ArgumentNullException>(() => host.LoadModule(null));
            }
        }

        /// <summary>Asks the host-proxy guest, installed as registry module "proxy", for one
        /// sdn_host call through RuntimeHost.Invoke; returns the response status and the
        /// envelope the guest read back.</summary>
        static string RegistryProxyCall(RuntimeHost host, string operation, string parameters, out int status)
        {
            byte[] payload = Encoding.UTF8.GetBytes(operation + "\n" + parameters);
            string requestJson = "{\"methodId\":\"call\",\"inputs\":[{\"portId\":\"request\",\"payload\":["
                + string.Join(",", payload.Select(b => b.ToString())) + "]}]}";
            string response = Sdm.InvokeResponseToJson(host.Invoke("proxy", Sdm.InvokeRequestFromJson(requestJson)));
            Match statusMatch = Regex.Match(response, "\"statusCode\"\\s*:\\s*(\\d+)");
            Assert.IsTrue(statusMatch.Success, response);
            status = int.Parse(statusMatch.Groups[1].Value);
            Match bytes = Regex.Match(response, "\"payload\"\\s*:\\s*\\[([0-9,\\s]*)\\]");
            Assert.IsTrue(bytes.Success, response);
            return Encoding.UTF8.GetString(bytes.Groups[1].Value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(n => byte.Parse(n.Trim())).ToArray());
        }

        static void AssertDenied(int status, string envelope)
        {
            Assert.AreEqual(1, status, envelope);
            StringAssert.Contains("\"ok\":false", envelope);
            StringAssert.Contains("\"code\":\"host-capability-denied\"", envelope);
        }

        [Test]
        public void RegistryModulesRunUnderThePolicy()
        {
            string root = Path.Combine(Path.GetTempPath(), "sdm-cs-registry-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            string policy = "{\"grant\":[\"clock\",\"filesystem\"],\"filesystemRoot\":\""
                + root.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"}";
            try
            {
                using (Verified proxy = Fixtures.Unsigned(File.ReadAllBytes(Fixtures.HostProxyPath)))
                using (RuntimeHost granted = RuntimeHost.WithPolicy(policy))
                using (RuntimeHost ungranted = RuntimeHost.WithPolicy("{}"))
                using (RuntimeHost plain = RuntimeHost.InMemory())
                {
                    foreach (RuntimeHost host in new[] { granted, ungranted, plain })
                    {
                        host.InstallModule("proxy", proxy);
                        host.LoadModule("proxy");
                    }
                    int status;
                    // Granted by the policy and declared by the verified manifest.
                    string envelope = RegistryProxyCall(granted, "clock.now", "", out status);
                    Assert.AreEqual(0, status, envelope);
                    StringAssert.Contains("\"ok\":true", envelope);
                    envelope = RegistryProxyCall(granted, "filesystem.writeFile",
                        "{\"path\":\"registry/cs.txt\",\"value\":\"from the registry\"}", out status);
                    Assert.AreEqual(0, status, envelope);
                    Assert.AreEqual("from the registry", File.ReadAllText(Path.Combine(root, "registry", "cs.txt")));
                    // Declared, not granted.
                    envelope = RegistryProxyCall(granted, "random.bytes", "{\"length\":4}", out status);
                    AssertDenied(status, envelope);
                    // Without the grant: a policy granting nothing, and a host without a policy.
                    foreach (RuntimeHost host in new[] { ungranted, plain })
                    {
                        envelope = RegistryProxyCall(host, "clock.now", "", out status);
                        AssertDenied(status, envelope);
                        envelope = RegistryProxyCall(host, "filesystem.writeFile",
                            "{\"path\":\"registry/denied.txt\",\"value\":\"no\"}", out status);
                        AssertDenied(status, envelope);
                    }
                    Assert.IsFalse(File.Exists(Path.Combine(root, "registry", "denied.txt")));
                }
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }

        [Test]
        public void WithPolicyArguments()
        {
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => RuntimeHost.WithPolicy("{\"grnat\":[]}"));
            Fixtures.AssertCode(ErrorCodes.InvalidJson, "invalid-json", () => RuntimeHost.WithPolicy("{"));
            Fixtures.AssertCode(ErrorCodes.RuntimeHostStoreFailed, "runtime-host-store-failed",
                () => RuntimeHost.WithPolicy("{}", "/nonexistent/dir/rows.sqlite"));
            // Durable rows under a policy, reopened without one.
            string dir = Path.Combine(Path.GetTempPath(), "sdm-cs-policy-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "rows.sqlite");
            try
            {
                using (RuntimeHost host = RuntimeHost.WithPolicy("{\"grant\":[\"clock\"]}", path))
                    Assert.AreEqual(1UL, host.AppendRow("OMM", "{\"n\":1}"));
                using (RuntimeHost reopened = RuntimeHost.Open(path))
                    StringAssert.Contains("\"n\":1", reopened.ResolveRow("OMM", 1));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Test]
        public void DisposeIsIdempotent()
        {
            RuntimeHost host = RuntimeHost.InMemory();
            host.Dispose();
            host.Dispose();
            Assert.IsTrue(host.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => host.AppendRow("OMM", "{}"));
            Assert.Throws<ObjectDisposedException>(() => host.ListModules());
        }
    }
}
