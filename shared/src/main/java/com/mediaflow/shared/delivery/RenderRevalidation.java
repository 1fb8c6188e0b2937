package com.mediaflow.shared.delivery;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.config.Setting;
import com.mediaflow.shared.error.ConfigException;
import java.time.Duration;

/**
 * How long the render function may answer a render from memory without checking that its stored
 * copy still exists ({@code RENDER_REVALIDATE_MILLIS}), and so how long a deletion waits before it
 * invalidates the CDN: once the wait is over, every instance has checked again, found the render
 * gone and answers 404, so the invalidation cannot be undone by a render served from memory.
 */
public final class RenderRevalidation {
    /** Added to the window before the invalidation: requests in flight, clocks that tick a little apart. */
    static final Duration MARGIN = Duration.ofSeconds(1);
    /** At most 5 s: the upload API's DELETE waits this plus {@link #MARGIN} within its 10 s timeout. */
    static final long MAX_MILLIS = 5_000;

    private RenderRevalidation() {
    }

    /** {@code RENDER_REVALIDATE_MILLIS}: 0 (check on every memory hit) to 5 s. */
    public static Duration window(Config config) {
        String text = config.optional(Setting.RENDER_REVALIDATE_MILLIS.name())
                .orElse(Setting.RENDER_REVALIDATE_MILLIS.defaultValue());
        try {
            long ms = Long.parseLong(text.trim());
            if (ms < 0 || ms > MAX_MILLIS) {
                throw new NumberFormatException("out of range");
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.RENDER_REVALIDATE_MILLIS + " is '" + text + "', expected a whole number of"
                    + " milliseconds from 0 to " + MAX_MILLIS, e);
        }
    }

    /** How long a deletion waits, after the objects are gone, before it invalidates the CDN. */
    public static Duration invalidationDelay(Config config) {
        return window(config).plus(MARGIN);
    }
}
