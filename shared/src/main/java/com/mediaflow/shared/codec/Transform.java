package com.mediaflow.shared.codec;

/** A pixel transform as FFmpeg filters (null = identity) and whether it swaps the axes. */
record Transform(String filter, boolean swapsAxes) {

    static final Transform NONE = new Transform(null, false);

    static Transform ofExif(int orientation) {
        return switch (orientation) {
            case 2 -> new Transform("hflip", false);                // mirrored horizontally
            case 3 -> new Transform("hflip,vflip", false);          // rotated 180
            case 4 -> new Transform("vflip", false);                // mirrored vertically
            case 5 -> new Transform("transpose=cclock_flip", true); // 0: matrix transpose
            case 6 -> new Transform("transpose=clock", true);       // 1: rotate 90 CW
            case 7 -> new Transform("transpose=clock_flip", true);  // 3: anti-transpose
            case 8 -> new Transform("transpose=cclock", true);      // 2: rotate 90 CCW
            default -> NONE;
        };
    }

    static Transform ofRotation(int clockwiseDegrees) {
        return switch (clockwiseDegrees) {
            case 90 -> new Transform("transpose=clock", true);
            case 180 -> new Transform("hflip,vflip", false);
            case 270 -> new Transform("transpose=cclock", true);
            default -> NONE;
        };
    }
}
