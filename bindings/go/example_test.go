package sdm_test

import (
	"fmt"
	"log"
	"os"

	sdm "github.com/space-data-module/space-data-module/bindings/go"
)

// Inspect a module, sign and encrypt it, then open it again with the right and a wrong key.
func Example() {
	wasm, err := os.ReadFile("../../vectors/single-file-bundle/single-file-module.wasm")
	if err != nil {
		log.Fatal(err)
	}
	manifest, err := os.ReadFile("../../vectors/single-file-bundle/manifest.json")
	if err != nil {
		log.Fatal(err)
	}

	info, err := sdm.Inspect(wasm)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("plugin:", info.PluginID)

	report, err := sdm.Check(manifest, wasm)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("compliant:", report.OK)

	// Keys: a 32-byte secp256k1 signing key and a 32-byte X25519 recipient key.
	signingKey := make([]byte, 32)
	recipientKey := make([]byte, 32)
	for i := range signingKey {
		signingKey[i] = byte(i + 1)
		recipientKey[i] = byte(i + 40)
	}
	signer, _ := sdm.SigningPublicKey(signingKey)
	recipient, _ := sdm.X25519PublicKey(recipientKey)

	protected, err := sdm.Protect(wasm, sdm.ProtectOptions{
		ManifestJSON:       manifest,
		SigningKey:         signingKey,
		RecipientPublicKey: recipient,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("encrypted:", protected.Encrypted)

	opened, err := sdm.Open(protected.Artifact, sdm.OpenOptions{
		TrustedSigners: [][]byte{signer},
		DecryptionKey:  recipientKey,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("opened the original module:", string(opened.Wasm) == string(wasm))

	_, err = sdm.Open(protected.Artifact, sdm.OpenOptions{TrustedSigners: [][]byte{signer}})
	fmt.Println("without the key:", sdm.ErrorCode(err), sdm.IsCode(err, sdm.CodeDecryptionKeyRequired))

	// Verify is the same loader; its handle is what a runtime loads (fail closed as a type).
	verified, err := sdm.Verify(protected.Artifact, sdm.VerifyOptions{
		TrustedSigners: [][]byte{signer},
		DecryptionKey:  recipientKey,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer verified.Close()
	rt, err := sdm.NewRuntime()
	if err != nil {
		log.Fatal(err)
	}
	defer rt.Close()
	module, err := rt.Load(verified)
	if err != nil {
		log.Fatal(err)
	}
	defer module.Close()
	embedded, _ := module.ManifestJSON()
	fmt.Println("loaded, manifest read statically:", len(embedded) > 0)
	// Output:
	// plugin: com.digitalarsenal.examples.single-file-vector
	// compliant: true
	// encrypted: true
	// opened the original module: true
	// without the key: 607 true
	// loaded, manifest read statically: true
}

// Load a module and invoke it; runtime and module are safe for concurrent use. (Compiled by
// go test but not run: it needs the echo module that `make test-go` compiles; the same calls
// are checked by TestInvokeDirectEcho.)
func ExampleModule_Invoke() {
	wasm, err := os.ReadFile("echo-direct.wasm") // examples/invoke-echo, compiled by the CLI
	if err != nil {
		log.Fatal(err)
	}
	// Fail closed: plain wasm reaches the runtime only through Verify, unsigned on request.
	// (A protected artifact: VerifyOptions{TrustedSigners: ..., DecryptionKey: ...}.)
	verified, err := sdm.Verify(wasm, sdm.VerifyOptions{AllowUnsigned: true})
	if err != nil {
		log.Fatal(err)
	}
	defer verified.Close()
	rt, err := sdm.NewRuntime()
	if err != nil {
		log.Fatal(err)
	}
	defer rt.Close()
	module, err := rt.Load(verified)
	if err != nil {
		log.Fatal(err)
	}
	defer module.Close()

	response, err := module.Invoke(sdm.Direct, sdm.InvokeRequest{
		MethodID: "echo",
		Inputs:   []sdm.Frame{{PortID: "echo", Payload: []byte("hello")}},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %s\n", response.Outputs[0].PortID, response.Outputs[0].Payload)
}

// A host policy answers host operations for the embedder and for guests (InvokeHosted);
// what the policy does not grant is refused with a stable code.
func ExampleNewHost() {
	host, err := sdm.NewHost([]byte(`{"grant": ["clock"]}`))
	if err != nil {
		log.Fatal(err)
	}
	defer host.Close()
	granted, _ := host.Invoke("host.listCapabilities", nil)
	fmt.Println("granted:", string(granted))
	_, err = host.Invoke("random.bytes", []byte(`{"length": 4}`))
	fmt.Println(sdm.IsCode(err, sdm.CodeHostCapabilityDenied), sdm.ErrorCode(err))
	// Output:
	// granted: ["clock"]
	// true 800
}

// A runtime host's rows: ids per schema from 1, never reused (durable with OpenRuntimeHost).
func ExampleRuntimeHost_AppendRow() {
	host, err := sdm.NewRuntimeHost()
	if err != nil {
		log.Fatal(err)
	}
	defer host.Close()
	first, _ := host.AppendRow("OMM", []byte(`{"norad": 25544}`))
	second, _ := host.AppendRow("OMM", []byte(`{"norad": 20580}`))
	row, _ := host.ResolveRow("OMM", second)
	fmt.Println(first, second, string(row.Payload))
	// Output:
	// 1 2 {"norad":20580}
}
