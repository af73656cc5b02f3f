package org.spacedata.module;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a WASI program run ({@link Module#run}) is given besides stdin (core
 * {@code api::program::Program}): {@code argv[1..]} ({@code argv[0]} is always
 * {@code "module"}), the environment (nothing is inherited; passed in key order) and preopened
 * host directories. Immutable; {@code with*} return a new program. Strings WASI cannot carry (a
 * NUL, an {@code =} in a name, an empty name or guest path) are refused when the program runs
 * ({@code invalid-argument}).
 */
public record Program(List<String> args, Map<String, String> env, List<Preopen> preopens) {
    /** A host directory the program sees at {@code guestPath}; read-only unless said otherwise. */
    public record Preopen(String hostPath, String guestPath, boolean readOnly) {
        public static Preopen readOnly(Path hostPath, String guestPath) {
            return new Preopen(hostPath.toString(), guestPath, true);
        }

        public static Preopen readWrite(Path hostPath, String guestPath) {
            return new Preopen(hostPath.toString(), guestPath, false);
        }
    }

    public Program {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
        preopens = preopens == null ? List.of() : List.copyOf(preopens);
    }

    /** No arguments, no environment, no directories. */
    public static Program empty() {
        return new Program(List.of(), Map.of(), List.of());
    }

    /** This program with these arguments (replacing any). */
    public Program withArgs(String... values) {
        return new Program(List.of(values), env, preopens);
    }

    /** This program with one more environment entry. */
    public Program withEnv(String key, String value) {
        Map<String, String> more = new TreeMap<>(env);
        more.put(key, value);
        return new Program(args, more, preopens);
    }

    /** This program with one more preopened directory. */
    public Program withPreopen(Preopen preopen) {
        List<Preopen> more = new ArrayList<>(preopens);
        more.add(preopen);
        return new Program(args, env, more);
    }
}
