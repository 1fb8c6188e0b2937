package com.mediaflow.shared.codec;

import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.error.ReasonCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a codec put up with while it worked: broken metadata, an ICC profile it could not use, a
 * frame it could not decode. The codec carries on (these never reject an item), and the step that
 * called it turns them into {@code WARNING} reasons in its result, so they reach the manifest
 * instead of only the log.
 *
 * <p>Collected per thread, between {@link #open()} and the scope's close; a warning raised where no
 * scope is open (or on another thread, such as a parallel transcode worker) only goes to the log.
 */
public final class CodecWarnings {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private CodecWarnings() {
    }

    /** Starts collecting this thread's warnings; scopes nest, the inner one collects. */
    public static Scope open() {
        Scope scope = new Scope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** Records a warning in this thread's open scope, if any. The message names no file: it goes to a manifest. */
    static void warn(ReasonCode code, String message) {
        Scope scope = CURRENT.get();
        if (scope != null) {
            scope.warnings.add(Reason.warning(code, message));
        }
    }

    /** One collection of warnings, each recorded once, in the order first seen. */
    public static final class Scope implements AutoCloseable {
        private final Scope outer;
        private final Set<Reason> warnings = new LinkedHashSet<>();

        private Scope(Scope outer) {
            this.outer = outer;
        }

        public List<Reason> warnings() {
            return new ArrayList<>(warnings);
        }

        @Override
        public void close() {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
