package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.model.StepMessage;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A processing step whose renditions are files, too large to hold in memory (videos, audio), and
 * whose work is long. {@link StepRunner} runs it as it runs a {@link MediaStep} (the same result,
 * failures, codec warnings and shadow handling), and also: gives it a scratch directory holding the
 * original, keeps the message's claim while it works (a heartbeat on its lease), carries its
 * progress notices to finalize, stores the files it made, and deletes the directory.
 *
 * <p>A step may instead {@link HandedOn hand its work on} (transcode's parallel path): then the
 * runner writes no result and tells nobody; the later work does both.
 */
interface FileStep {
    /** The step's name, as in template.yaml's PIPELINE_STEPS. */
    String name();

    /**
     * @param original the original, downloaded into {@link Work#dir()}
     * @throws com.mediaflow.shared.error.CodecException when the content cannot be processed: permanent
     */
    Outcome process(StepMessage message, Path original, Work work);

    /** What the runner lends the step while it works. */
    interface Work {
        /** The scratch directory of this message, deleted after the files are stored. */
        Path dir();

        /** Tells finalize how far the step is, e.g. "encoded 40%"; a shadow copy tells nobody. */
        void progress(String line);
    }

    sealed interface Outcome permits Made, HandedOn {
    }

    /**
     * The step made these files (any of them may be none) and this metadata.
     *
     * @param renditions stored under the step's rendition keys, in this order, and listed as its outputs
     * @param unlisted stored under the step's rendition keys too, before the renditions, but not listed:
     *     files a listed one names (the init and media segments an HLS playlist names)
     */
    record Made(List<FileRendition> renditions, Map<String, Object> metadata, List<FileRendition> unlisted)
            implements Outcome {
        public Made {
            renditions = List.copyOf(renditions);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            unlisted = List.copyOf(unlisted);
        }

        Made(List<FileRendition> renditions, Map<String, Object> metadata) {
            this(renditions, metadata, List.of());
        }

        /** Nothing to make for this original. */
        static Made nothing() {
            return new Made(List.of(), Map.of());
        }
    }

    /** The step's work goes on elsewhere, which writes its result; a shadow copy may not hand on. */
    record HandedOn(String what) implements Outcome {
    }

    /**
     * One file to store as a rendition.
     *
     * @param kind the output's kind, "video", "hls" or "audio"
     * @param name its file name under the step's renditions, e.g. "720p.mp4"
     * @param width pixels, or null (audio)
     */
    record FileRendition(String kind, String name, String contentType, Path file, Integer width, Integer height) {
    }
}
