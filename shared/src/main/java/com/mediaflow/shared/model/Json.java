package com.mediaflow.shared.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.NewerFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one ObjectMapper: sorted map keys and no nulls, so equal documents are equal bytes. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws MalformedEventException when the text is not a JSON {@code type}
     * @throws NewerFormatException when {@code type} is {@link Versioned} and the document's {@code "v"}
     *     is newer than this code's (retryable)
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            if (!Versioned.class.isAssignableFrom(type)) {
                return MAPPER.readValue(json, type);
            }
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new MalformedEventException("expected a JSON " + type.getSimpleName() + ", found: " + abbreviate(json));
            }
            checkVersion(tree, type);
            return MAPPER.treeToValue(tree, type);
        } catch (IOException e) {
            throw new MalformedEventException("expected a JSON " + type.getSimpleName() + ", found: " + abbreviate(json), e);
        }
    }

    /**
     * The format check of a {@link Versioned} document already parsed: {@code "v"} absent (version
     * 1) or from {@link Versioned#PREVIOUS} to {@link Versioned#CURRENT}.
     */
    public static void checkVersion(JsonNode tree, Class<?> type) {
        JsonNode v = tree == null ? null : tree.get("v");
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.canConvertToExactIntegral() || v.asInt() < Versioned.PREVIOUS) {
            throw new MalformedEventException("expected a JSON " + type.getSimpleName() + " whose \"v\" is a format version from "
                    + Versioned.PREVIOUS + " to " + Versioned.CURRENT + ", found " + v);
        }
        if (v.asInt() > Versioned.CURRENT) {
            throw new NewerFormatException("a " + type.getSimpleName() + " of format version " + v.asInt()
                    + ", written by a newer deployment; this code reads versions " + Versioned.PREVIOUS + " to " + Versioned.CURRENT
                    + ", so it leaves the message for the newer version (or for after the rollback)");
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(new String(json, StandardCharsets.UTF_8), type);
    }

    /**
     * Writes a value and reads it back, as a stored document would be: SnapStart priming runs the
     * model types through Jackson with it.
     *
     * @throws IllegalStateException when what is read back differs from what was written
     */
    public static <T> T roundTrip(T value, Class<T> type) {
        String json = write(value);
        T back = read(json, type);
        if (!back.equals(value)) {
            throw new IllegalStateException(type.getSimpleName() + " did not survive a JSON round trip: expected "
                    + value + ", found " + back + " (JSON " + abbreviate(json) + ")");
        }
        return back;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
