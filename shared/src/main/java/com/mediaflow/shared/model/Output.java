package com.mediaflow.shared.model;

/**
 * One rendition in storage.
 *
 * @param kind from a small vocabulary: thumbnail, poster, display, video, hls (a playlist), audio, placeholder
 * @param key the object key in the media bucket
 */
public record Output(String kind, String key, String contentType, Integer width, Integer height, Long bytes) {
}
