// The Swift lane of the runtime matrix: every case of CASES_DIR through the UniFFI Swift binding
// (module SpaceDataModule, its public typed API), one result JSON per case in OUT_DIR. The
// contract (case and result format, stages) is runtime-matrix/README.md. Paths in a case
// resolve against the working directory.
//
// Usage: sdm-matrix-swift CASES_DIR OUT_DIR
// Exit 0 when every result was written; 2 when the runner itself broke (unreadable case,
// unknown member), naming the case.

import Foundation
import SpaceDataModule

/// A case the runner cannot read: a runner failure, not a result.
struct CaseError: Error, CustomStringConvertible {
    let description: String
}

/// A failure at one stage, recorded as the result's `error`.
struct StageError: Error {
    let stage: String
    let code: ErrorCode
}

func fail(_ message: String) -> CaseError { CaseError(description: message) }

func object(_ value: Any?, _ what: String, _ allowed: Set<String>) throws -> [String: Any] {
    guard let map = value as? [String: Any] else { throw fail("\(what) must be an object") }
    let unknown = Set(map.keys).subtracting(allowed)
    if !unknown.isEmpty { throw fail("\(what): unknown member(s) \(unknown.sorted())") }
    return map
}

func string(_ value: Any?, _ what: String) throws -> String {
    guard let text = value as? String else { throw fail("\(what) must be a string") }
    return text
}

func boolean(_ value: Any?, _ what: String) throws -> Bool {
    guard let flag = value as? Bool else { throw fail("\(what) must be true or false") }
    return flag
}

func count(_ value: Any?, _ what: String) throws -> UInt64 {
    // Not `value is Bool`: Foundation bridges 0 and 1 to Bool, and 0 is a documented limit.
    guard let number = value as? NSNumber,
          number.doubleValue >= 0, number.doubleValue == number.doubleValue.rounded(.towardZero) else {
        throw fail("\(what) must be a whole number, not negative")
    }
    return number.uint64Value
}

func array(_ value: Any?, _ what: String) throws -> [Any] {
    guard let items = value as? [Any] else { throw fail("\(what) must be an array") }
    return items
}

func base64(_ value: Any?, _ what: String) throws -> Data {
    guard let data = Data(base64Encoded: try string(value, what)) else { throw fail("\(what) is not base64") }
    return data
}

/// Runs `body`; a binding error becomes the result's error at `stage`.
func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SdmError {
        switch error {
        case .Io(let code, _, _, _), .Input(let code, _, _, _), .Wasm(let code, _, _, _),
             .Bundle(let code, _, _, _), .Security(let code, _, _, _), .Runtime(let code, _, _, _),
             .Internal(let code, _, _, _):
            throw StageError(stage: name, code: code)
        }
    }
}

/// The case's limits over the binding's defaults (0 = unlimited, as in the CLI).
func limits(_ spec: [String: Any]) throws -> Limits {
    let d = defaultLimits()
    var fuel = d.fuel, timeoutMs = d.timeoutMs, maxMemoryBytes = d.maxMemoryBytes
    if let value = spec["fuel"] {
        let n = try count(value, "limits.fuel")
        fuel = n == 0 ? nil : n
    }
    if let value = spec["timeoutMs"] {
        let n = try count(value, "limits.timeoutMs")
        timeoutMs = n == 0 ? nil : n
    }
    if let value = spec["maxMemoryMb"] {
        let (bytes, overflow) = try count(value, "limits.maxMemoryMb").multipliedReportingOverflow(by: 1024 * 1024)
        if overflow { throw fail("limits.maxMemoryMb is out of range") }
        maxMemoryBytes = bytes
    }
    return Limits(fuel: fuel, timeoutMs: timeoutMs, maxMemoryBytes: maxMemoryBytes,
                  maxTableElements: d.maxTableElements, maxRequestBytes: d.maxRequestBytes,
                  maxResponseBytes: d.maxResponseBytes, maxStderrBytes: d.maxStderrBytes)
}

func program(_ spec: [String: Any]) throws -> Program {
    let args = try (spec["args"].map { try array($0, "program.args") } ?? []).map { try string($0, "program.args[]") }
    var env: [String: String] = [:]
    if let value = spec["env"] {
        guard let map = value as? [String: Any] else { throw fail("program.env must be an object") }
        for (key, v) in map { env[key] = try string(v, "program.env.\(key)") }
    }
    let preopens = try (spec["preopens"].map { try array($0, "program.preopens") } ?? []).map { (item: Any) -> ProgramPreopen in
        let p = try object(item, "program.preopens[]", ["hostPath", "guestPath", "readOnly"])
        return ProgramPreopen(hostPath: try string(p["hostPath"], "program.preopens[].hostPath"),
                              guestPath: try string(p["guestPath"], "program.preopens[].guestPath"),
                              readOnly: try p["readOnly"].map { try boolean($0, "program.preopens[].readOnly") } ?? true)
    }
    return Program(args: args, env: env, preopens: preopens)
}

func json(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }

/// Core `InvokeResult` JSON, built from the binding's typed records.
func invokeJSON(_ result: InvokeResult) -> [String: Any] {
    let mode: Any
    switch result.mode {
    case .direct?: mode = "direct"
    case .command?: mode = "command"
    case nil: mode = NSNull()
    }
    let outputs: [[String: Any]] = result.outputs.map { (f: OutputFrame) -> [String: Any] in
        var typeRef: Any = NSNull()
        if let t = f.typeRef {
            typeRef = [
                "schemaName": json(t.schemaName),
                "fileIdentifier": json(t.fileIdentifier),
                "schemaHash": t.schemaHash.map { Int($0) },
                "acceptsAnyFlatbuffer": t.acceptsAnyFlatbuffer,
                "wireFormat": t.wireFormat.wireName(),
                "rootTypeName": json(t.rootTypeName),
                "fixedStringLength": Int(t.fixedStringLength),
                "byteLength": Int(t.byteLength),
                "requiredAlignment": Int(t.requiredAlignment),
            ] as [String: Any]
        }
        return [
            "portId": json(f.portId),
            "typeRef": typeRef,
            "alignment": Int(f.alignment),
            "offset": Int(f.offset),
            "size": Int(f.size),
            "ownership": Int(f.ownership),
            "generation": Int(f.generation),
            "mutability": Int(f.mutability),
            "traceId": String(f.traceId),
            "streamId": Int(f.streamId),
            "sequence": String(f.sequence),
            "endOfStream": f.endOfStream,
            "payloadBase64": f.payload.base64EncodedString(),
        ]
    }
    return [
        "mode": mode,
        "statusCode": Int(result.statusCode),
        "yielded": result.yielded,
        "backlogRemaining": Int(result.backlogRemaining),
        "errorCode": json(result.errorCode),
        "errorMessage": json(result.errorMessage),
        "outputs": outputs,
    ]
}

/// Core `ProgramResult` JSON.
func programJSON(_ output: ProgramOutput) -> [String: Any] {
    [
        "exitCode": Int(output.exitCode),
        "stdoutBase64": output.stdout.base64EncodedString(),
        "stderrBase64": output.stderr.base64EncodedString(),
    ]
}

func runCase(_ stem: String, _ value: Any) throws -> [String: Any] {
    let spec = try object(value, "case", ["description", "artifact", "open", "limits", "hostPolicy", "invoke", "program"])
    let artifact = try string(spec["artifact"], "artifact")
    let openSpec = try spec["open"].map { try object($0, "open", ["allowUnsigned", "trust", "decryptWith", "wasmSigners"]) } ?? [:]
    let allowUnsigned = try openSpec["allowUnsigned"].map { try boolean($0, "open.allowUnsigned") } ?? false
    let trust = try (openSpec["trust"].map { try array($0, "open.trust") } ?? []).map { try string($0, "open.trust[]") }
    let decryptWith = try openSpec["decryptWith"].map { try string($0, "open.decryptWith") }
    let wasmSigners = try (openSpec["wasmSigners"].map { try array($0, "open.wasmSigners") } ?? []).map { try string($0, "open.wasmSigners[]") }
    let runtimeLimits = try limits(try spec["limits"].map { try object($0, "limits", ["timeoutMs", "fuel", "maxMemoryMb"]) } ?? [:])
    var policyText: String? = nil
    if let policy = spec["hostPolicy"] {
        guard JSONSerialization.isValidJSONObject(policy),
              let data = try? JSONSerialization.data(withJSONObject: policy) else { throw fail("hostPolicy must be an object") }
        policyText = String(decoding: data, as: UTF8.self)
    }
    let invokeSpec = try spec["invoke"].map { try object($0, "invoke", ["mode", "method", "inputs"]) }
    let programSpec = try spec["program"].map { try object($0, "program", ["stdinBase64", "args", "env", "preopens"]) }
    if (invokeSpec == nil) == (programSpec == nil) { throw fail("exactly one of invoke / program is required") }

    // Read the whole case before running anything, so a broken case never half-runs.
    var mode: InvokeMode? = nil
    var method = ""
    var inputs: [InputFrame] = []
    if let invoke = invokeSpec {
        switch try string(invoke["mode"], "invoke.mode") {
        case "direct": mode = .direct
        case "command": mode = .command
        case let other: throw fail("invoke.mode \"\(other)\" is neither direct nor command")
        }
        method = try string(invoke["method"], "invoke.method")
        inputs = try (invoke["inputs"].map { try array($0, "invoke.inputs") } ?? []).map { (item: Any) -> InputFrame in
            let frame = try object(item, "invoke.inputs[]", ["port", "base64"])
            return InputFrame(port: try string(frame["port"], "invoke.inputs[].port"),
                              payload: try base64(frame["base64"], "invoke.inputs[].base64"))
        }
    }
    let programValue = try programSpec.map { try program($0) }
    var stdin = Data()
    if let value = programSpec?["stdinBase64"] { stdin = try base64(value, "program.stdinBase64") }
    guard let bytes = FileManager.default.contents(atPath: artifact) else { throw fail("artifact \(artifact) cannot be read") }

    var out: [String: Any] = ["case": stem, "error": NSNull(), "invoke": NSNull(), "program": NSNull()]
    do {
        let verified = try stage("open") { () -> VerifiedModule in
            let key = try decryptWith.map { try RecipientKey.readFile(path: $0) }
            return try SpaceDataModule.open(artifact: bytes, options: OpenOptions(trustedSigners: trust, decryptWith: key, allowUnsigned: allowUnsigned, wasmSigners: wasmSigners))
        }
        let runtime = try stage("load") { try Runtime(limits: runtimeLimits) }
        let module = try stage("load") { try runtime.load(module: verified) }
        if let programValue = programValue {
            out["program"] = try stage("program") { () -> [String: Any] in
                let policy = try policyText.map { try HostPolicy.fromJson(text: $0) }
                return programJSON(try module.run(program: programValue, stdin: stdin, hostPolicy: policy))
            }
        } else {
            out["invoke"] = try stage("invoke") { () -> [String: Any] in
                let policy = try policyText.map { try HostPolicy.fromJson(text: $0) }
                return invokeJSON(try module.invoke(method: method, inputs: inputs,
                                                    options: InvokeOptions(mode: mode, hostPolicy: policy)))
            }
        }
    } catch let error as StageError {
        out["error"] = ["stage": error.stage, "code": error.code.codeName(), "number": Int(error.code.number())] as [String: Any]
    }
    return out
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write("usage: sdm-matrix-swift CASES_DIR OUT_DIR\n".data(using: .utf8)!)
    exit(2)
}
let casesDir = URL(fileURLWithPath: arguments[1])
let outDir = URL(fileURLWithPath: arguments[2])
do {
    try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
    let files = try FileManager.default.contentsOfDirectory(atPath: casesDir.path)
        .filter { $0.hasSuffix(".json") }
        .sorted()
    for name in files {
        let stem = String(name.dropLast(".json".count))
        do {
            guard let data = FileManager.default.contents(atPath: casesDir.appendingPathComponent(name).path) else {
                throw fail("cannot read the case")
            }
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(with: data)
            } catch {
                throw fail("invalid JSON: \(error)")
            }
            let result = try runCase(stem, value)
            var text = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
            text.append(0x0a)
            try text.write(to: outDir.appendingPathComponent("\(stem).json"))
        } catch {
            FileHandle.standardError.write("swift runner: \(name): \(error)\n".data(using: .utf8)!)
            exit(2)
        }
    }
} catch {
    FileHandle.standardError.write("swift runner: \(error)\n".data(using: .utf8)!)
    exit(2)
}
