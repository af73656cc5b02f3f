import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.spacedata.module.Call;
import org.spacedata.module.HostPolicy;
import org.spacedata.module.InvokeMode;
import org.spacedata.module.InvokeResult;
import org.spacedata.module.Limits;
import org.spacedata.module.Module;
import org.spacedata.module.OpenOptions;
import org.spacedata.module.Opened;
import org.spacedata.module.Program;
import org.spacedata.module.ProgramResult;
import org.spacedata.module.Publication;
import org.spacedata.module.RecipientKey;
import org.spacedata.module.Runtime;
import org.spacedata.module.SdmException;
import org.spacedata.module.TypeRef;
import org.spacedata.module.VerifiedModule;

/**
 * The Java lane of the runtime matrix (runtime-matrix/README.md, issue 16): every case of
 * CASES_DIR through the Java binding's public API (org.spacedata.module), one result JSON per
 * case in OUT_DIR. cwd is the artifacts directory.
 *
 * <p>A case that fails (refused, trapped, timed out) is a result with an {@code error} member; a
 * case file this runner cannot follow (bad JSON, unknown member) is a runner error: reported on
 * stderr, the other cases still run, and the exit status is 1.
 */
public final class MatrixRunner {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Sorted keys, 2-space indent, {@code "key": value} (the contract's result format). */
    private static final ObjectWriter RESULT_WRITER = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private static final Set<String> CASE = Set.of("description", "artifact", "open", "limits", "hostPolicy", "invoke", "program");
    private static final Set<String> OPEN = Set.of("allowUnsigned", "trust", "decryptWith", "wasmSigners");
    private static final Set<String> LIMITS = Set.of("timeoutMs", "fuel", "maxMemoryMb");
    private static final Set<String> INVOKE = Set.of("mode", "method", "inputs");
    private static final Set<String> INPUT = Set.of("port", "base64");
    private static final Set<String> PROGRAM = Set.of("stdinBase64", "args", "env", "preopens");
    private static final Set<String> PREOPEN = Set.of("hostPath", "guestPath", "readOnly");

    /** The case file itself is wrong: a runner error, not a result. */
    static final class CaseError extends Exception {
        private static final long serialVersionUID = 1L;

        CaseError(String message) {
            super(message);
        }
    }

    private MatrixRunner() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MatrixRunner CASES_DIR OUT_DIR");
            System.exit(2);
        }
        Path casesDir = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        Files.createDirectories(outDir);
        List<Path> cases;
        try (Stream<Path> files = Files.list(casesDir)) {
            cases = files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        int broken = 0;
        for (Path path : cases) {
            String name = path.getFileName().toString();
            String stem = name.substring(0, name.length() - ".json".length());
            try {
                JsonNode caseJson = checkCase(MAPPER.readTree(Files.readAllBytes(path)));
                Map<String, Object> result = runCase(stem, caseJson);
                Files.writeString(outDir.resolve(stem + ".json"), RESULT_WRITER.writeValueAsString(result) + "\n", StandardCharsets.UTF_8);
            } catch (CaseError | IOException | IllegalArgumentException e) {
                System.err.println("java runner: " + name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                broken++;
            }
        }
        System.exit(broken == 0 ? 0 : 1);
    }

    // ---- the case file ----------------------------------------------------------------------

    private static JsonNode members(JsonNode value, Set<String> allowed, String where, String... required) throws CaseError {
        if (value == null || !value.isObject()) {
            throw new CaseError(where + " must be an object");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
            String member = names.next();
            if (!allowed.contains(member)) {
                throw new CaseError(where + ": unknown member " + member);
            }
        }
        for (String member : required) {
            if (!value.has(member)) {
                throw new CaseError(where + ": missing member " + member);
            }
        }
        return value;
    }

    private static JsonNode optionalObject(JsonNode parent, String member) {
        JsonNode value = parent.get(member);
        return value == null ? MAPPER.createObjectNode() : value;
    }

    static JsonNode checkCase(JsonNode caseJson) throws CaseError {
        members(caseJson, CASE, "case", "artifact");
        members(optionalObject(caseJson, "open"), OPEN, "open");
        members(optionalObject(caseJson, "limits"), LIMITS, "limits");
        if (caseJson.has("invoke") == caseJson.has("program")) {
            throw new CaseError("case must have exactly one of invoke / program");
        }
        if (caseJson.has("invoke")) {
            JsonNode invoke = members(caseJson.get("invoke"), INVOKE, "invoke", "mode", "method");
            int index = 0;
            for (JsonNode frame : invoke.path("inputs")) {
                members(frame, INPUT, "invoke.inputs[" + index++ + "]", "port", "base64");
            }
        } else {
            JsonNode program = members(caseJson.get("program"), PROGRAM, "program");
            int index = 0;
            for (JsonNode preopen : program.path("preopens")) {
                members(preopen, PREOPEN, "program.preopens[" + index++ + "]", "hostPath", "guestPath");
            }
        }
        return caseJson;
    }

    private static String text(JsonNode value, String where) throws CaseError {
        if (value == null || !value.isTextual()) {
            throw new CaseError(where + " must be a string");
        }
        return value.asText();
    }

    private static byte[] base64(JsonNode value, String where) throws CaseError {
        if (value == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text(value, where));
        } catch (IllegalArgumentException e) {
            throw new CaseError(where + " is not base64: " + e.getMessage());
        }
    }

    /** The case's limits; absent members keep the defaults, 0 is unlimited (as in the CLI). */
    private static Limits limits(JsonNode limits) {
        Limits out = Limits.defaults();
        if (limits.has("fuel")) {
            long fuel = limits.get("fuel").asLong();
            out = out.withFuel(fuel == 0 ? null : fuel);
        }
        if (limits.has("timeoutMs")) {
            long ms = limits.get("timeoutMs").asLong();
            out = out.withTimeoutMs(ms == 0 ? null : ms);
        }
        if (limits.has("maxMemoryMb")) {
            out = out.withMaxMemoryBytes(limits.get("maxMemoryMb").asLong() << 20);
        }
        return out;
    }

    private static Program program(JsonNode json) throws CaseError {
        List<String> args = new ArrayList<>();
        for (JsonNode arg : json.path("args")) {
            args.add(text(arg, "program.args[]"));
        }
        Map<String, String> env = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : json.path("env").properties()) {
            env.put(entry.getKey(), text(entry.getValue(), "program.env." + entry.getKey()));
        }
        List<Program.Preopen> preopens = new ArrayList<>();
        for (JsonNode preopen : json.path("preopens")) {
            preopens.add(new Program.Preopen(text(preopen.get("hostPath"), "hostPath"), text(preopen.get("guestPath"), "guestPath"),
                    !preopen.has("readOnly") || preopen.get("readOnly").asBoolean()));
        }
        return new Program(args, env, preopens);
    }

    // ---- running a case ---------------------------------------------------------------------

    static Map<String, Object> runCase(String stem, JsonNode caseJson) throws CaseError, IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("case", stem);
        result.put("error", null);
        result.put("invoke", null);
        result.put("program", null);
        JsonNode open = optionalObject(caseJson, "open");
        List<String> trust = new ArrayList<>();
        for (JsonNode key : open.path("trust")) {
            trust.add(text(key, "open.trust[]"));
        }
        List<String> wasmSigners = new ArrayList<>();
        for (JsonNode key : open.path("wasmSigners")) {
            wasmSigners.add(text(key, "open.wasmSigners[]"));
        }
        byte[] artifact = Files.readAllBytes(Path.of(text(caseJson.get("artifact"), "artifact")));
        String policyJson = caseJson.has("hostPolicy") ? MAPPER.writeValueAsString(caseJson.get("hostPolicy")) : null;
        String stage = "open";
        RecipientKey key = null;
        try {
            if (open.hasNonNull("decryptWith")) {
                key = RecipientKey.readFile(Path.of(text(open.get("decryptWith"), "open.decryptWith")));
            }
            OpenOptions options = new OpenOptions(trust, key, open.path("allowUnsigned").asBoolean(false), wasmSigners);
            try (Opened opened = Publication.open(artifact, options)) {
                VerifiedModule verified = opened.orThrow();
                stage = "load";
                try (Runtime runtime = Runtime.create(); Module module = runtime.load(verified)) {
                    HostPolicy policy = policyJson == null ? null : HostPolicy.fromJson(policyJson);
                    Limits limits = limits(optionalObject(caseJson, "limits"));
                    if (caseJson.has("invoke")) {
                        stage = "invoke";
                        result.put("invoke", invoke(module, caseJson.get("invoke"), limits, policy));
                    } else {
                        stage = "program";
                        JsonNode json = caseJson.get("program");
                        ProgramResult ran = module.run(program(json), base64(json.get("stdinBase64"), "program.stdinBase64"), policy, limits);
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("exitCode", ran.exitCode());
                        out.put("stdoutBase64", Base64.getEncoder().encodeToString(ran.stdout()));
                        out.put("stderrBase64", Base64.getEncoder().encodeToString(ran.stderr()));
                        result.put("program", out);
                    }
                }
            }
        } catch (SdmException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("stage", stage);
            error.put("code", e.code());
            error.put("number", e.number());
            result.put("error", error);
        } finally {
            if (key != null) {
                key.close();
            }
        }
        return result;
    }

    private static Map<String, Object> invoke(Module module, JsonNode json, Limits limits, HostPolicy policy)
            throws CaseError, SdmException {
        Call call = Call.of(text(json.get("method"), "invoke.method"))
                .withMode(InvokeMode.fromStableName(text(json.get("mode"), "invoke.mode")))
                .withLimits(limits)
                .withHostPolicy(policy);
        int index = 0;
        for (JsonNode frame : json.path("inputs")) {
            call = call.withInput(text(frame.get("port"), "port"), base64(frame.get("base64"), "invoke.inputs[" + index++ + "].base64"));
        }
        InvokeResult response = module.invoke(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", response.mode());
        out.put("statusCode", response.statusCode());
        out.put("yielded", response.yielded());
        out.put("backlogRemaining", response.backlogRemaining());
        out.put("errorCode", response.errorCode());
        out.put("errorMessage", response.errorMessage());
        List<Object> outputs = new ArrayList<>();
        for (InvokeResult.OutputFrame frame : response.outputs()) {
            outputs.add(frameJson(frame));
        }
        out.put("outputs", outputs);
        return out;
    }

    private static Map<String, Object> frameJson(InvokeResult.OutputFrame frame) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("portId", frame.portId());
        out.put("typeRef", typeRefJson(frame.typeRef()));
        out.put("alignment", frame.alignment());
        out.put("offset", frame.offset());
        out.put("size", frame.size());
        out.put("ownership", frame.ownership());
        out.put("generation", frame.generation());
        out.put("mutability", frame.mutability());
        out.put("traceId", frame.traceId());
        out.put("streamId", frame.streamId());
        out.put("sequence", frame.sequence());
        out.put("endOfStream", frame.endOfStream());
        out.put("payloadBase64", frame.payloadBase64());
        return out;
    }

    private static Map<String, Object> typeRefJson(TypeRef type) {
        if (type == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schemaName", type.schemaName());
        out.put("fileIdentifier", type.fileIdentifier());
        List<Integer> hash = new ArrayList<>();
        for (byte b : type.schemaHash()) {
            hash.add(b & 0xff);
        }
        out.put("schemaHash", hash);
        out.put("acceptsAnyFlatbuffer", type.acceptsAnyFlatbuffer());
        out.put("wireFormat", type.wireFormat().stableName());
        out.put("rootTypeName", type.rootTypeName());
        out.put("fixedStringLength", type.fixedStringLength());
        out.put("byteLength", type.byteLength());
        out.put("requiredAlignment", type.requiredAlignment());
        return out;
    }
}
