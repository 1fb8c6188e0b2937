package com.mediaflow.uploadapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.mediaflow.shared.model.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code POST /uploads/{id}/complete}: {@code {"parts": [{"partNumber", "etag"}, ...]}},
 * each part as the client PUT it (the number in its URL, the {@code ETag} header S3 answered), each
 * number once, 1 to {@value MultipartUploads#MAX_PARTS}.
 */
final class CompleteRequest {
    private static final String EXPECTED = "expected {\"parts\": [{\"partNumber\": 1, \"etag\": \"...\"}, ...]}";

    private CompleteRequest() {
    }

    /** Part number to ETag, in order. */
    static Map<Integer, String> parse(String body) {
        JsonNode tree;
        try {
            tree = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "the body is not JSON (" + e.getOriginalMessage() + "), " + EXPECTED);
        }
        JsonNode parts = tree == null ? null : tree.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "parts is " + (parts == null ? "missing" : parts.toString()) + ", "
                    + EXPECTED);
        }
        if (parts.size() > MultipartUploads.MAX_PARTS) {
            throw new ApiError(400, ApiError.BAD_REQUEST, "parts names " + parts.size() + " parts, expected at most "
                    + MultipartUploads.MAX_PARTS);
        }
        Map<Integer, String> out = new TreeMap<>();
        for (JsonNode p : parts) {
            JsonNode number = p.get("partNumber");
            JsonNode etag = p.get("etag");
            if (number == null || !number.isInt() || number.asInt() < 1 || number.asInt() > MultipartUploads.MAX_PARTS
                    || etag == null || !etag.isTextual() || etag.asText().isBlank()) {
                throw new ApiError(400, ApiError.BAD_REQUEST, "part " + p + " is not {\"partNumber\": 1-" + MultipartUploads.MAX_PARTS
                        + ", \"etag\": \"<the ETag its PUT answered>\"}");
            }
            if (out.put(number.asInt(), etag.asText().trim()) != null) {
                throw new ApiError(400, ApiError.BAD_REQUEST, "part " + number.asInt() + " is named twice, expected each part once");
            }
        }
        return out;
    }
}
