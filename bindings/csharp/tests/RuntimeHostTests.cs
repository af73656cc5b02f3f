using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
            using (RuntimeHost host = RuntimeHost.InMemory())
            {
                string installed = host.InstallModule("echo", Fixtures.EchoDirectModule, "{\"owner\":\"cs\"}");
                StringAssert.Contains("\"moduleId\":\"echo\"", installed);
                StringAssert.Contains("\"previous\":null", installed);
                Fixtures.AssertCode(ErrorCodes.RuntimeHostModuleExists, "runtime-host-module-exists",
                    () => host.InstallModule("echo", Fixtures.EchoDirectModule));
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
                string replaced = host.InstallModule("echo", Fixtures.EchoCommandModule, null, true);
                StringAssert.DoesNotContain("\"previous\":null", replaced);

                // Empty and null inputs.
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.InstallModule("", Fixtures.EchoDirectModule)).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.InstallModule("other", new byte[0])).Code);
                Assert.AreNotEqual(0, Fixtures.Fails(() => host.Invoke("echo", new byte[0])).Code);
                Assert.Throws<ArgumentNullException>(() => host.InstallModule(null, Fixtures.EchoDirectModule));
                Assert.Throws<ArgumentNullException>(() => host.InstallModule("x", null));
                Assert.Throws<ArgumentNullException>(() => host.Invoke("echo", null));
                Assert.Throws<ArgumentNullException>(() => host.LoadModule(null));
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
