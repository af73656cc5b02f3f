// The Kotlin lane of the runtime matrix: every case of CASES_DIR through the UniFFI Kotlin
// binding (its public typed API, as a user calls it), one result JSON per case in OUT_DIR.
// The contract (case and result format, stages) is /work/notes/matrix.md, summed up in
// runtime-matrix/README.md. Paths in a case resolve against the working directory.
//
// Usage: java -Djna.library.path=DIR -cp ... RunnerKt CASES_DIR OUT_DIR
// Exit 0 when every result was written; 2 when the runner itself broke (unreadable case,
// unknown member), naming the case.

import java.io.File
import java.math.BigDecimal
import java.util.Base64
import kotlin.system.exitProcess
import org.spacedata.module.uniffi.HostPolicy
import org.spacedata.module.uniffi.InputFrame
import org.spacedata.module.uniffi.InvokeMode
import org.spacedata.module.uniffi.InvokeOptions
import org.spacedata.module.uniffi.InvokeResult
import org.spacedata.module.uniffi.OpenOptions
import org.spacedata.module.uniffi.Program
import org.spacedata.module.uniffi.ProgramOutput
import org.spacedata.module.uniffi.ProgramPreopen
import org.spacedata.module.uniffi.RecipientKey
import org.spacedata.module.uniffi.Runtime
import org.spacedata.module.uniffi.SdmException
import org.spacedata.module.uniffi.VerifiedModule
import org.spacedata.module.uniffi.defaultLimits
import org.spacedata.module.uniffi.open

/** A case the runner cannot read: a runner failure, not a result. */
class CaseError(message: String) : Exception(message)

/** A failure at one stage, recorded as the result's `error`. */
class StageError(val stage: String, val error: SdmException) : Exception(error)

fun main(args: Array<String>) {
    if (args.size != 2) {
        System.err.println("usage: RunnerKt CASES_DIR OUT_DIR")
        exitProcess(2)
    }
    val casesDir = File(args[0])
    val outDir = File(args[1]).apply { mkdirs() }
    val cases = casesDir.listFiles { f -> f.isFile && f.name.endsWith(".json") }
        ?.sortedBy { it.name }
        ?: run { System.err.println("kotlin runner: cannot list $casesDir"); exitProcess(2) }
    for (file in cases) {
        val stem = file.name.removeSuffix(".json")
        val result = try {
            runCase(stem, Case.parse(Json.parse(file.readText())))
        } catch (e: CaseError) {
            System.err.println("kotlin runner: ${file.name}: ${e.message}")
            exitProcess(2)
        } catch (e: IllegalArgumentException) {
            System.err.println("kotlin runner: ${file.name}: ${e.message}")
            exitProcess(2)
        }
        File(outDir, "$stem.json").writeText(Json.render(result) + "\n")
    }
}

/** One case, read strictly: an unknown member is a runner error. */
class Case(
    val artifact: String,
    val allowUnsigned: Boolean,
    val trust: List<String>,
    val decryptWith: String?,
    val wasmSigners: List<String>,
    val timeoutMs: Long?,
    val fuel: Long?,
    val maxMemoryMb: Long?,
    val hostPolicyJson: String?,
    val invoke: Map<String, Any?>?,
    val program: Map<String, Any?>?,
) {
    companion object {
        fun parse(value: Any?): Case {
            val case = obj(value, "case", setOf("description", "artifact", "open", "limits", "hostPolicy", "invoke", "program"))
            val open = case["open"]?.let { obj(it, "open", setOf("allowUnsigned", "trust", "decryptWith", "wasmSigners")) } ?: emptyMap()
            val limits = case["limits"]?.let { obj(it, "limits", setOf("timeoutMs", "fuel", "maxMemoryMb")) } ?: emptyMap()
            val invoke = case["invoke"]?.let { obj(it, "invoke", setOf("mode", "method", "inputs")) }
            val program = case["program"]?.let { obj(it, "program", setOf("stdinBase64", "args", "env", "preopens")) }
            if ((invoke == null) == (program == null)) throw CaseError("exactly one of invoke / program is required")
            return Case(
                artifact = str(case["artifact"], "artifact"),
                allowUnsigned = open["allowUnsigned"]?.let { bool(it, "open.allowUnsigned") } ?: false,
                trust = open["trust"]?.let { list(it, "open.trust").map { k -> str(k, "open.trust[]") } } ?: emptyList(),
                decryptWith = open["decryptWith"]?.let { str(it, "open.decryptWith") },
                wasmSigners = open["wasmSigners"]?.let { list(it, "open.wasmSigners").map { k -> str(k, "open.wasmSigners[]") } } ?: emptyList(),
                timeoutMs = limits["timeoutMs"]?.let { long(it, "limits.timeoutMs") },
                fuel = limits["fuel"]?.let { long(it, "limits.fuel") },
                maxMemoryMb = limits["maxMemoryMb"]?.let { long(it, "limits.maxMemoryMb") },
                hostPolicyJson = case["hostPolicy"]?.let { Json.render(it) },
                invoke = invoke,
                program = program,
            )
        }
    }
}

@Suppress("UNCHECKED_CAST")
fun obj(value: Any?, what: String, allowed: Set<String>): Map<String, Any?> {
    val map = value as? Map<String, Any?> ?: throw CaseError("$what must be an object")
    val unknown = map.keys - allowed
    if (unknown.isNotEmpty()) throw CaseError("$what: unknown member(s) ${unknown.sorted()}")
    return map
}

fun str(value: Any?, what: String): String = value as? String ?: throw CaseError("$what must be a string")
fun bool(value: Any?, what: String): Boolean = value as? Boolean ?: throw CaseError("$what must be true or false")
fun list(value: Any?, what: String): List<Any?> = value as? List<Any?> ?: throw CaseError("$what must be an array")
fun long(value: Any?, what: String): Long =
    try {
        (value as? BigDecimal ?: throw CaseError("$what must be a number")).longValueExact().also {
            if (it < 0) throw CaseError("$what must not be negative")
        }
    } catch (e: ArithmeticException) {
        throw CaseError("$what must be a whole number in range")
    }

fun base64(value: Any?, what: String): ByteArray =
    try {
        Base64.getDecoder().decode(str(value, what))
    } catch (e: IllegalArgumentException) {
        throw CaseError("$what is not base64: ${e.message}")
    }

/** Runs one case through the binding; a failure at a stage is a result, not an exception. */
fun runCase(stem: String, case: Case): Map<String, Any?> {
    // Read the whole case before running anything, so a broken case never half-runs.
    val mode = case.invoke?.let {
        when (val name = str(it["mode"], "invoke.mode")) {
            "direct" -> InvokeMode.DIRECT
            "command" -> InvokeMode.COMMAND
            else -> throw CaseError("invoke.mode \"$name\" is neither direct nor command")
        }
    }
    val inputs = case.invoke?.let { invoke ->
        (invoke["inputs"]?.let { list(it, "invoke.inputs") } ?: emptyList()).map {
            val frame = obj(it, "invoke.inputs[]", setOf("port", "base64"))
            InputFrame(str(frame["port"], "invoke.inputs[].port"), base64(frame["base64"], "invoke.inputs[].base64"))
        }
    }
    val program = case.program?.let(::programOf)
    val stdin = case.program?.get("stdinBase64")?.let { base64(it, "program.stdinBase64") } ?: ByteArray(0)

    val out = linkedMapOf<String, Any?>("case" to stem, "error" to null, "invoke" to null, "program" to null)
    try {
        val verified = stage("open") {
            val bytes = try {
                File(case.artifact).readBytes()
            } catch (e: java.io.IOException) {
                throw CaseError("artifact ${case.artifact}: ${e.message}")
            }
            val key = case.decryptWith?.let { RecipientKey.readFile(it) }
            open(bytes, OpenOptions(trustedSigners = case.trust, decryptWith = key, allowUnsigned = case.allowUnsigned, wasmSigners = case.wasmSigners))
        }
        val runtime = stage("load") { Runtime(limitsOf(case)) }
        runtime.use {
            stage("load") { runtime.load(verified) }.use { module ->
                if (case.invoke != null) {
                    out["invoke"] = stage("invoke") {
                        val policy = case.hostPolicyJson?.let { HostPolicy.fromJson(it) }
                        invokeJson(module.invoke(str(case.invoke["method"], "invoke.method"), inputs!!, InvokeOptions(mode, policy)))
                    }
                } else {
                    out["program"] = stage("program") {
                        val policy = case.hostPolicyJson?.let { HostPolicy.fromJson(it) }
                        programJson(module.run(program!!, stdin, policy))
                    }
                }
            }
        }
    } catch (e: StageError) {
        out["error"] = linkedMapOf("stage" to e.stage, "code" to e.error.code().codeName(), "number" to e.error.code().number().toLong())
    }
    return out
}

/** The binding's exception's code (all class variants carry one). */
fun SdmException.code() = when (this) {
    is SdmException.Io -> code
    is SdmException.Input -> code
    is SdmException.Wasm -> code
    is SdmException.Bundle -> code
    is SdmException.Security -> code
    is SdmException.Runtime -> code
    is SdmException.Internal -> code
}

inline fun <T> stage(name: String, body: () -> T): T =
    try {
        body()
    } catch (e: SdmException) {
        throw StageError(name, e)
    }

/** The case's limits over the binding's defaults (0 = unlimited, as in the CLI). */
fun limitsOf(case: Case) = defaultLimits().let { d ->
    d.copy(
        fuel = case.fuel?.let { if (it == 0L) null else it.toULong() } ?: d.fuel,
        timeoutMs = case.timeoutMs?.let { if (it == 0L) null else it.toULong() } ?: d.timeoutMs,
        maxMemoryBytes = case.maxMemoryMb?.let { Math.multiplyExact(it, 1024L * 1024L).toULong() } ?: d.maxMemoryBytes,
    )
}

fun programOf(spec: Map<String, Any?>): Program {
    val env = spec["env"]?.let { it as? Map<*, *> ?: throw CaseError("program.env must be an object") }
    return Program(
        args = spec["args"]?.let { list(it, "program.args").map { a -> str(a, "program.args[]") } } ?: emptyList(),
        env = env?.entries?.associate { (k, v) -> k.toString() to str(v, "program.env.$k") } ?: emptyMap(),
        preopens = spec["preopens"]?.let { list(it, "program.preopens") }?.map {
            val p = obj(it, "program.preopens[]", setOf("hostPath", "guestPath", "readOnly"))
            ProgramPreopen(
                hostPath = str(p["hostPath"], "program.preopens[].hostPath"),
                guestPath = str(p["guestPath"], "program.preopens[].guestPath"),
                readOnly = p["readOnly"]?.let { r -> bool(r, "program.preopens[].readOnly") } ?: true,
            )
        } ?: emptyList(),
    )
}

fun b64(bytes: ByteArray): String = Base64.getEncoder().encodeToString(bytes)

/** Core `InvokeResult` JSON, built from the binding's typed records. */
fun invokeJson(result: InvokeResult): Map<String, Any?> = linkedMapOf(
    "mode" to when (result.mode) {
        InvokeMode.DIRECT -> "direct"
        InvokeMode.COMMAND -> "command"
        null -> null
    },
    "statusCode" to result.statusCode.toLong(),
    "yielded" to result.yielded,
    "backlogRemaining" to result.backlogRemaining.toLong(),
    "errorCode" to result.errorCode,
    "errorMessage" to result.errorMessage,
    "outputs" to result.outputs.map { f ->
        linkedMapOf(
            "portId" to f.portId,
            "typeRef" to f.typeRef?.let { t ->
                linkedMapOf(
                    "schemaName" to t.schemaName,
                    "fileIdentifier" to t.fileIdentifier,
                    "schemaHash" to t.schemaHash.map { b -> (b.toInt() and 0xff).toLong() },
                    "acceptsAnyFlatbuffer" to t.acceptsAnyFlatbuffer,
                    "wireFormat" to t.wireFormat.wireName(),
                    "rootTypeName" to t.rootTypeName,
                    "fixedStringLength" to t.fixedStringLength.toLong(),
                    "byteLength" to t.byteLength.toLong(),
                    "requiredAlignment" to t.requiredAlignment.toLong(),
                )
            },
            "alignment" to f.alignment.toLong(),
            "offset" to f.offset.toLong(),
            "size" to f.size.toLong(),
            "ownership" to f.ownership.toLong(),
            "generation" to f.generation.toLong(),
            "mutability" to f.mutability.toLong(),
            "traceId" to f.traceId.toString(),
            "streamId" to f.streamId.toLong(),
            "sequence" to f.sequence.toString(),
            "endOfStream" to f.endOfStream,
            "payloadBase64" to b64(f.payload),
        )
    },
)

/** Core `ProgramResult` JSON. */
fun programJson(output: ProgramOutput): Map<String, Any?> = linkedMapOf(
    "exitCode" to output.exitCode.toLong(),
    "stdoutBase64" to b64(output.stdout),
    "stderrBase64" to b64(output.stderr),
)

/**
 * Strict JSON in (objects as maps, duplicate keys refused, numbers as BigDecimal) and out
 * (keys sorted, 2-space indent), so the lane needs no library beside the binding's.
 */
class Json private constructor(private val text: String) {
    private var pos = 0

    companion object {
        fun parse(text: String): Any? {
            val json = Json(text)
            val value = json.value()
            json.ws()
            if (json.pos != text.length) json.fail("trailing text")
            return value
        }

        fun render(value: Any?): String = StringBuilder().also { write(it, value, "") }.toString()

        private fun write(out: StringBuilder, value: Any?, indent: String) {
            when (value) {
                null -> out.append("null")
                is Boolean, is Long, is Int -> out.append(value.toString())
                is BigDecimal -> out.append(value.toPlainString())
                is String -> quote(out, value)
                is Map<*, *> -> {
                    if (value.isEmpty()) { out.append("{}"); return }
                    val inner = "$indent  "
                    out.append("{\n")
                    value.keys.map { it.toString() }.sorted().forEachIndexed { i, key ->
                        if (i > 0) out.append(",\n")
                        out.append(inner); quote(out, key); out.append(": ")
                        write(out, value[key], inner)
                    }
                    out.append("\n").append(indent).append("}")
                }
                is List<*> -> {
                    if (value.isEmpty()) { out.append("[]"); return }
                    val inner = "$indent  "
                    out.append("[\n")
                    value.forEachIndexed { i, item ->
                        if (i > 0) out.append(",\n")
                        out.append(inner); write(out, item, inner)
                    }
                    out.append("\n").append(indent).append("]")
                }
                else -> throw IllegalStateException("cannot render ${value::class}")
            }
        }

        private fun quote(out: StringBuilder, s: String) {
            out.append('"')
            for (c in s) {
                when {
                    c == '"' -> out.append("\\\"")
                    c == '\\' -> out.append("\\\\")
                    c == '\n' -> out.append("\\n")
                    c == '\r' -> out.append("\\r")
                    c == '\t' -> out.append("\\t")
                    c < ' ' -> out.append(String.format("\\u%04x", c.code))
                    else -> out.append(c)
                }
            }
            out.append('"')
        }
    }

    private fun fail(what: String): Nothing = throw CaseError("invalid JSON: $what at offset $pos")

    private fun ws() {
        while (pos < text.length && text[pos] in " \t\r\n") pos++
    }

    private fun peek(): Char = if (pos < text.length) text[pos] else fail("unexpected end")

    private fun expect(c: Char) {
        if (peek() != c) fail("expected '$c'")
        pos++
    }

    private fun value(): Any? {
        ws()
        return when (val c = peek()) {
            '{' -> {
                pos++
                val map = LinkedHashMap<String, Any?>()
                ws()
                if (peek() == '}') { pos++; return map }
                while (true) {
                    ws()
                    val key = string()
                    if (key in map) fail("duplicate key \"$key\"")
                    ws(); expect(':')
                    map[key] = value()
                    ws()
                    if (peek() == ',') { pos++; continue }
                    expect('}')
                    return map
                }
                @Suppress("UNREACHABLE_CODE") map
            }
            '[' -> {
                pos++
                val items = ArrayList<Any?>()
                ws()
                if (peek() == ']') { pos++; return items }
                while (true) {
                    items.add(value())
                    ws()
                    if (peek() == ',') { pos++; continue }
                    expect(']')
                    return items
                }
                @Suppress("UNREACHABLE_CODE") items
            }
            '"' -> string()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c.isDigit()) number() else fail("unexpected '$c'")
        }
    }

    private fun literal(word: String, value: Any?): Any? {
        if (!text.startsWith(word, pos)) fail("expected $word")
        pos += word.length
        return value
    }

    private fun number(): BigDecimal {
        val start = pos
        while (pos < text.length && (text[pos].isDigit() || text[pos] in "+-.eE")) pos++
        return try {
            BigDecimal(text.substring(start, pos))
        } catch (e: NumberFormatException) {
            fail("bad number")
        }
    }

    private fun string(): String {
        expect('"')
        val out = StringBuilder()
        while (true) {
            val c = peek()
            pos++
            when {
                c == '"' -> return out.toString()
                c == '\\' -> {
                    val e = peek()
                    pos++
                    when (e) {
                        'n' -> out.append('\n'); 't' -> out.append('\t'); 'r' -> out.append('\r')
                        'b' -> out.append('\b'); 'f' -> out.append('\u000c')
                        '"', '\\', '/' -> out.append(e)
                        'u' -> {
                            if (pos + 4 > text.length) fail("short \\u escape")
                            val hex = text.substring(pos, pos + 4).toIntOrNull(16) ?: fail("bad \\u escape")
                            out.append(hex.toChar()); pos += 4
                        }
                        else -> fail("bad escape '\\$e'")
                    }
                }
                c < ' ' -> fail("control character in string")
                else -> out.append(c)
            }
        }
    }
}
