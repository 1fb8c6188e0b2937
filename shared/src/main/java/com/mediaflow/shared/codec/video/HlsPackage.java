package com.mediaflow.shared.codec.video;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link HlsPackager} wrote.
 *
 * @param master the master playlist
 * @param variants one per rendition, in the master's order
 * @param files every file written, the master playlist first, then per rendition its media playlist,
 *     init segment and media segments
 */
public record HlsPackage(Path master, List<Variant> variants, List<File> files) {

    public HlsPackage {
        variants = List.copyOf(variants);
        files = List.copyOf(files);
    }

    /**
     * One rendition as a variant stream.
     *
     * @param codecs RFC 6381 codecs, e.g. "avc1.64001e,mp4a.40.2"
     * @param frameRate average frames a second, 0 when unknown
     * @param bandwidth peak bit rate of one media segment, bits a second
     * @param averageBandwidth bit rate over all media segments
     * @param durationSeconds the sum of the segments' durations
     * @param segments the media segments' file names, in play order
     */
    public record Variant(String name, int width, int height, String codecs, double frameRate, long bandwidth,
            long averageBandwidth, double durationSeconds, List<String> segments) {
        public Variant {
            segments = List.copyOf(segments);
        }
    }

    /**
     * One file written.
     *
     * @param name its path under the output folder, with '/' separators, e.g. "720p/00001.m4s"
     * @param listed true for the playlists, which a manifest lists; the segments are reached through them
     */
    public record File(String name, Path file, String contentType, boolean listed, int width, int height) {
    }
}
