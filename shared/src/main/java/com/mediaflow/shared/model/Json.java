package com.mediaflow.shared.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mediaflow.shared.error.MalformedEventException;
import com.mediaflow.shared.error.NewerFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one ObjectMapper: sorted map keys and no nulls, so equal documents are equal bytes. Enums are
 * written by their wire names ({@code @JsonValue}: a format's MIME type, a category's lowercase
 * name, otherwise the constant's name) and read by them only, never by position.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true)
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
     *     is newer than this code's, or when a field of an enum type holds a name this code does not
     *     know, such as a media format added by a newer version (retryable: see {@link #unknownValue})
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
        } catch (InvalidFormatException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum() && e.getValue() instanceof String name) {
                throw unknownValue(type, e, name);
            }
            throw new MalformedEventException("expected a JSON " + type.getSimpleName() + ", found: " + abbreviate(json), e);
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

    /**
     * A name an enum of this code does not have, in a document this code could otherwise read. Only
     * code writes these documents (queues and buckets take nothing from clients), so such a name
     * comes from a newer version that added it, say a media format, while this one still runs
     * beside it during a deployment. Taken like a newer {@code "v"}: retryable, so the message
     * goes back to its queue for the newer version (or waits for a rollback and then reaches its
     * dead-letter queue after its retries, FAILED and redrivable), where a permanent error would
     * mark a sound item FAILED at once.
     */
    private static NewerFormatException unknownValue(Class<?> type, InvalidFormatException e, String name) {
        List<String> known = new ArrayList<>();
        for (Object constant : e.getTargetType().getEnumConstants()) {
            known.add(MAPPER.convertValue(constant, String.class));
        }
        return new NewerFormatException("a " + type.getSimpleName() + " whose " + path(e) + " is '" + name
                + "', which this code does not know (expected one of " + String.join(", ", known)
                + "): written by a newer deployment, so it leaves the message for the newer version (or for after the rollback)",
                e);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "value" : sb.toString();
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
