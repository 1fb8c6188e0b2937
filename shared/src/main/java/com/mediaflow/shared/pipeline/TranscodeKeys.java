package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Keys;

/** Where the parallel path of one item keeps its work, all under {@link Keys#scratchPrefix}, deleted after the stitch. */
final class TranscodeKeys {
    private TranscodeKeys() {
    }

    static String workPrefix(String id) {
        return Keys.scratchPrefix(TranscodeStep.STEP, id);
    }

    static String plan(String id) {
        return workPrefix(id) + "plan.json";
    }

    static String segment(String id, int index) {
        return workPrefix(id) + "segments/" + String.format("%05d", index) + ".mkv";
    }

    static String audio(String id) {
        return workPrefix(id) + "audio/audio.m4a";
    }

    /** Written instead of {@link #audio} when the original has no audio stream. */
    static String noAudio(String id) {
        return workPrefix(id) + "audio/none";
    }

    static String audioAnalysis(String id) {
        return workPrefix(id) + "audio/analysis.json";
    }

    static String encodedPrefix(String id) {
        return workPrefix(id) + "encoded/";
    }

    static String encoded(String id, String target, int index) {
        return encodedPrefix(id) + target + "/" + String.format("%05d", index) + ".mp4";
    }
}
