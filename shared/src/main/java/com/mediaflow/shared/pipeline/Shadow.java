package com.mediaflow.shared.pipeline;

import com.mediaflow.shared.aws.Queue;
import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.model.StepMessage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode, validate's side: a fraction of the media items get a copy of their step messages,
 * marked {@link StepMessage#shadowCopy() shadow}, on the shadow queues, whose event sources invoke the
 * version under test ({@code ThumbnailShadowVersion} and {@code MetadataShadowVersion} in template.yaml). Off unless {@code SHADOW_QUEUES} names
 * a queue and {@code SHADOW_FRACTION} is above 0.
 *
 * <p>The choice is a function of the media id alone ({@link #selected}), so a redelivered upload, a
 * re-run of validate or a duplicate upload of the same bytes decides the same way.
 */
public final class Shadow {
    private static final Logger LOG = LoggerFactory.getLogger(Shadow.class);
    /** 2^52: the media id's first 13 hex digits, as a fraction of this, place the item in [0, 1). */
    private static final double SPAN = 0x10000000000000L;

    private final double fraction;
    private final Map<String, String> queues;
    private final Queue queue;

    public Shadow(Config config, Queue queue) {
        this(config.shadowFraction(), config.shadowQueues(), queue);
    }

    Shadow(double fraction, Map<String, String> queues, Queue queue) {
        this.fraction = fraction;
        this.queues = Map.copyOf(queues);
        this.queue = queue;
    }

    /** Whether any step message can be copied at all. */
    public boolean on() {
        return fraction > 0 && !queues.isEmpty();
    }

    /**
     * Whether the item with this media id (64 hex digits, a SHA-256, so uniformly spread) is in the
     * shadowed fraction: its first 13 hex digits, read as a fraction of 2^52, are below it. The same
     * id always gets the same answer; a larger fraction keeps every item a smaller one chose.
     */
    public static boolean selected(String mediaId, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        if (fraction >= 1) {
            return true;
        }
        return Long.parseLong(mediaId.substring(0, 13), 16) / SPAN < fraction;
    }

    /**
     * Sends the shadow copy of a step message when shadow mode is on, the step has a shadow queue
     * and the item is selected.
     *
     * @return whether a copy was sent
     */
    public boolean copy(StepMessage message) {
        String url = queues.get(message.step());
        if (url == null || !selected(message.mediaId(), fraction)) {
            return false;
        }
        queue.send(url, message.asShadow());
        LOG.info("{} of media {}: shadow copy sent (fraction {})", message.step(), message.mediaId(), fraction);
        return true;
    }
}
