package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.codec.PerceptualHash;
import com.mediaflow.shared.model.Output;
import com.mediaflow.shared.model.StepResult;
import com.mediaflow.shared.validation.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where a shadow copy's result differs from the real one, for one item and step: the record stored as
 * {@code shadow/<id>/<step>/compare.json}. Pure: {@link #of} compares two stored {@link StepResult}s.
 *
 * @param differences empty when the shadow result is the same in every way compared
 * @param perceptualHashDistance bits between the two results' {@code perceptualHash}; null when either has none
 */
public record ShadowComparison(String mediaId, String step, boolean differs, List<Difference> differences,
                               Integer perceptualHashDistance) {
    /**
     * Most bits two perceptual hashes of the same picture may differ by: {@link PerceptualHash} puts
     * near duplicates at 10 or below and unrelated pictures near 32.
     */
    public static final int PERCEPTUAL_HASH_THRESHOLD = 10;
    /** Media durations (metadata {@code durationSeconds}) this close are the same: a container's rounding. */
    public static final double DURATION_TOLERANCE_SECONDS = 0.05;

    /** Metadata keys compared on their own terms, not as plain values. */
    private static final List<String> SPECIAL_METADATA = List.of("perceptualHash", "durationSeconds");

    /**
     * One named difference.
     *
     * @param code what kind: {@code OUTPUT_MISSING}, {@code OUTPUT_EXTRA}, {@code DIMENSIONS}, {@code CONTENT_TYPE},
     *     {@code DURATION}, {@code PERCEPTUAL_HASH}, {@code REASON_CODES}, {@code METADATA}, {@code MAIN_MISSING}
     * @param what the rendition or metadata key it is about, or the step
     */
    public record Difference(String code, String what, Object main, Object shadow) {
    }

    public ShadowComparison {
        differences = List.copyOf(differences);
    }

    /** The shadow copy ran, the real step never stored a result and never will (its item is final without it). */
    public static ShadowComparison mainMissing(String mediaId, String step, StepResult shadow) {
        return new ShadowComparison(mediaId, step, true,
                List.of(new Difference("MAIN_MISSING", step, null, shadow.failed() ? "failed" : "done")), null);
    }

    public static ShadowComparison of(StepResult main, StepResult shadow) {
        List<Difference> out = new ArrayList<>();
        outputs(main, shadow, out);
        Integer distance = perceptualHash(main.metadata().get("perceptualHash"), shadow.metadata().get("perceptualHash"), out);
        duration(main.metadata().get("durationSeconds"), shadow.metadata().get("durationSeconds"), out);
        TreeSet<String> keys = new TreeSet<>(main.metadata().keySet());
        keys.addAll(shadow.metadata().keySet());
        for (String key : keys) {
            Object m = main.metadata().get(key);
            Object s = shadow.metadata().get(key);
            if (!SPECIAL_METADATA.contains(key) && !Objects.equals(m, s)) {
                out.add(new Difference("METADATA", key, m, s));
            }
        }
        List<String> mainCodes = codes(main.reasons());
        List<String> shadowCodes = codes(shadow.reasons());
        if (!mainCodes.equals(shadowCodes)) {
            out.add(new Difference("REASON_CODES", main.step(), mainCodes, shadowCodes));
        }
        return new ShadowComparison(main.mediaId(), main.step(), !out.isEmpty(), out, distance);
    }

    /** Renditions by name (the last part of the key: media/id/step/NAME and shadow/id/step/NAME). */
    private static void outputs(StepResult main, StepResult shadow, List<Difference> out) {
        Map<String, Output> m = byName(main.outputs());
        Map<String, Output> s = byName(shadow.outputs());
        for (var e : m.entrySet()) {
            Output o = s.get(e.getKey());
            Output mo = e.getValue();
            if (o == null) {
                out.add(new Difference("OUTPUT_MISSING", e.getKey(), mo.key(), null));
                continue;
            }
            if (!Objects.equals(mo.width(), o.width()) || !Objects.equals(mo.height(), o.height())) {
                out.add(new Difference("DIMENSIONS", e.getKey(), mo.width() + "x" + mo.height(), o.width() + "x" + o.height()));
            }
            if (!Objects.equals(mo.contentType(), o.contentType())) {
                out.add(new Difference("CONTENT_TYPE", e.getKey(), mo.contentType(), o.contentType()));
            }
        }
        for (var e : s.entrySet()) {
            if (!m.containsKey(e.getKey())) {
                out.add(new Difference("OUTPUT_EXTRA", e.getKey(), null, e.getValue().key()));
            }
        }
    }

    private static Map<String, Output> byName(List<Output> outputs) {
        Map<String, Output> out = new TreeMap<>();
        for (Output o : outputs) {
            String key = o.key() == null ? "" : o.key();
            out.put(key.substring(key.lastIndexOf('/') + 1), o);
        }
        return out;
    }

    private static Integer perceptualHash(Object main, Object shadow, List<Difference> out) {
        if (main == null && shadow == null) {
            return null;
        }
        if (main == null || shadow == null) {
            out.add(new Difference("PERCEPTUAL_HASH", "perceptualHash", main, shadow));
            return null;
        }
        int distance;
        try {
            distance = PerceptualHash.hammingDistance(String.valueOf(main), String.valueOf(shadow));
        } catch (IllegalArgumentException e) {
            out.add(new Difference("PERCEPTUAL_HASH", "perceptualHash", main, shadow));
            return null;
        }
        if (distance > PERCEPTUAL_HASH_THRESHOLD) {
            out.add(new Difference("PERCEPTUAL_HASH", "perceptualHash distance " + distance + " > " + PERCEPTUAL_HASH_THRESHOLD,
                    main, shadow));
        }
        return distance;
    }

    private static void duration(Object main, Object shadow, List<Difference> out) {
        if (main == null && shadow == null) {
            return;
        }
        if (!(main instanceof Number m) || !(shadow instanceof Number s)
                || Math.abs(m.doubleValue() - s.doubleValue()) > DURATION_TOLERANCE_SECONDS) {
            out.add(new Difference("DURATION", "durationSeconds", main, shadow));
        }
    }

    private static List<String> codes(List<Reason> reasons) {
        return reasons.stream().map(r -> r.code().name() + ":" + r.severity().name()).sorted().toList();
    }

    /** The codes of the differences, in order, e.g. [DIMENSIONS, PERCEPTUAL_HASH]. */
    public List<String> codes() {
        return differences.stream().map(Difference::code).toList();
    }
}
