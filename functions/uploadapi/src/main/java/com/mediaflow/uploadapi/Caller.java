package com.mediaflow.uploadapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who calls: the {@code sub} claim that the HTTP API's JWT authorizer verified and put in the
 * request context ({@code requestContext.authorizer.jwt.claims.sub}). The embedded stack builds the
 * same context with {@code sub} {@code local}. No claim means no authorizer ran: 401.
 *
 * @param id the claim as the authorizer gave it
 * @param segment the claim as one key segment: itself when it is 1 to 128 of {@code [A-Za-z0-9_-]},
 *     else {@code ~} and the first 40 hex digits of its SHA-256 ({@code ~} is never in a plain claim,
 *     so two callers never share a segment)
 */
record Caller(String id, String segment) {
    static Caller of(APIGatewayV2HTTPEvent event) {
        var context = event == null ? null : event.getRequestContext();
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        Map<String, String> claims = jwt == null ? null : jwt.getClaims();
        String sub = claims == null ? null : claims.get("sub");
        if (sub == null || sub.isBlank()) {
            throw new ApiError(401, ApiError.UNAUTHORIZED, "the request carries no JWT sub claim"
                    + " (requestContext.authorizer.jwt.claims.sub), expected the HTTP API's JWT authorizer to set it");
        }
        return new Caller(sub, segment(sub));
    }

    static String segment(String sub) {
        if (sub.matches("[A-Za-z0-9_-]{1,128}")) {
            return sub;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sub.getBytes(StandardCharsets.UTF_8));
            return "~" + HexFormat.of().formatHex(hash).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256, which every JVM has, is unavailable", e);
        }
    }
}
