using System;
using System.Collections.Generic;
using System.Threading;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>docs/c-abi.md: runtime and module handles may be shared between threads; the
    /// last error is per thread.</summary>
    [TestFixture]
    public class ThreadTests
    {
        const int Threads = 4;
        const int CallsPerThread = 5;

        /// <summary>Runs <paramref name="body"/> on <see cref="Threads"/> threads started
        /// together and rethrows the first failure.</summary>
        static void RunOnThreads(Action<int> body)
        {
            var failures = new List<Exception>();
            var start = new ManualResetEvent(false);
            var threads = new List<Thread>();
            for (int t = 0; t < Threads; t++)
            {
                int index = t;
                var thread = new Thread(() =>
                {
                    start.WaitOne();
                    try { body(index); }
                    catch (Exception error) { lock (failures) failures.Add(error); }
                });
                thread.Start();
                threads.Add(thread);
            }
            start.Set();
            foreach (Thread thread in threads)
                Assert.IsTrue(thread.Join(TimeSpan.FromMinutes(2)), "a thread did not finish");
            if (failures.Count > 0)
                Assert.Fail(failures.Count + " thread(s) failed; first: " + failures[0]);
        }

        [Test]
        public void OneModuleInvokedFromSeveralThreads()
        {
            byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
            int successes = 0;
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                RunOnThreads(_ =>
                {
                    for (int i = 0; i < CallsPerThread; i++)
                    {
                        string response = Sdm.InvokeResponseToJson(module.InvokeDirect(request));
                        StringAssert.Contains(Fixtures.EchoedPayload, response);
                        Interlocked.Increment(ref successes);
                    }
                });
            }
            Assert.AreEqual(Threads * CallsPerThread, successes);
        }

        [Test]
        public void DisposeWhileOtherThreadsInvokeNeverFreesUnderARunningCall()
        {
            byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
            var runtime = new Runtime();
            Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule);
            runtime.Dispose();
            int successes = 0, disposedSeen = 0;
            var firstCallDone = new ManualResetEvent(false);
            var disposer = new Thread(() =>
            {
                firstCallDone.WaitOne(TimeSpan.FromMinutes(1));
                Thread.Sleep(50);
                module.Dispose();
            });
            disposer.Start();
            RunOnThreads(_ =>
            {
                while (true)
                {
                    byte[] response;
                    try { response = module.InvokeDirect(request); }
                    catch (ObjectDisposedException) { Interlocked.Increment(ref disposedSeen); return; }
                    StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(response));
                    Interlocked.Increment(ref successes);
                    firstCallDone.Set();
                }
            });
            Assert.IsTrue(disposer.Join(TimeSpan.FromMinutes(1)));
            Assert.Greater(successes, 0);
            Assert.AreEqual(Threads, disposedSeen, "every thread stops with ObjectDisposedException");
            Assert.IsTrue(module.IsDisposed);
        }

        [Test]
        public void OneRuntimeLoadsOnSeveralThreads()
        {
            byte[] echo = Fixtures.EchoDirectModule;
            byte[] vector = Fixtures.VectorModule;
            // One Verified shared by every thread, and one verified on each thread.
            using (Verified shared = Fixtures.Unsigned(echo))
            using (var runtime = new Runtime())
            {
                RunOnThreads(index =>
                {
                    using (Module module = runtime.Load(shared))
                        Assert.IsFalse(module.IsDisposed);
                    CollectionAssert.AreEqual(echo, shared.Wasm());
                    using (Module module = Fixtures.LoadUnsigned(runtime, index % 2 == 0 ? echo : vector))
                        Assert.IsFalse(module.IsDisposed);
                });
            }
        }

        [Test]
        public void LastErrorIsPerThread()
        {
            RunOnThreads(index =>
            {
                for (int i = 0; i < CallsPerThread; i++)
                {
                    if (index % 2 == 0)
                    {
                        Fixtures.AssertCode(ErrorCodes.WasmMagicMismatch, "wasm-magic-mismatch",
                            () => Sdm.BundleInspect(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
                        Assert.AreEqual(ErrorCodes.WasmMagicMismatch, Sdm.LastErrorCode());
                        StringAssert.Contains("magic", Sdm.LastErrorMessage().ToLowerInvariant());
                    }
                    else
                    {
                        Sdm.BundleInspect(Fixtures.VectorModule);
                        Assert.AreEqual(0, Sdm.LastErrorCode());
                        Assert.AreEqual("", Sdm.LastErrorMessage());
                    }
                }
            });
        }

        [Test]
        public void StatelessFunctionsOnSeveralThreads()
        {
            byte[] expected = Fixtures.VectorManifestPman;
            string manifest = Fixtures.VectorManifestJson;
            RunOnThreads(_ =>
            {
                for (int i = 0; i < CallsPerThread; i++)
                    CollectionAssert.AreEqual(expected, Sdm.ManifestEncodeJson(manifest));
            });
        }
    }
}
