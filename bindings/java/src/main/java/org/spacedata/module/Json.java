package org.spacedata.module;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON between the records of this package and the core's serde types. Reading is strict
 * (an unknown member fails), so a record that falls out of step with the core's type is caught
 * by the tests rather than silently dropping a field.
 */
final class Json {
    static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Writes options records: absent members are left out (the core applies its defaults). */
    static final ObjectMapper WRITER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    static <T> T read(String json, Class<T> type) throws SdmException {
        try {
            return READER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw SdmException.of(ErrorCode.INTERNAL, "native JSON does not map to " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    static <T> T read(String json, com.fasterxml.jackson.core.type.TypeReference<T> type) throws SdmException {
        try {
            return READER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw SdmException.of(ErrorCode.INTERNAL, "native JSON does not map: " + e.getOriginalMessage());
        }
    }

    static JsonNode tree(String json) throws SdmException {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw SdmException.of(ErrorCode.INTERNAL, "native JSON: " + e.getOriginalMessage());
        }
    }

    /** Options as JSON, or {@code null} for {@code null}. */
    static String write(Object value) throws SdmException {
        if (value == null) {
            return null;
        }
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw SdmException.invalidArgument("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage());
        }
    }
}
