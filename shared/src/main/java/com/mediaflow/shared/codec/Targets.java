package com.mediaflow.shared.codec;

import java.util.ArrayList;
import java.util.List;

/** What {@link Thumbnailer} makes of one picture: each rendition's name, box, shape and encoding. */
final class Targets {
    private Targets() {
    }

    /** How a target is cut from the upright picture. */
    enum Shape {
        /** the whole picture, longest side fitted inside the box */
        FIT,
        /** the largest centred square, scaled to the box */
        SQUARE
    }

    /** How a target is encoded. */
    enum Encoding {
        JPEG,
        /** libwebp, alpha kept */
        WEBP,
        /** JPEG whose quality steps down until it fits the budget; also gives the BlurHash */
        PLACEHOLDER
    }

    /**
     * @param quality libwebp quality for WEBP; unused otherwise (JPEGs use the instance's)
     * @param maxBytes size budget for PLACEHOLDER; unused otherwise
     * @param effort libwebp method for WEBP (0-6); unused otherwise
     */
    record Target(String kind, String name, int box, Shape shape, Encoding encoding,
            int quality, int maxBytes, int effort) {

        Target(String kind, String name, int box, Shape shape) {
            this(kind, name, box, shape, Encoding.JPEG, 0, 0, 0);
        }

        /** Size of this target for an upright picture of {@code w x h}; never upscaled. */
        int[] size(int w, int h) {
            if (shape == Shape.SQUARE) {
                int side = Math.min(box, Math.min(w, h));
                return new int[] {side, side};
            }
            return fitInside(w, h, box);
        }

        /**
         * Longest side the whole picture must have for this target to be scaled (not enlarged)
         * from it: the box for a fitted target, more for a square cropped from a long picture.
         */
        long need(int w, int h) {
            int[] size = size(w, h);
            if (shape == Shape.SQUARE) {
                return (long) Math.ceil((double) size[0] * Math.max(w, h) / Math.min(w, h));
            }
            return Math.max(size[0], size[1]);
        }
    }

    /** Size of a {@code w x h} picture scaled to fit inside a square box, never enlarged. */
    static int[] fitInside(int w, int h, int box) {
        int longest = Math.max(w, h);
        if (longest <= box) {
            return new int[] {w, h};
        }
        double s = (double) box / longest;
        int tw = w >= h ? box : Math.max(1, (int) Math.round(w * s));
        int th = h > w ? box : Math.max(1, (int) Math.round(h * s));
        return new int[] {tw, th};
    }

    /**
     * The targets a recipient sees first, made and published before the rest
     * ({@link StillRenderer}): the square thumbnail, the smallest fitted thumbnail and the
     * placeholder. Indexes into {@code targets}.
     */
    static java.util.Set<Integer> early(List<Target> targets) {
        java.util.Set<Integer> early = new java.util.HashSet<>();
        int smallestFit = -1;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            if (t.encoding() == Encoding.PLACEHOLDER
                    || Rendition.THUMBNAIL.equals(t.kind()) && t.shape() == Shape.SQUARE) {
                early.add(i);
            } else if (Rendition.THUMBNAIL.equals(t.kind()) && t.shape() == Shape.FIT
                    && (smallestFit < 0 || t.box() < targets.get(smallestFit).box())) {
                smallestFit = i;
            }
        }
        if (smallestFit >= 0) {
            early.add(smallestFit);
        }
        return early;
    }

    /** Longest side of picture the targets need at most (for the decoder's lowres). */
    static int largestNeed(List<Target> targets, int w, int h) {
        long need = 0;
        for (Target t : targets) {
            need = Math.max(need, w > 0 && h > 0 ? t.need(w, h) : t.box());
        }
        return (int) Math.min(Integer.MAX_VALUE, need);
    }

    /** The plan's targets in rendition order, after the poster when there is one. */
    static List<Target> of(Integer posterSide, RenditionPlan plan) {
        List<Target> targets = new ArrayList<>();
        if (posterSide != null) {
            targets.add(new Target(Rendition.POSTER, "poster.jpg", posterSide, Shape.FIT));
        }
        if (plan.squareSize() > 0) {
            targets.add(new Target(Rendition.THUMBNAIL, "thumb-square-" + plan.squareSize()
                    + ".jpg", plan.squareSize(), Shape.SQUARE));
        }
        for (int box : plan.thumbnailBoxes()) {
            targets.add(new Target(Rendition.THUMBNAIL, "thumb-" + box + ".jpg", box, Shape.FIT));
        }
        if (plan.displayMaxSide() > 0) {
            targets.add(new Target(Rendition.DISPLAY, "display.jpg", plan.displayMaxSide(),
                    Shape.FIT));
            targets.add(new Target(Rendition.DISPLAY, "display.webp", plan.displayMaxSide(),
                    Shape.FIT, Encoding.WEBP, plan.webpQuality(), 0, plan.webpEffort()));
        }
        if (plan.placeholderMaxBytes() > 0) {
            targets.add(new Target(Rendition.PLACEHOLDER, "placeholder.jpg", Thumbnailer.PLACEHOLDER_SIDE,
                    Shape.FIT, Encoding.PLACEHOLDER, 0, plan.placeholderMaxBytes(), 0));
        }
        return targets;
    }
}
