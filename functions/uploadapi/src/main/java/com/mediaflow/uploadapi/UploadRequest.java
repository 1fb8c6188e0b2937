package com.mediaflow.uploadapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.model.Json;
import com.mediaflow.shared.error.ReasonCode;
import java.util.Locale;
import java.util.Optional;

/**
 * The body of {@code POST /uploads}: {@code {"filename", "contentType", "size"}}, checked before
 * anything is signed. A type validation would not accept ({@link MediaFormat#accepted()}) is
 * {@link ReasonCode#UNSUPPORTED_TYPE}; a file name whose extension names another accepted format is
 * {@link ReasonCode#TYPE_MISMATCH} (validate would quarantine it); no bytes is {@link ReasonCode#EMPTY};
 * more than {@code MAX_UPLOAD_BYTES} is {@link ReasonCode#SIZE_LIMIT}.
 *
 * @param contentType as declared, trimmed: the policy pins exactly this
 * @param fileName the declared name made safe for a key ({@link #safeFileName})
 */
record UploadRequest(String fileName, String contentType, MediaFormat format, long size) {
    static final int MAX_FILE_NAME = 255;
    private static final int MAX_KEY_NAME = 100;

    static UploadRequest parse(String body, long maxBytes) {
        JsonNode tree;
        try {
            tree = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "the body is not JSON (" + e.getOriginalMessage()
                    + "), expected {\"filename\", \"contentType\", \"size\"}");
        }
        if (tree == null || !tree.isObject()) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "the body is " + (tree == null ? "empty" : "a JSON " + tree.getNodeType())
                    + ", expected a JSON object {\"filename\", \"contentType\", \"size\"}");
        }
        String filename = text(tree, "filename");
        if (filename.length() > MAX_FILE_NAME) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "filename has " + filename.length() + " characters, expected at most "
                    + MAX_FILE_NAME);
        }
        String contentType = text(tree, "contentType");
        JsonNode sizeNode = tree.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong()) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "size is " + (sizeNode == null ? "missing" : sizeNode.toString())
                    + ", expected the file's length in bytes, a whole number");
        }
        long size = sizeNode.asLong();

        Optional<MediaFormat> format = MediaFormat.byMimeType(contentType);
        if (format.isEmpty() || !format.get().accepted()) {
            throw new ApiError(400, ReasonCode.UNSUPPORTED_TYPE.name(), "contentType is '" + contentType + "'"
                    + format.map(f -> " (" + f.name() + ")").orElse("") + ", expected a type Mediaflow processes: "
                    + accepted());
        }
        Optional<MediaFormat> byName = MediaFormat.byFileName(filename);
        if (byName.isPresent() && byName.get() != format.get()) {
            throw new ApiError(400, ReasonCode.TYPE_MISMATCH.name(), "filename '" + filename + "' names a " + byName.get().name()
                    + " file, but contentType is " + contentType + " (" + format.get().name() + "): expected an extension of "
                    + format.get().name() + " " + format.get().extensions() + " or none");
        }
        if (size <= 0) {
            throw new ApiError(400, ReasonCode.EMPTY.name(), "size is " + size + ", expected at least 1 byte");
        }
        if (size > maxBytes) {
            throw new ApiError(400, ReasonCode.SIZE_LIMIT.name(), "size is " + size + " bytes, expected at most " + maxBytes
                    + " (MAX_UPLOAD_BYTES)");
        }
        return new UploadRequest(safeFileName(filename, format.get()), contentType, format.get(), size);
    }

    private static String text(JsonNode tree, String field) {
        JsonNode n = tree.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new ApiError(400, ApiError.BAD_REQUEST, field + " is " + (n == null ? "missing" : n.toString())
                    + ", expected a non-empty string");
        }
        return n.asText().trim();
    }

    /** Every MIME type validation accepts, for the message. */
    static String accepted() {
        StringBuilder out = new StringBuilder();
        for (MediaFormat f : MediaFormat.values()) {
            if (f.accepted()) {
                out.append(out.length() == 0 ? "" : ", ").append(f.mimeType());
            }
        }
        return out.toString();
    }

    /**
     * The last path segment of the declared name, with every character outside {@code [A-Za-z0-9._-]}
     * replaced by {@code _}, no leading dot, at most 100 characters (the extension kept); a name left
     * empty becomes {@code upload.<default extension>}. Never a path: no {@code /}, no {@code ..}.
     */
    static String safeFileName(String declared, MediaFormat format) {
        String base = declared.substring(Math.max(declared.lastIndexOf('/'), declared.lastIndexOf('\\')) + 1);
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.{2,}", ".").replaceAll("^[._]+", "");
        if (safe.length() > MAX_KEY_NAME) {
            int dot = safe.lastIndexOf('.');
            String ext = dot > 0 && safe.length() - dot <= 10 ? safe.substring(dot) : "";
            safe = safe.substring(0, MAX_KEY_NAME - ext.length()) + ext;
        }
        return safe.isEmpty() || safe.matches("[._-]*") ? "upload." + format.defaultExtension().toLowerCase(Locale.ROOT) : safe;
    }
}
