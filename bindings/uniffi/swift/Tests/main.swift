// The Swift lane: compiled against the generated SpaceDataModule bindings and the cdylib by
// bindings/uniffi/swift/test.sh where swiftc is on PATH.
// Usage: sdm-swift-test REPO_ROOT WASM_DIR
import Foundation
import SpaceDataModule

struct Failure: Error, CustomStringConvertible {
    let description: String
}

var passed = 0
var failed = 0

func test(_ name: String, _ body: () throws -> Void) {
    do {
        try body()
        passed += 1
        print("ok   \(name)")
    } catch {
        failed += 1
        print("FAIL \(name): \(error)")
    }
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition {
        throw Failure(description: message())
    }
}

/// The stable code of an SdmError, whatever its class case.
func sdmCode(_ error: Error) -> ErrorCode? {
    guard let sdm = error as? SdmError else {
        return nil
    }
    switch sdm {
    case .Io(let code, _, _, _), .Input(let code, _, _, _), .Wasm(let code, _, _, _),
         .Bundle(let code, _, _, _), .Security(let code, _, _, _), .Runtime(let code, _, _, _),
         .Internal(let code, _, _, _):
        return code
    }
}

func expectCode(_ expected: ErrorCode, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        try expect(sdmCode(error) == expected, "expected \(expected), got \(error)")
        return
    }
    throw Failure(description: "expected \(expected), nothing was thrown")
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    print("usage: \(arguments[0]) REPO_ROOT WASM_DIR")
    exit(2)
}
let repo = URL(fileURLWithPath: arguments[1])
let wasmDir = URL(fileURLWithPath: arguments[2])

func data(_ path: String) throws -> Data {
    return try Data(contentsOf: repo.appendingPathComponent(path))
}

func text(_ path: String) throws -> String {
    return try String(contentsOf: repo.appendingPathComponent(path), encoding: .utf8)
}

func json(_ text: String) throws -> NSObject {
    return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! NSObject
}

func seq(_ start: UInt8, _ count: Int) -> Data {
    return Data((0..<count).map { start &+ UInt8($0) })
}

test("manifest vectors encode byte-identically") {
    let dir = repo.appendingPathComponent("vectors/manifests")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        .filter { $0.hasSuffix(".manifest.json") }.sorted()
    try expect(names.count >= 5, "only \(names.count) manifest vectors")
    for name in names {
        let stem = String(name.dropLast(".json".count))
        let encoded = try encodeManifest(manifestJson: try text("vectors/manifests/\(name)"))
        try expect(encoded.bytes == (try data("vectors/manifests/\(stem).fb")), "\(name): PMAN bytes differ")
    }
}

test("a bundle vector parses to its expected JSON") {
    let parsed = try parseBundle(module: try data("vectors/differential/bundle/1.bundled.wasm"))
    let expected = try json(try text("vectors/differential/bundle/1.parsed.json"))
    try expect((try json(parsed.json)).isEqual(expected), "1.parsed.json differs: \(parsed.json)")
}

test("check gives the reference codes on a failing manifest") {
    let report = try check(manifestJson: try text("vectors/differential/compliance/10.manifest.json"))
    try expect(!report.ok, "manifest 10 passed")
    try expect(report.issues.map { $0.code } == ["missing-string"], "codes: \(report.issues)")
}

test("protect -> open round trip, wrong key and untrusted signer") {
    let wasm = try data("vectors/single-file-bundle/single-file-module.wasm")
    let manifest = try text("vectors/single-file-bundle/manifest.json")
    let signer = try SigningKey.fromPrivateKey(bytes: seq(1, 32))
    let other = try SigningKey.fromPrivateKey(bytes: Data(repeating: 9, count: 32))
    var recipientBytes = Data([0x40])
    recipientBytes.append(seq(41, 31))
    let recipient = try RecipientKey.fromPrivateKey(bytes: recipientBytes)
    let wrong = try RecipientKey.generate()
    let protected = try protect(wasm: wasm, manifestJson: manifest, signer: signer,
                                options: ProtectOptions(singleFileBundle: true, encryptFor: recipient.publicKey()))
    let opened = try `open`(artifact: protected.artifact,
                            options: OpenOptions(trustedSigners: [signer.publicKeyHex()], decryptWith: recipient))
    try expect(opened.outcome().ok, "outcome not ok")
    try expect(opened.wasm().starts(with: [0x00, 0x61, 0x73, 0x6d]), "not wasm")
    try expectCode(.decryptedPayloadInvalid) {
        _ = try `open`(artifact: protected.artifact,
                       options: OpenOptions(trustedSigners: [signer.publicKeyHex()], decryptWith: wrong))
    }
    try expectCode(.signatureInvalid) {
        _ = try `open`(artifact: protected.artifact,
                       options: OpenOptions(trustedSigners: [other.publicKeyHex()], decryptWith: recipient))
    }
    try expect(ErrorCode.signatureInvalid.rawValue == 605, "number of signature-invalid")
    try expect(ErrorCode.signatureInvalid.codeName() == "signature-invalid", "name of signature-invalid")
}

test("echo invokes in direct mode") {
    let wasm = try Data(contentsOf: wasmDir.appendingPathComponent("echo-direct.wasm"))
    let runtime = try Runtime()
    let module = try runtime.load(module: try VerifiedModule.allowUnsigned(wasm: wasm))
    let payload = Data("hello from Swift".utf8)
    let result = try module.invoke(method: "echo", inputs: [InputFrame(port: "echo", payload: payload)])
    try expect(result.statusCode == 0 && !result.failed, "status \(result.statusCode)")
    try expect(result.outputs.count == 1 && result.outputs[0].payload == payload, "outputs \(result.outputs)")
}

test("output frames carry typed metadata") {
    let wasm = try Data(contentsOf: wasmDir.appendingPathComponent("echo-direct.wasm"))
    let module = try (try Runtime()).load(module: try VerifiedModule.allowUnsigned(wasm: wasm))
    let frame = try module.invoke(method: "echo", inputs: [InputFrame(port: "echo", payload: Data("abc".utf8))]).outputs[0]
    try expect(frame.portId == "echo" && frame.size == 3 && frame.alignment > 0, "frame \(frame)")
    if let typeRef = frame.typeRef {
        try expect(["flatbuffer", "aligned-binary"].contains(typeRef.wireFormat.wireName()), "wire format \(typeRef)")
    }
}

test("module.run: args, env, preopen, stdin, stderr, exit code") {
    let wasm = try Data(contentsOf: wasmDir.appendingPathComponent("program.wasm"))
    let module = try (try Runtime()).load(module: try VerifiedModule.allowUnsigned(wasm: wasm))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdm-swift-program-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data("from the preopen\n".utf8).write(to: dir.appendingPathComponent("in.txt"))
    let output = try module.run(
        program: Program(args: ["one", "two"], env: ["K": "v"],
                         preopens: [ProgramPreopen(hostPath: dir.path, guestPath: "/data")]),
        stdin: Data("stdin bytes".utf8))
    let stdout = String(decoding: output.stdout, as: UTF8.self)
    try expect(output.exitCode == 0, "exit \(output.exitCode)")
    try expect(stdout == "args=one,two\nK=v\nfile=from the preopen\nstdin bytes", "stdout \(stdout)")
    try expect(output.stderr == Data("to stderr\n".utf8), "stderr")
    try expect((try module.run(program: Program(args: ["exit", "3"]))).exitCode == 3, "exit 3")
    try expectCode(.invalidArgument) { _ = try module.run(program: Program(args: ["a\u{0}b"])) }
    try expectCode(.invalidArgument) { _ = try programFromJson(json: "{\"argv\":[]}") }
    let reactor = try (try Runtime()).load(module: try VerifiedModule.allowUnsigned(
        wasm: try Data(contentsOf: wasmDir.appendingPathComponent("echo-direct.wasm"))))
    try expectCode(.runtimeMissingExport) { _ = try reactor.run() }
}

test("runtime host rows") {
    let host = try RuntimeHost.inMemory()
    let first = try host.appendRow(schemaFileId: "OMM", payloadJson: "{\"n\":1}")
    let second = try host.appendRow(schemaFileId: "OMM", payloadJson: "[2]")
    try expect(first.rowId == 1 && second.rowId == 2, "row ids \(first) \(second)")
    let row = try host.resolveRow(schemaFileId: "OMM", rowId: 2)
    try expect(row?.payloadJson == "[2]", "resolved \(String(describing: row))")
    try expect(try host.listRows().count == 2, "list")
    try expectCode(.runtimeHostInvalidRowId) { _ = try host.resolveRow(schemaFileId: "OMM", rowId: 0) }
}

print("swift: \(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
