package com.mediaflow.thumbnail;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.pipeline.StepHandler;

/** The thumbnail step's Lambda entry point: messages from its step queue, work in {@link ThumbnailStep}. */
public class ThumbnailHandler extends StepHandler {
    /** What Lambda calls: configuration and clients are built once, at cold start. */
    public ThumbnailHandler() {
        this(Config.fromEnvironment());
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public ThumbnailHandler(Config config) {
        super("thumbnail", ThumbnailStep::new, config);
    }
}
