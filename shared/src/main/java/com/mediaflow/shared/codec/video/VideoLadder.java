package com.mediaflow.shared.codec.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the renditions of a video from its displayed (upright) size. The short side picks the
 * rung, so portrait and landscape sources get the same ladder; the aspect ratio is kept and both
 * sides are even (yuv420p). Nothing is upscaled: rungs larger than the source are skipped, and a
 * source smaller than the smallest rung gets a single rendition at its own size (rounded down to
 * even), encoded with the smallest rung's settings and named after its short side ("240p").
 */
public final class VideoLadder {

    private VideoLadder() {
    }

    /**
     * @param displayWidth width as shown (after rotation and pixel aspect ratio)
     * @param displayHeight height as shown
     * @param rungs the ladder, any order
     * @return targets from the smallest to the largest
     */
    public static List<Target> plan(int displayWidth, int displayHeight, List<Rung> rungs) {
        if (displayWidth < 2 || displayHeight < 2) {
            throw new IllegalArgumentException("Expected a picture of at least 2x2, found "
                    + displayWidth + "x" + displayHeight);
        }
        if (rungs == null || rungs.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one rung, found " + rungs);
        }
        List<Rung> sorted = rungs.stream().sorted(Comparator.comparingInt(Rung::shortSide))
                .toList();
        boolean portrait = displayHeight > displayWidth;
        int shortSide = Math.min(displayWidth, displayHeight);
        int longSide = Math.max(displayWidth, displayHeight);
        List<Target> targets = new ArrayList<>();
        for (Rung rung : sorted) {
            if (rung.shortSide() > shortSide) {
                break;
            }
            int s = rung.shortSide();
            int l = even((double) longSide * s / shortSide);
            targets.add(portrait ? new Target(rung.name(), s, l, rung)
                    : new Target(rung.name(), l, s, rung));
        }
        if (targets.isEmpty()) {
            int w = Math.max(2, displayWidth & ~1);
            int h = Math.max(2, displayHeight & ~1);
            targets.add(new Target(Math.min(w, h) + "p", w, h, sorted.get(0)));
        }
        return List.copyOf(targets);
    }

    /** The even integer nearest to {@code v}, at least 2. */
    private static int even(double v) {
        return (int) Math.max(2, 2 * Math.round(v / 2));
    }
}
