package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.codec.video.HlsPackage;
import com.mediaflow.shared.codec.video.HlsPackager;
import com.mediaflow.shared.codec.video.VideoOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HLS package of a video's final MP4 renditions, for both paths of the transcode step (one pass in
 * {@link TranscodeStep}, the stitch of {@link ParallelTranscode}): packaged by {@link HlsPackager}
 * (packet copy, nothing re-encoded) and stored under the step's renditions in {@code hls/}. The
 * manifest lists the playlists, kind {@value #KIND}; the init and media segments they name are stored
 * but not listed.
 */
final class TranscodeHls {
    static final String KIND = "hls";
    /** The folder under the step's renditions: {@code media/<id>/transcode/hls/master.m3u8}. */
    static final String FOLDER = "hls/";

    private TranscodeHls() {
    }

    /**
     * @param listed the playlists, the master first
     * @param unlisted the init and media segments
     */
    record Files(List<FileStep.FileRendition> listed, List<FileStep.FileRendition> unlisted) {
    }

    /** Packages {@code renditions} (smallest first) into {@code dir}. */
    static Files pack(List<VideoOutput> renditions, Path dir) {
        HlsPackage p = HlsPackager.pack(renditions, dir);
        List<FileStep.FileRendition> listed = new ArrayList<>();
        List<FileStep.FileRendition> unlisted = new ArrayList<>();
        for (HlsPackage.File f : p.files()) {
            FileStep.FileRendition r = new FileStep.FileRendition(KIND, FOLDER + f.name(), f.contentType(), f.file(),
                    f.width(), f.height());
            (f.listed() ? listed : unlisted).add(r);
        }
        return new Files(listed, unlisted);
    }
}
