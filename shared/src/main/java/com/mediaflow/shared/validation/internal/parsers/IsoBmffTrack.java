package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.validation.io.Cursor;

/** What one track of an ISO BMFF movie declares, filled in by {@link IsoBmffMovie} and {@link IsoBmffSampleTables}. */
final class IsoBmffTrack {
    final int number;
    final long at;
    long id = -1;
    String handler;
    long tkhdWidth;
    long tkhdHeight;
    long timescale;
    long duration;
    long fragmentDuration;
    long fragmentSamples;
    boolean stbl;
    long stsdCount = -1;
    long entryWidth;
    long entryHeight;
    Cursor sizes;
    int sizeField;
    long constantSize;
    long sampleCount;
    Cursor chunks;
    boolean chunk64;
    long chunkCount;
    Cursor stsc;
    long stscCount;
    long sttsSamples = -1;
    /** Sum of the sample durations in 'stts', in the track's timescale. */
    long sttsTicks;
    Cursor stss;
    long stssCount;

    IsoBmffTrack(int number, long at) {
        this.number = number;
        this.at = at;
    }
}
