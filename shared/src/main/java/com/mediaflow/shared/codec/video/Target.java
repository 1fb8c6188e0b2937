package com.mediaflow.shared.codec.video;

/**
 * One rendition to produce: its name (the file is {@code <name>.mp4}), its exact even output size
 * (upright, i.e. after rotation), and the rung whose encoder settings apply.
 */
public record Target(String name, int width, int height, Rung rung) {

    public Target {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("Target " + name + ": yuv420p needs even sizes of "
                    + "at least 2, found " + width + "x" + height);
        }
        if (rung == null) {
            throw new IllegalArgumentException("Target " + name + ": expected a rung, found null");
        }
    }
}
