package com.mediaflow.metadata;

import com.mediaflow.shared.config.Config;
import com.mediaflow.shared.pipeline.StepHandler;

/** The metadata step's Lambda entry point: messages from its step queue, work in {@link MetadataStep}. */
public class MetadataHandler extends StepHandler {
    /** What Lambda calls: configuration and clients are built once, at cold start. */
    public MetadataHandler() {
        this(Config.fromEnvironment());
    }

    /** For the embedded stack, which gives each function its own template environment. */
    public MetadataHandler(Config config) {
        super("metadata", MetadataStep::new, config);
    }
}
