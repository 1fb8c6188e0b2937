package com.mediaflow.shared.config;

import com.mediaflow.shared.codec.audio.AudioSettings;
import com.mediaflow.shared.codec.video.Rung;
import com.mediaflow.shared.codec.video.VideoSettings;
import com.mediaflow.shared.error.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every environment variable Mediaflow reads, in one place. A function builds one Config at cold
 * start, from {@code System.getenv()} on Lambda or from the template's resolved environment on the
 * embedded stack, and reads what it needs then: a missing variable fails the cold start with its
 * name, never a request later.
 */
public final class Config {
    public static final String AWS_REGION = "AWS_REGION";
    /** Set only off AWS: the embedded stack's or LocalStack's endpoint for S3 and SQS. */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** Service-specific endpoints, as the AWS SDKs name them; they win over AWS_ENDPOINT_URL. */
    public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String INGEST_BUCKET = "INGEST_BUCKET";
    public static final String MEDIA_BUCKET = "MEDIA_BUCKET";
    public static final String QUARANTINE_BUCKET = "QUARANTINE_BUCKET";
    /** Validate's fan-out: one line per step, {@code name categories queueUrl}. */
    public static final String PIPELINE_STEPS = "PIPELINE_STEPS";
    public static final String FINALIZE_QUEUE_URL = "FINALIZE_QUEUE_URL";
    public static final String COMPLETION_QUEUE_URL = "COMPLETION_QUEUE_URL";
    public static final String MAX_UPLOAD_BYTES = "MAX_UPLOAD_BYTES";
    public static final String MAX_PIXELS = "MAX_PIXELS";
    public static final String MAX_FRAMES = "MAX_FRAMES";
    public static final String MAX_DURATION_SECONDS = "MAX_DURATION_SECONDS";
    public static final String MAX_TRACKS = "MAX_TRACKS";
    public static final String MAX_NESTING_DEPTH = "MAX_NESTING_DEPTH";
    public static final String MAX_SAMPLE_ENTRIES = "MAX_SAMPLE_ENTRIES";
    public static final String MAX_FRAME_RATE = "MAX_FRAME_RATE";
    public static final String MAX_ARCHIVE_ENTRIES = "MAX_ARCHIVE_ENTRIES";
    public static final String MAX_ARCHIVE_ENTRY_BYTES = "MAX_ARCHIVE_ENTRY_BYTES";
    public static final String MAX_ARCHIVE_TOTAL_BYTES = "MAX_ARCHIVE_TOTAL_BYTES";
    public static final String MAX_ARCHIVE_RATIO = "MAX_ARCHIVE_RATIO";
    public static final String MAX_ARCHIVE_NESTING = "MAX_ARCHIVE_NESTING";
    public static final String MAX_TEXT_BYTES = "MAX_TEXT_BYTES";
    public static final String DOCUMENT_MACROS_POLICY = "DOCUMENT_MACROS_POLICY";
    public static final String DOCUMENT_EXECUTABLES_POLICY = "DOCUMENT_EXECUTABLES_POLICY";
    public static final String DOCUMENT_EMBEDDED_OBJECTS_POLICY = "DOCUMENT_EMBEDDED_OBJECTS_POLICY";
    public static final String DOCUMENT_EXTERNAL_LINKS_POLICY = "DOCUMENT_EXTERNAL_LINKS_POLICY";
    public static final String THUMBNAIL_SIZES = "THUMBNAIL_SIZES";
    public static final String POSTER_MAX_SIDE = "POSTER_MAX_SIDE";
    public static final String JPEG_QUALITY = "JPEG_QUALITY";
    public static final String SQUARE_THUMBNAIL_SIZE = "SQUARE_THUMBNAIL_SIZE";
    public static final String DISPLAY_MAX_SIDE = "DISPLAY_MAX_SIDE";
    public static final String WEBP_QUALITY = "WEBP_QUALITY";
    public static final String WEBP_EFFORT = "WEBP_EFFORT";
    public static final String PLACEHOLDER_MAX_BYTES = "PLACEHOLDER_MAX_BYTES";
    public static final String WORK_DIR = "WORK_DIR";
    /** PDFs: most pages for a preview and a text scan; then the render's time and pixels. */
    public static final String MAX_PDF_PAGES = "MAX_PDF_PAGES";
    public static final String PDF_RENDER_TIMEOUT_MS = "PDF_RENDER_TIMEOUT_MS";
    public static final String PDF_RENDER_MAX_PIXELS = "PDF_RENDER_MAX_PIXELS";
    /** The transcode function's own queue: segment and stitch jobs of long videos go back onto it. */
    public static final String TRANSCODE_QUEUE_URL = "TRANSCODE_QUEUE_URL";
    /** The video ladder: comma-separated rungs {@code name:shortSide:crf:maxrateKbps:bufsizeKbps}. */
    public static final String VIDEO_LADDER = "VIDEO_LADDER";
    public static final String X264_PRESET = "X264_PRESET";
    public static final String VIDEO_GOP_SECONDS = "VIDEO_GOP_SECONDS";
    public static final String AUDIO_AAC_KBPS = "AUDIO_AAC_KBPS";
    public static final String AUDIO_OPUS_KBPS = "AUDIO_OPUS_KBPS";
    /** Videos longer than this are split into segments and encoded in parallel. */
    public static final String SEGMENT_THRESHOLD_SECONDS = "SEGMENT_THRESHOLD_SECONDS";
    public static final String SEGMENT_SECONDS = "SEGMENT_SECONDS";
    /** How often a long job extends its message's visibility timeout. */
    public static final String HEARTBEAT_SECONDS = "HEARTBEAT_SECONDS";

    /**
     * The maxReceiveCount of the redrive policy of the queue the function reads: on a record's last
     * receive a failure marks its item or upload FAILED before the record goes to the dead-letter
     * queue. Unset (0): no attempt is known to be the last.
     */
    public static final String MAX_RECEIVE_COUNT = "MAX_RECEIVE_COUNT";

    /** The sweeper's: the ingest queue, where it re-sends the notification of an upload that has no receipt. */
    public static final String INGEST_QUEUE_URL = "INGEST_QUEUE_URL";
    /** The sweeper's: an item PROCESSING with no change for this long is re-driven, then FAILED. */
    public static final String SWEEP_STUCK_AFTER_SECONDS = "SWEEP_STUCK_AFTER_SECONDS";
    /** The sweeper's: an upload this old without a receipt is re-driven (younger ones may have their notification on its way). */
    public static final String SWEEP_UPLOAD_GRACE_SECONDS = "SWEEP_UPLOAD_GRACE_SECONDS";
    /** The sweeper's: re-drives of one upload or item before it is marked FAILED. */
    public static final String SWEEP_MAX_REDRIVES = "SWEEP_MAX_REDRIVES";
    /** The sweeper's: objects examined per scan and run, so that one run is bounded; the next run goes on from there. */
    public static final String SWEEP_MAX_OBJECTS = "SWEEP_MAX_OBJECTS";
    /** Validate's, shadow mode: the fraction of items (chosen by media id) whose step messages are copied to the shadow queues. */
    public static final String SHADOW_FRACTION = "SHADOW_FRACTION";
    /** Validate's, shadow mode: lines of {@code name queueUrl}, the shadow queue of each shadowed step; unset: off. */
    public static final String SHADOW_QUEUES = "SHADOW_QUEUES";

    /** The deployment stage, the Stage dimension of the step metrics. */
    public static final String STAGE = "STAGE";
    /** The upload API: how long a presigned POST stays valid. */
    public static final String UPLOAD_URL_EXPIRY_SECONDS = "UPLOAD_URL_EXPIRY_SECONDS";
    /** The upload API: above this declared size, a presigned multipart upload instead of a POST form. */
    public static final String MULTIPART_THRESHOLD_BYTES = "MULTIPART_THRESHOLD_BYTES";
    /** The upload API: the part size of a presigned multipart upload. */
    public static final String MULTIPART_PART_BYTES = "MULTIPART_PART_BYTES";
    /** The PreTraffic hook's: one line per function it checks, {@code role functionName}. */
    public static final String PRETRAFFIC_FUNCTIONS = "PRETRAFFIC_FUNCTIONS";
    /** On-demand sizes: the widths and heights a render path may ask for. */
    public static final String RENDER_SIZES = "RENDER_SIZES";
    /** The render function's in-memory cache, in bytes. */
    public static final String RENDER_CACHE_BYTES = "RENDER_CACHE_BYTES";
    public static final String RENDER_REVALIDATE_MILLIS = "RENDER_REVALIDATE_MILLIS";
    /** The render secret (Secrets Manager) that signs render paths. */
    public static final String RENDER_SECRET_ARN = "RENDER_SECRET_ARN";
    /** Off AWS only: the render secret itself. */
    public static final String RENDER_SECRET = "RENDER_SECRET";
    /** Where renditions are delivered (CloudFront's domain; locally the delivery server). */
    public static final String DELIVERY_BASE_URL = "DELIVERY_BASE_URL";
    /** The SSM parameter holding {@link #DELIVERY_BASE_URL} on AWS. */
    public static final String DELIVERY_BASE_URL_PARAMETER = "DELIVERY_BASE_URL_PARAMETER";
    /** The SSM parameter holding the delivery distribution's id, which DELETE /uploads/{id} invalidates. */
    public static final String DELIVERY_DISTRIBUTION_ID_PARAMETER = "DELIVERY_DISTRIBUTION_ID_PARAMETER";
    /** Private delivery: the CloudFront public key's id. */
    public static final String DELIVERY_KEY_PAIR_ID = "DELIVERY_KEY_PAIR_ID";
    /** Private delivery: the secret holding the private key that signs delivery URLs. */
    public static final String DELIVERY_PRIVATE_KEY_SECRET_ARN = "DELIVERY_PRIVATE_KEY_SECRET_ARN";
    /** Private delivery: how long a signed delivery URL stays valid. */
    public static final String DELIVERY_URL_EXPIRY_SECONDS = "DELIVERY_URL_EXPIRY_SECONDS";

    /** Every variable's name, from its declaration ({@link Setting}); TemplateChecks holds template.yaml to it. */
    public static final List<String> ALL = java.util.Arrays.stream(Setting.values()).map(Setting::name).toList();

    private final Map<String, String> env;

    private Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    public static Config of(Map<String, String> env) {
        return new Config(env);
    }

    public String region() {
        return optional(AWS_REGION).orElse(Setting.AWS_REGION.defaultValue());
    }

    public Optional<URI> s3Endpoint() {
        return endpoint(AWS_ENDPOINT_URL_S3).or(() -> endpoint(AWS_ENDPOINT_URL));
    }

    public Optional<URI> sqsEndpoint() {
        return endpoint(AWS_ENDPOINT_URL_SQS).or(() -> endpoint(AWS_ENDPOINT_URL));
    }

    /** True when some endpoint is overridden, i.e. we are not talking to AWS itself. */
    public boolean local() {
        return s3Endpoint().isPresent() || sqsEndpoint().isPresent();
    }

    private Optional<URI> endpoint(String name) {
        return optional(name).map(v -> {
            try {
                return URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + " is '" + v + "', expected a URL such as http://127.0.0.1:4566", e);
            }
        });
    }

    /** The deployment stage (dev, prod, ...): the Stage dimension of every step metric. */
    public String stage() {
        String stage = optional(STAGE).orElse(Setting.STAGE.defaultValue());
        if (!stage.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException(STAGE + " is '" + stage + "', expected 1 to 64 letters, digits, '.', '_' or '-'", null);
        }
        return stage;
    }

    public String ingestBucket() {
        return require(INGEST_BUCKET);
    }

    public String mediaBucket() {
        return require(MEDIA_BUCKET);
    }

    public String quarantineBucket() {
        return require(QUARANTINE_BUCKET);
    }

    public String finalizeQueueUrl() {
        return require(FINALIZE_QUEUE_URL);
    }

    public String completionQueueUrl() {
        return require(COMPLETION_QUEUE_URL);
    }

    public List<StepRoute> pipelineSteps() {
        return StepRoute.parseAll(require(PIPELINE_STEPS), PIPELINE_STEPS);
    }

    public long maxUploadBytes() {
        return longValue(MAX_UPLOAD_BYTES, Setting.MAX_UPLOAD_BYTES.defaultLong(), 1, Long.MAX_VALUE);
    }

    /** Every resource limit, with its default; see the table of limits in docs/validation.md. */
    public com.mediaflow.shared.validation.Limits limits() {
        return new com.mediaflow.shared.validation.Limits(
                maxUploadBytes(),
                longValue(MAX_PIXELS, Setting.MAX_PIXELS.defaultLong(), 1, Long.MAX_VALUE),
                longValue(MAX_FRAMES, Setting.MAX_FRAMES.defaultLong(), 1, Integer.MAX_VALUE),
                longValue(MAX_DURATION_SECONDS, Setting.MAX_DURATION_SECONDS.defaultLong(), 1, Long.MAX_VALUE),
                (int) longValue(MAX_TRACKS, Setting.MAX_TRACKS.defaultLong(), 1, 1000),
                (int) longValue(MAX_NESTING_DEPTH, Setting.MAX_NESTING_DEPTH.defaultLong(), 2, 256),
                longValue(MAX_SAMPLE_ENTRIES, Setting.MAX_SAMPLE_ENTRIES.defaultLong(), 1, Integer.MAX_VALUE),
                longValue(MAX_FRAME_RATE, Setting.MAX_FRAME_RATE.defaultLong(), 1, 100_000),
                documentLimits());
    }

    /** The document rows of the limits table: the ZIP reader's limits, the text length, the document policies. */
    public com.mediaflow.shared.validation.DocumentLimits documentLimits() {
        var d = com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits.DEFAULTS;
        var zip = new com.mediaflow.shared.validation.internal.parsers.zip.ZipLimits(
                (int) longValue(MAX_ARCHIVE_ENTRIES, Setting.MAX_ARCHIVE_ENTRIES.defaultLong(), 1, 1_000_000),
                longValue(MAX_ARCHIVE_ENTRY_BYTES, Setting.MAX_ARCHIVE_ENTRY_BYTES.defaultLong(), 1, Long.MAX_VALUE),
                longValue(MAX_ARCHIVE_TOTAL_BYTES, Setting.MAX_ARCHIVE_TOTAL_BYTES.defaultLong(), 1, Long.MAX_VALUE),
                (int) longValue(MAX_ARCHIVE_RATIO, Setting.MAX_ARCHIVE_RATIO.defaultLong(), 1, 100_000),
                d.ratioAfter(), d.maxPartBytes(),
                (int) longValue(MAX_ARCHIVE_NESTING, Setting.MAX_ARCHIVE_NESTING.defaultLong(), 0, 16),
                d.maxInspectedBytes());
        return new com.mediaflow.shared.validation.DocumentLimits(zip,
                longValue(MAX_TEXT_BYTES, Setting.MAX_TEXT_BYTES.defaultLong(), 1, Long.MAX_VALUE),
                policy(Setting.DOCUMENT_MACROS_POLICY), policy(Setting.DOCUMENT_EXECUTABLES_POLICY),
                policy(Setting.DOCUMENT_EMBEDDED_OBJECTS_POLICY), policy(Setting.DOCUMENT_EXTERNAL_LINKS_POLICY));
    }

    private com.mediaflow.shared.validation.DocumentLimits.Policy policy(Setting setting) {
        String v = optional(setting.name()).orElse(setting.defaultValue());
        var parsed = com.mediaflow.shared.validation.DocumentLimits.Policy.parse(v);
        if (parsed == null) {
            throw new ConfigException(setting.name() + " is '" + v + "', expected quarantine or warn");
        }
        return parsed;
    }

    /** The limits of the metadata and preview of a PDF; see the table of limits in docs/validation.md. */
    public com.mediaflow.shared.codec.document.PdfLimits pdfLimits() {
        return new com.mediaflow.shared.codec.document.PdfLimits(
                (int) longValue(MAX_PDF_PAGES, Setting.MAX_PDF_PAGES.defaultLong(), 1, 1_000_000),
                longValue(PDF_RENDER_TIMEOUT_MS, Setting.PDF_RENDER_TIMEOUT_MS.defaultLong(), 100, 600_000),
                longValue(PDF_RENDER_MAX_PIXELS, Setting.PDF_RENDER_MAX_PIXELS.defaultLong(), 65_536, 1L << 31),
                com.mediaflow.shared.codec.document.PdfLimits.DEFAULTS.maxCacheBytes());
    }

    public List<Integer> thumbnailSizes() {
        String raw = optional(THUMBNAIL_SIZES).orElse(Setting.THUMBNAIL_SIZES.defaultValue());
        List<Integer> sizes = new ArrayList<>();
        for (String part : raw.split(",")) {
            sizes.add((int) parseLong(THUMBNAIL_SIZES, part.trim(), 16, 8192));
        }
        return List.copyOf(sizes);
    }

    public int posterMaxSide() {
        return (int) longValue(POSTER_MAX_SIDE, Setting.POSTER_MAX_SIDE.defaultLong(), 16, 8192);
    }

    public int jpegQuality() {
        return (int) longValue(JPEG_QUALITY, Setting.JPEG_QUALITY.defaultLong(), 1, 100);
    }

    /** Side of the centre-cropped square thumbnail for lists. */
    public int squareThumbnailSize() {
        return (int) longValue(SQUARE_THUMBNAIL_SIZE, Setting.SQUARE_THUMBNAIL_SIZE.defaultLong(), 16, 8192);
    }

    /** Longest side of the display image (JPEG and WebP). */
    public int displayMaxSide() {
        return (int) longValue(DISPLAY_MAX_SIDE, Setting.DISPLAY_MAX_SIDE.defaultLong(), 16, 16384);
    }

    /** libwebp quality of the display WebP, 1-100. */
    public int webpQuality() {
        return (int) longValue(WEBP_QUALITY, Setting.WEBP_QUALITY.defaultLong(), 1, 100);
    }

    /** libwebp method (effort) of the display WebP, 0 (fastest) to 6 (smallest). */
    public int webpEffort() {
        return (int) longValue(WEBP_EFFORT, Setting.WEBP_EFFORT.defaultLong(), 0, 6);
    }

    /** Largest size of the placeholder JPEG stored in the manifest, in bytes. */
    public int placeholderMaxBytes() {
        return (int) longValue(PLACEHOLDER_MAX_BYTES, Setting.PLACEHOLDER_MAX_BYTES.defaultLong(), 512, 65536);
    }

    public String transcodeQueueUrl() {
        return require(TRANSCODE_QUEUE_URL);
    }

    /** The ladder's rungs, smallest first; see {@link #VIDEO_LADDER}. */
    public List<Rung> videoLadder() {
        String raw = optional(VIDEO_LADDER).orElse(Setting.VIDEO_LADDER.defaultValue());
        List<Rung> rungs = new ArrayList<>();
        for (String part : raw.split(",")) {
            String[] f = part.trim().split(":");
            if (f.length != 5 || !f[0].matches("[A-Za-z0-9_-]{1,16}")) {
                throw new ConfigException(VIDEO_LADDER + " rung '" + part.trim()
                        + "' is malformed, expected name:shortSide:crf:maxrateKbps:bufsizeKbps such as 720p:720:24:3000:6000");
            }
            rungs.add(new Rung(f[0], (int) parseLong(VIDEO_LADDER, f[1], 16, 8192),
                    (int) parseLong(VIDEO_LADDER, f[2], 0, 51), (int) parseLong(VIDEO_LADDER, f[3], 50, 1_000_000),
                    (int) parseLong(VIDEO_LADDER, f[4], 50, 2_000_000)));
        }
        rungs.sort(Comparator.comparingInt(Rung::shortSide));
        return List.copyOf(rungs);
    }

    public VideoSettings videoSettings() {
        String preset = optional(X264_PRESET).orElse(Setting.X264_PRESET.defaultValue());
        if (!List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow").contains(preset)) {
            throw new ConfigException(X264_PRESET + " is '" + preset + "', expected an x264 preset such as veryfast or medium");
        }
        return new VideoSettings(videoLadder(), preset,
                (int) longValue(VIDEO_GOP_SECONDS, Setting.VIDEO_GOP_SECONDS.defaultLong(), 1, 20),
                audioSettings().aacBitrateKbps());
    }

    public AudioSettings audioSettings() {
        return new AudioSettings((int) longValue(AUDIO_AAC_KBPS, Setting.AUDIO_AAC_KBPS.defaultLong(), 16, 512),
                (int) longValue(AUDIO_OPUS_KBPS, Setting.AUDIO_OPUS_KBPS.defaultLong(), 6, 510),
                AudioSettings.DEFAULTS.waveformBuckets());
    }

    /** Videos longer than this many seconds take the parallel path. */
    public double segmentThresholdSeconds() {
        return longValue(SEGMENT_THRESHOLD_SECONDS, Setting.SEGMENT_THRESHOLD_SECONDS.defaultLong(), 1, 1_000_000);
    }

    /** Target length of one segment of the parallel path, in seconds. */
    public double segmentSeconds() {
        return longValue(SEGMENT_SECONDS, Setting.SEGMENT_SECONDS.defaultLong(), 1, 3600);
    }

    public Duration heartbeat() {
        return Duration.ofSeconds(longValue(HEARTBEAT_SECONDS, Setting.HEARTBEAT_SECONDS.defaultLong(), 1, 3600));
    }

    /** {@link #MAX_RECEIVE_COUNT}; 0 when unset. */
    public int maxReceiveCount() {
        return (int) longValue(MAX_RECEIVE_COUNT, Setting.MAX_RECEIVE_COUNT.defaultLong(), 0, 1000);
    }

    public String ingestQueueUrl() {
        return require(INGEST_QUEUE_URL);
    }

    /** {@link #SWEEP_STUCK_AFTER_SECONDS}: default 1800 (30 min), at least 2 s (tests). */
    public Duration sweepStuckAfter() {
        return Duration.ofSeconds(longValue(SWEEP_STUCK_AFTER_SECONDS, Setting.SWEEP_STUCK_AFTER_SECONDS.defaultLong(), 2, 30L * 24 * 3600));
    }

    /** {@link #SWEEP_UPLOAD_GRACE_SECONDS}: default 900 (15 min), at least 1 s. */
    public Duration sweepUploadGrace() {
        return Duration.ofSeconds(longValue(SWEEP_UPLOAD_GRACE_SECONDS, Setting.SWEEP_UPLOAD_GRACE_SECONDS.defaultLong(), 1, 30L * 24 * 3600));
    }

    /** {@link #SWEEP_MAX_REDRIVES}: default 2; 0 marks FAILED at once. */
    public int sweepMaxRedrives() {
        return (int) longValue(SWEEP_MAX_REDRIVES, Setting.SWEEP_MAX_REDRIVES.defaultLong(), 0, 100);
    }

    /** {@link #SWEEP_MAX_OBJECTS}: default 1000 per scan and run. */
    public int sweepMaxObjects() {
        return (int) longValue(SWEEP_MAX_OBJECTS, Setting.SWEEP_MAX_OBJECTS.defaultLong(), 1, 1_000_000);
    }

    /** {@link #UPLOAD_URL_EXPIRY_SECONDS}: default 900 (15 min), from 60 s to 7 days (SigV4's longest). */
    public Duration uploadUrlExpiry() {
        return Duration.ofSeconds(longValue(UPLOAD_URL_EXPIRY_SECONDS, Setting.UPLOAD_URL_EXPIRY_SECONDS.defaultLong(), 60, 604_800));
    }

    /** {@link #MULTIPART_THRESHOLD_BYTES}: default 100 MiB, at least 1 byte. */
    public long multipartThresholdBytes() {
        return longValue(MULTIPART_THRESHOLD_BYTES, Setting.MULTIPART_THRESHOLD_BYTES.defaultLong(), 1, Long.MAX_VALUE);
    }

    /** {@link #MULTIPART_PART_BYTES}: default 16 MiB, from 5 MiB to 5 GiB (S3's smallest part but the last, and its largest). */
    public long multipartPartBytes() {
        return longValue(MULTIPART_PART_BYTES, Setting.MULTIPART_PART_BYTES.defaultLong(), 5L << 20, 5L << 30);
    }

    /** {@link #SHADOW_FRACTION}: default 0 (no shadow copies), at most 1 (every item). */
    public double shadowFraction() {
        Optional<String> v = optional(SHADOW_FRACTION);
        if (v.isEmpty()) {
            return Double.parseDouble(Setting.SHADOW_FRACTION.defaultValue());
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(SHADOW_FRACTION + " is '" + v.get() + "', expected a fraction from 0 to 1", e);
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new ConfigException(SHADOW_FRACTION + " is " + v.get() + ", expected a fraction from 0 to 1");
        }
        return parsed;
    }

    /** {@link #SHADOW_QUEUES}: step name to its shadow queue URL, in declaration order; empty when unset. */
    public Map<String, String> shadowQueues() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : optional(SHADOW_QUEUES).orElse("").split("[\\n;]")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2) {
                throw new ConfigException(SHADOW_QUEUES + " line '" + trimmed + "' has " + parts.length
                        + " fields, expected 2: name queueUrl");
            }
            out.put(parts[0], parts[1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * {@link #PRETRAFFIC_FUNCTIONS}: the deployed function's name to its role, one {@code role name}
     * line each; a name given twice is an error (it would have two synthetic events).
     */
    public Map<String, String> preTrafficFunctions() {
        Map<String, String> roles = new java.util.LinkedHashMap<>();
        for (String line : require(PRETRAFFIC_FUNCTIONS).split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length != 2 || !f[0].matches("[a-z]+")) {
                throw new ConfigException(PRETRAFFIC_FUNCTIONS + " line '" + line.trim()
                        + "' is malformed, expected 'role functionName' such as 'validate mediaflow-ValidateFunction-ABC'");
            }
            if (roles.put(f[1], f[0]) != null) {
                throw new ConfigException(PRETRAFFIC_FUNCTIONS + " names function " + f[1] + " twice, expected each once");
            }
        }
        return Map.copyOf(roles);
    }

    public Path workDir() {
        return Path.of(optional(WORK_DIR).orElse(System.getProperty("java.io.tmpdir")));
    }

    public Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String require(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(
                "environment variable " + name + " is not set; expected it in the function's Environment in template.yaml"));
    }

    private long longValue(String name, long dflt, long min, long max) {
        return optional(name).map(v -> parseLong(name, v, min, max)).orElse(dflt);
    }

    private static long parseLong(String name, String v, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " is '" + v + "', expected a whole number from " + min + " to " + max, e);
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name + " is " + parsed + ", expected a whole number from " + min + " to " + max);
        }
        return parsed;
    }
}
