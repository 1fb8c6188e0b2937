package com.mediaflow.shared.format;

import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of media an item is; decides which pipeline steps apply to it. */
public enum MediaCategory {
    IMAGE,
    VIDEO,
    AUDIO,
    DOCUMENT,
    /** Not media we accept: executables, archives, markup, unknown bytes. */
    OTHER;

    /** Its lowercase name: in PIPELINE_STEPS, and in JSON documents (a manifest's or a step message's {@code category}). */
    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static MediaCategory fromId(String id) {
        for (MediaCategory c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown media category '" + id + "', expected one of image, video, audio, document");
    }

    /**
     * How a client would open something of this category. Video and audio share a player, so an
     * MP4 holding only audio that was named .mp4 does not change how it is opened.
     */
    public String clientClass() {
        return switch (this) {
            case VIDEO, AUDIO -> "av";
            default -> id();
        };
    }
}
