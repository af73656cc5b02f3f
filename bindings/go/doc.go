// Package sdm is the Go binding of space-data-module over its C ABI
// (include/space_data_module.h, docs/c-abi.md).
//
// It links libspace_data_module_ffi (the cdylib of the ffi-c crate) and includes its header,
// both found with pkg-config (`#cgo pkg-config: space_data_module`). After `make install`
// (PREFIX=/usr/local by default) `go test ./...` needs nothing else; for another prefix:
//
//	PKG_CONFIG_PATH=<prefix>/lib/pkgconfig LD_LIBRARY_PATH=<prefix>/lib go test ./...
//
// (`make test-go` at the repository root stages an install of the library cargo just built
// and runs the tests against it.)
//
// # Fail-closed loading
//
// Only Verify (the loader, spec 12) makes a Verified, and only a Verified reaches
// Runtime.Load and RuntimeHost.InstallModule: a protected artifact is verified (signature,
// trust, decryption) on the way in, and plain wasm needs VerifyOptions.AllowUnsigned. The
// capability ceiling of a module is the manifest core read statically when it was verified,
// never what the guest says when run.
//
// # Bytes and errors
//
// Every function copies the bytes the library returns into Go slices and frees the C buffer
// before returning; the library never keeps a Go pointer beyond the call. Structured results
// are the library's UTF-8 JSON (docs/c-abi.md), returned as json.RawMessage next to the
// typed fields most callers need.
//
// Every failure is a *Error carrying the stable number and name of docs/errors.md (the same
// numbers the C ABI returns as sdm_status and the CLI prints), e.g. CodeDecryptionFailed. The
// Code constants are the header's SDM_ERR_* constants (codes.go is generated from the
// header); the name comes from the library (sdm_error_code_name).
// Use errors.As, or the helper IsCode:
//
//	if sdm.IsCode(err, sdm.CodeSignatureInvalid) { ... }
//
// Empty required inputs are CodeInvalidArgument (4); keys of the wrong size are
// CodeKeyInvalid (616), answered by the library: keys cross the C ABI with their length, so
// the binding does not check them (only a list of several trusted signers is checked for
// framing, because the flat C list cannot say where a key ends).
//
// # Thread safety
//
// Following docs/c-abi.md:
//
//   - Runtime and Module may be shared by any number of goroutines and used concurrently;
//     every invoke runs in a fresh wasm instance.
//   - Verified (Verify) is immutable and may be shared by any number of goroutines; Runtime.Load
//     and RuntimeHost.InstallModule hold it against Close for the call. Closing it does not
//     affect the modules loaded or installed from it.
//   - Host (a host policy, NewHost) may be shared by any number of goroutines: Invoke and
//     Module.InvokeHosted may run concurrently on one Host, and one Host may serve several
//     modules. InvokeHosted holds both the Module and the Host against Close for the call.
//   - RuntimeHost (NewRuntimeHost, NewRuntimeHostWithPolicy, OpenRuntimeHost) may be shared by any number of
//     goroutines: its row store, region store and module registry each lock inside the
//     library, so concurrent AppendRow calls get distinct row ids. Several RuntimeHosts, even
//     in several processes, may open the same SQLite file. It owns its own runtime.
//   - Close is idempotent and safe to call while other goroutines use the handle: it waits
//     for calls in flight to return, then frees the handle; later calls fail with
//     CodeInvalidArgument. A finalizer frees a handle that was never closed, as a safety
//     net only: call Close.
//   - A Module keeps its Runtime alive inside the library, so the two may be closed in any
//     order.
//   - A Host only needs to be open for the calls that use it; closing it does not affect
//     Modules (a hosted invoke in flight keeps Close waiting).
//   - Every other function only touches its arguments and may be called from any goroutine.
//     The library's last-error message is per OS thread; the binding reads it on the thread
//     that made the failing call (runtime.LockOSThread around the pair).
package sdm
