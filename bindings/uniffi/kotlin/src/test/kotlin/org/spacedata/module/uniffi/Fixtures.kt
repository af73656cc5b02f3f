package org.spacedata.module.uniffi

import java.io.File
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.fail

/** Paths the Makefile passes (surefire systemPropertyVariables). */
object Fixtures {
    val repoRoot: File = File(System.getProperty("sdm.test.repo") ?: "../../..").canonicalFile
    val wasmDir: File = File(System.getProperty("sdm.test.wasm") ?: "${repoRoot}/target/uniffi/wasm")

    fun repoFile(path: String): File = File(repoRoot, path)
    fun read(path: String): ByteArray = repoFile(path).readBytes()
    fun text(path: String): String = repoFile(path).readText()

    /** A test guest compiled by `make run-test-kotlin`; the test fails (not skips) without it. */
    fun guest(name: String): ByteArray {
        val file = File(wasmDir, name)
        if (!file.isFile) fail("$file is missing: run the tests through `make run-test-kotlin`, which compiles it")
        return file.readBytes()
    }

    fun seq(start: Int, n: Int): ByteArray = ByteArray(n) { (start + it).toByte() }

    // The fixed keys of examples/c/example.c and the Go tests.
    val signingKey: SigningKey by lazy { SigningKey.fromPrivateKey(seq(1, 32)) }
    val otherSigningKey: SigningKey by lazy { SigningKey.fromPrivateKey(ByteArray(32) { 9 }) }
    val recipientKey: RecipientKey by lazy { RecipientKey.fromPrivateKey(byteArrayOf(0x40) + seq(41, 31)) }
    val wrongRecipient: RecipientKey by lazy { RecipientKey.fromPrivateKey(byteArrayOf(0x50) + ByteArray(31) { 1 }) }
}

/** The stable code of any SdmException, whatever its class variant. */
val SdmException.sdmCode: ErrorCode
    get() = when (this) {
        is SdmException.Io -> code
        is SdmException.Input -> code
        is SdmException.Wasm -> code
        is SdmException.Bundle -> code
        is SdmException.Security -> code
        is SdmException.Runtime -> code
        is SdmException.Internal -> code
    }

/** Runs [block], which must throw the exception of [code]'s class carrying [code]. */
inline fun assertCode(code: ErrorCode, block: () -> Unit): SdmException {
    val err = assertFailsWith<SdmException> { block() }
    assertEquals(code, err.sdmCode, "code of: ${err.message}")
    val expectedClass = when (code.errorClass()) {
        ErrorClass.IO -> SdmException.Io::class
        ErrorClass.INPUT -> SdmException.Input::class
        ErrorClass.WASM -> SdmException.Wasm::class
        ErrorClass.BUNDLE -> SdmException.Bundle::class
        ErrorClass.SECURITY -> SdmException.Security::class
        ErrorClass.RUNTIME -> SdmException.Runtime::class
        ErrorClass.INTERNAL -> SdmException.Internal::class
    }
    assertEquals(expectedClass, err::class, "exception class of ${code.codeName()}")
    return err
}

/**
 * A small strict JSON reader for comparing reports with the vectors (the test classpath is
 * kotlin-stdlib, JNA and JUnit only). Objects are LinkedHashMaps, arrays Lists, numbers
 * BigDecimals without trailing zeros.
 */
class Json private constructor(private val text: String) {
    private var pos = 0

    companion object {
        fun parse(text: String): Any? {
            val json = Json(text)
            val value = json.value()
            json.ws()
            if (json.pos != text.length) throw IllegalArgumentException("trailing text at ${json.pos}")
            return value
        }

        @Suppress("UNCHECKED_CAST")
        fun obj(text: String): Map<String, Any?> = parse(text) as Map<String, Any?>
    }

    private fun ws() {
        while (pos < text.length && text[pos] in " \t\r\n") pos++
    }

    private fun expect(c: Char) {
        if (pos >= text.length || text[pos] != c) throw IllegalArgumentException("expected '$c' at $pos")
        pos++
    }

    private fun value(): Any? {
        ws()
        if (pos >= text.length) throw IllegalArgumentException("unexpected end")
        return when (val c = text[pos]) {
            '{' -> {
                pos++
                val map = LinkedHashMap<String, Any?>()
                ws()
                if (text[pos] == '}') { pos++; return map }
                while (true) {
                    ws()
                    val key = string()
                    ws(); expect(':')
                    map[key] = value()
                    ws()
                    if (text[pos] == ',') { pos++; continue }
                    expect('}')
                    return map
                }
                @Suppress("UNREACHABLE_CODE") map
            }
            '[' -> {
                pos++
                val list = ArrayList<Any?>()
                ws()
                if (text[pos] == ']') { pos++; return list }
                while (true) {
                    list.add(value())
                    ws()
                    if (text[pos] == ',') { pos++; continue }
                    expect(']')
                    return list
                }
                @Suppress("UNREACHABLE_CODE") list
            }
            '"' -> string()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c.isDigit()) number() else throw IllegalArgumentException("unexpected '$c' at $pos")
        }
    }

    private fun literal(word: String, value: Any?): Any? {
        if (!text.startsWith(word, pos)) throw IllegalArgumentException("expected $word at $pos")
        pos += word.length
        return value
    }

    private fun number(): BigDecimal {
        val start = pos
        while (pos < text.length && (text[pos].isDigit() || text[pos] in "+-.eE")) pos++
        return BigDecimal(text.substring(start, pos)).stripTrailingZeros()
    }

    private fun string(): String {
        expect('"')
        val out = StringBuilder()
        while (true) {
            val c = text[pos++]
            when {
                c == '"' -> return out.toString()
                c == '\\' -> {
                    when (val e = text[pos++]) {
                        'n' -> out.append('\n'); 't' -> out.append('\t'); 'r' -> out.append('\r')
                        'b' -> out.append('\b'); 'f' -> out.append('\u000c')
                        'u' -> { out.append(text.substring(pos, pos + 4).toInt(16).toChar()); pos += 4 }
                        else -> out.append(e)
                    }
                }
                else -> out.append(c)
            }
        }
    }
}
