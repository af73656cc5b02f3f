package org.spacedata.module;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy behind a guest's {@code sdn_host} imports (docs/host.md): deny by default. A module
 * is granted at most what its verified manifest declares and this policy grants. Immutable; its
 * JSON form is checked by the core when the policy is made ({@code invalid-json},
 * {@code invalid-argument} for an unknown member: a typo never grants silently).
 */
public final class HostPolicy {
    private final String json;

    private HostPolicy(String json) {
        this.json = json;
    }

    /** A policy from its JSON form, e.g. {@code {"grant":["clock"],"filesystemRoot":"/srv/data"}}. */
    public static HostPolicy fromJson(String json) throws SdmException {
        NativeLib.hostPolicyCheck(json);
        return new HostPolicy(json);
    }

    /** The empty policy: every capability denied ({@code host.*} still answers). */
    public static HostPolicy denyAll() {
        return new HostPolicy("{}");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JSON form. */
    public String toJson() {
        return json;
    }

    @Override
    public String toString() {
        return "HostPolicy" + json;
    }

    /** Builds the common members; anything else: {@link HostPolicy#fromJson}. */
    public static final class Builder {
        private final List<String> grants = new ArrayList<>();
        private final List<String> commands = new ArrayList<>();
        private Path filesystemRoot;

        private Builder() {}

        /** Grants a capability id ({@code "clock"}, {@code "filesystem"}, ...). */
        public Builder grant(String... capabilities) {
            grants.addAll(List.of(capabilities));
            return this;
        }

        /** The directory {@code filesystem.*} operations are confined to. */
        public Builder filesystemRoot(Path root) {
            this.filesystemRoot = root;
            return this;
        }

        /** A command {@code process_exec} may run. */
        public Builder allowCommand(String command) {
            commands.add(command);
            return this;
        }

        public HostPolicy build() throws SdmException {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("grant", grants);
            if (filesystemRoot != null) {
                members.put("filesystemRoot", filesystemRoot.toString());
            }
            if (!commands.isEmpty()) {
                members.put("exec", Map.of("allowedCommands", commands));
            }
            return fromJson(Json.write(members));
        }
    }
}
