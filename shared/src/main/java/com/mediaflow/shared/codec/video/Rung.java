package com.mediaflow.shared.codec.video;

/**
 * One step of the rendition ladder: the short side of the picture it targets (360 for "360p",
 * whatever the orientation) and the libx264 rate control for it: constant quality (CRF) capped by
 * a VBV maximum rate and buffer, so simple scenes stay small and busy ones stay streamable.
 *
 * @param name file stem and label, e.g. "720p"
 * @param shortSide even target size of the picture's shorter side, in pixels
 * @param crf libx264 constant rate factor, 0-51 (lower is better)
 * @param maxrateKbps VBV maximum bit rate
 * @param bufsizeKbps VBV buffer size
 */
public record Rung(String name, int shortSide, int crf, int maxrateKbps, int bufsizeKbps) {

    public Rung {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("Rung name must be 1-32 of [A-Za-z0-9_-] (it names "
                    + "a file), found " + name);
        }
        if (shortSide < 2 || shortSide % 2 != 0 || shortSide > 8192) {
            throw new IllegalArgumentException("Rung " + name + ": short side must be even, "
                    + "2..8192, found " + shortSide);
        }
        if (crf < 0 || crf > 51) {
            throw new IllegalArgumentException("Rung " + name + ": CRF must be 0..51, found " + crf);
        }
        if (maxrateKbps <= 0 || bufsizeKbps <= 0) {
            throw new IllegalArgumentException("Rung " + name + ": maxrate and bufsize must be "
                    + "positive, found " + maxrateKbps + "/" + bufsizeKbps + " kbps");
        }
    }
}
