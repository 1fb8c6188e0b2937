package com.mediaflow.uploadapi;

import com.mediaflow.shared.aws.Keys;
import com.mediaflow.shared.delivery.RenderUrls;
import com.mediaflow.shared.error.StorageException;
import com.mediaflow.shared.pipeline.MediaDeletion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * Tells the delivery distribution to forget a deleted item: one {@code CreateInvalidation} of
 * {@code /media/<id>/*} (the original's renditions, the manifest, the stored renders under their
 * S3 keys) and of each stored render's path {@code /r/{signature}/<id>/<w>x<h>/<fit>.<ext>}. A
 * wildcard may only end a path, and a render path starts with its signature, so no wildcard names
 * one item's renders: their exact paths are signed again here from the stored renders' keys (the
 * signature is a pure function of the path and the render secret). A render never stored was never
 * served, so it is in no cache; a render signed under a previous secret is not named (see docs/api.md).
 * When a render path misses the cache after this, the render function finds no READY manifest: 404.
 */
final class CloudFrontInvalidation implements MediaDeletion.Cdn {
    private static final Logger LOG = LoggerFactory.getLogger(CloudFrontInvalidation.class);
    /** CloudFront takes at most 3000 paths in one invalidation; past that, every render path ({@code /r/*}). */
    static final int MAX_PATHS = 3000;
    private static final Pattern RENDER_KEY = Pattern.compile("media/([0-9a-f]{64})/render/([0-9]+)x([0-9]+)-([a-z]+)\\.([a-z]+)");

    private final CloudFrontClient cloudFront;
    private final Supplier<Optional<String>> distributionId;
    private final RenderUrls signer;
    private final Clock clock;
    private final java.time.Duration delay;

    /**
     * @param distributionId the distribution's id, read when first needed
     * @param signer the render secret's signer; null: no render paths (the stack has no render secret)
     * @param delay how long to wait, the objects being gone, before the invalidation: longer than the
     *     render function serves a render from memory unchecked ({@code RenderRevalidation})
     */
    CloudFrontInvalidation(CloudFrontClient cloudFront, Supplier<Optional<String>> distributionId, RenderUrls signer, Clock clock,
            java.time.Duration delay) {
        this.delay = delay;
        this.cloudFront = cloudFront;
        this.distributionId = distributionId;
        this.signer = signer;
        this.clock = clock;
    }

    /** The paths to invalidate for an item, at most {@link #MAX_PATHS}. */
    static List<String> paths(String mediaId, List<String> renderKeys, RenderUrls signer) {
        List<String> out = new ArrayList<>();
        out.add("/" + Keys.mediaPrefix(mediaId) + "*");
        if (signer == null) {
            return out;
        }
        for (String key : renderKeys) {
            Matcher m = RENDER_KEY.matcher(key);
            if (m.matches() && m.group(1).equals(mediaId)) {
                out.add(signer.path(mediaId, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
            }
        }
        return out.size() <= MAX_PATHS ? out : List.of(out.get(0), RenderUrls.PREFIX + "*");
    }

    /**
     * @throws StorageException when the distribution's id is not known yet or CloudFront refuses: the
     *     DELETE answers 503 and its retry invalidates again (the item's tombstone is still there)
     */
    @Override
    public void invalidate(String mediaId, List<String> renderKeys) {
        String id = distributionId.get().orElseThrow(() -> new StorageException("the delivery distribution's id is unknown"
                + " (its SSM parameter is not readable yet), expected it to invalidate media " + mediaId + "; will retry", null));
        List<String> paths = paths(mediaId, renderKeys, signer);
        pause(delay, mediaId);
        String reference = "delete-" + mediaId.substring(0, 16) + "-" + clock.millis();
        try {
            String invalidation = cloudFront.createInvalidation(b -> b.distributionId(id).invalidationBatch(batch -> batch
                    .callerReference(reference).paths(p -> p.quantity(paths.size()).items(paths)))).invalidation().id();
            LOG.info("CloudFront {}: invalidation {} of {} path(s) for deleted media {}", id, invalidation, paths.size(), mediaId);
        } catch (SdkException e) {
            throw new StorageException("CreateInvalidation on distribution " + id + " of " + paths + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Off AWS (no distribution): what would be invalidated is logged; the local delivery server caches
     * nothing, but the render function's memory does: the DELETE still waits {@code delay}, so that once
     * it answers no render of the item is served, as on AWS.
     */
    static MediaDeletion.Cdn logOnly(java.time.Duration delay) {
        return (mediaId, renderKeys) -> {
            pause(delay, mediaId);
            LOG.info("no delivery distribution (DELIVERY_DISTRIBUTION_ID_PARAMETER unset): nothing to invalidate for deleted"
                    + " media {} ({} stored render(s))", mediaId, renderKeys.size());
        };
    }

    /** Waits until every render instance has checked its memory against S3 again (none serves the render after it). */
    private static void pause(java.time.Duration delay, String mediaId) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting " + delay + " to invalidate media " + mediaId + "; will retry", e);
        }
    }
}
