package com.mediaflow.shared.config;

import com.mediaflow.shared.codec.RenditionPlan;

import com.mediaflow.shared.codec.audio.AudioSettings;
import com.mediaflow.shared.codec.document.PdfLimits;
import com.mediaflow.shared.codec.video.VideoSettings;
import com.mediaflow.shared.validation.DocumentLimits;
import com.mediaflow.shared.validation.Limits;

/**
 * Every environment variable, declared once: its default (null: required, or none), unit, the
 * template parameter that sets it (null: none), which functions read it, and its documentation
 * line. {@link Config} takes its defaults from here; tests hold template.yaml's parameters and
 * docs/configuration.md's table to it.
 */
public enum Setting {
    AWS_REGION("us-east-1", "region", null, "all", "the region; Lambda sets it"),
    AWS_ENDPOINT_URL(null, "URL", null, "all", "only off AWS: the local stack's or LocalStack's endpoint for S3 and SQS"),
    AWS_ENDPOINT_URL_S3(null, "URL", null, "all", "only off AWS: the S3 endpoint, which wins over AWS_ENDPOINT_URL"),
    AWS_ENDPOINT_URL_SQS(null, "URL", null, "all", "only off AWS: the SQS endpoint, which wins over AWS_ENDPOINT_URL"),
    INGEST_BUCKET(null, "name", null, "validate, sweeper, pretraffic, uploadapi", "the bucket uploads arrive in"),
    MEDIA_BUCKET(null, "name", null, "all", "originals, renditions, manifests and receipts"),
    QUARANTINE_BUCKET(null, "name", null, "all", "rejected uploads, with their reasons"),
    PIPELINE_STEPS(null, "lines", null, "validate, sweeper",
            "one line per step: `name categories queueUrl` (the same lines in both; TemplateChecks holds them equal)"),
    FINALIZE_QUEUE_URL(null, "URL", null, "thumbnail, metadata, transcode, sweeper", "where steps report"),
    COMPLETION_QUEUE_URL(null, "URL", null, "validate, finalize, sweeper", "the output queue: one completion event per upload"),
    INGEST_QUEUE_URL(null, "URL", null, "sweeper", "where it sends again the notification of an upload without a receipt"),
    TRANSCODE_QUEUE_URL(null, "URL", null, "transcode", "its own queue, for segment and stitch jobs"),
    MAX_UPLOAD_BYTES(Long.toString(Limits.DEFAULTS.maxBytes()), "bytes", "MaxUploadBytes", "validate, uploadapi",
            "largest upload accepted (SIZE_LIMIT above it); the upload API refuses to presign a larger one"),
    MAX_PIXELS(Long.toString(Limits.DEFAULTS.maxPixels()), "pixels", "MaxPixels", "validate, thumbnail, metadata",
            "largest image, frame or grid (PIXEL_LIMIT)"),
    MAX_FRAMES(Long.toString(Limits.DEFAULTS.maxFrames()), "frames", "MaxFrames", "validate, thumbnail, metadata",
            "most frames of an animation (FRAME_LIMIT)"),
    MAX_DURATION_SECONDS(Long.toString(Limits.DEFAULTS.maxDurationSeconds()), "s", "MaxDurationSeconds", "validate",
            "longest audio or video (DURATION_LIMIT)"),
    MAX_TRACKS(Integer.toString(Limits.DEFAULTS.maxTracks()), "tracks", "MaxTracks", "validate",
            "most tracks or streams in a container (TRACK_LIMIT)"),
    MAX_NESTING_DEPTH(Integer.toString(Limits.DEFAULTS.maxDepth()), "levels", "MaxNestingDepth", "validate, thumbnail, metadata",
            "deepest nesting of boxes, elements, PDF objects or folders of a document package (DEPTH_LIMIT)"),
    MAX_SAMPLE_ENTRIES(Long.toString(Limits.DEFAULTS.maxSampleEntries()), "entries", "MaxSampleEntries", "validate",
            "most entries in one sample table or index (SAMPLE_TABLE_LIMIT)"),
    MAX_FRAME_RATE(Long.toString(Limits.DEFAULTS.maxFrameRate()), "frames/s", "MaxFrameRate", "validate",
            "highest average frame rate of a video track (FRAME_RATE_LIMIT)"),
    MAX_ARCHIVE_ENTRIES(Integer.toString(DocumentLimits.DEFAULTS.zip().maxEntries()), "entries", "MaxArchiveEntries", "validate, thumbnail, metadata",
            "most entries in a document package's ZIP central directory (ARCHIVE_LIMIT)"),
    MAX_ARCHIVE_ENTRY_BYTES(Long.toString(DocumentLimits.DEFAULTS.zip().maxEntryBytes()), "bytes", "MaxArchiveEntryBytes", "validate, thumbnail, metadata",
            "largest uncompressed size one entry of a document package declares (ARCHIVE_LIMIT)"),
    MAX_ARCHIVE_TOTAL_BYTES(Long.toString(DocumentLimits.DEFAULTS.zip().maxTotalBytes()), "bytes", "MaxArchiveTotalBytes", "validate, thumbnail, metadata",
            "largest uncompressed size of all entries of a document package together (ARCHIVE_LIMIT)"),
    MAX_ARCHIVE_RATIO(Integer.toString(DocumentLimits.DEFAULTS.zip().maxRatio()), "ratio", "MaxArchiveRatio", "validate, thumbnail, metadata",
            "highest uncompressed-to-compressed ratio of an entry above 1 MiB: a zip bomb (ARCHIVE_LIMIT)"),
    MAX_ARCHIVE_NESTING(Integer.toString(DocumentLimits.DEFAULTS.zip().maxNesting()), "levels", "MaxArchiveNesting", "validate, thumbnail, metadata",
            "packages inside a document package, each checked in turn (an embedded workbook is 1) (DEPTH_LIMIT)"),
    MAX_TEXT_BYTES(Long.toString(DocumentLimits.DEFAULTS.maxTextBytes()), "bytes", "MaxTextBytes", "validate",
            "largest text file (TEXT_LIMIT)"),
    DOCUMENT_MACROS_POLICY(DocumentLimits.DEFAULTS.macros().text(), "policy", "DocumentMacrosPolicy", "validate",
            "`quarantine` or `warn`: what macros in an office document are (DOCUMENT_MACROS)"),
    DOCUMENT_EXECUTABLES_POLICY(DocumentLimits.DEFAULTS.executables().text(), "policy", "DocumentExecutablesPolicy", "validate",
            "`quarantine` or `warn`: what an executable inside a document package is (DOCUMENT_EMBEDDED_EXECUTABLE)"),
    DOCUMENT_EMBEDDED_OBJECTS_POLICY(DocumentLimits.DEFAULTS.objects().text(), "policy", "DocumentEmbeddedObjectsPolicy", "validate",
            "`warn` or `quarantine`: what an embedded OLE object, ActiveX control or archive is (DOCUMENT_EMBEDDED_OBJECT)"),
    DOCUMENT_EXTERNAL_LINKS_POLICY(DocumentLimits.DEFAULTS.externalLinks().text(), "policy", "DocumentExternalLinksPolicy", "validate",
            "`warn` or `quarantine`: what an external relationship or link of a document is (DOCUMENT_EXTERNAL_LINK)"),
    THUMBNAIL_SIZES("320,640,1280", "px list", "ThumbnailSizes", "thumbnail",
            "fitted thumbnail boxes; the longest side fits the box, never upscaled"),
    SQUARE_THUMBNAIL_SIZE("160", "px", "SquareThumbnailSize", "thumbnail", "side of the centre-cropped square list thumbnail"),
    DISPLAY_MAX_SIDE("2048", "px", "DisplayMaxSide", "thumbnail", "longest side of display.jpg and display.webp"),
    POSTER_MAX_SIDE("1280", "px", "PosterMaxSide", "thumbnail", "longest side of a video poster"),
    JPEG_QUALITY("75", "1-100", "JpegQuality", "thumbnail", "every JPEG (libjpeg's quality scale, as libjpeg-turbo encodes them), and where the placeholder's quality starts"),
    WEBP_QUALITY("80", "1-100", "WebpQuality", "thumbnail", "libwebp quality of the display WebP"),
    WEBP_EFFORT(Integer.toString(RenditionPlan.DEFAULT_WEBP_EFFORT), "0-6", "WebpEffort", "thumbnail",
            "libwebp method of the display WebP: 0 fastest, 6 smallest (libwebp's own default is 4)"),
    PLACEHOLDER_MAX_BYTES("1024", "bytes", "PlaceholderMaxBytes", "thumbnail", "largest placeholder JPEG, 512-65536"),
    MAX_PDF_PAGES(Integer.toString(PdfLimits.DEFAULTS.maxPages()), "pages", "MaxPdfPages", "thumbnail, metadata",
            "most pages of a PDF for a preview and a text scan (PDF_PAGE_LIMIT, a warning: READY, no preview)"),
    PDF_RENDER_TIMEOUT_MS(Long.toString(PdfLimits.DEFAULTS.timeoutMillis()), "ms", "PdfRenderTimeoutMs", "thumbnail, metadata",
            "longest render of a PDF's first page, and of the text scan of its first pages (PDF_RENDER_LIMIT, a warning: no preview)"),
    PDF_RENDER_MAX_PIXELS(Long.toString(PdfLimits.DEFAULTS.maxPixels()), "pixels", "PdfRenderMaxPixels", "thumbnail",
            "most pixels of a PDF's rendered preview (its scale is lowered to fit) and of any image its first page draws"
                    + " (PDF_RENDER_LIMIT, a warning: no preview)"),
    WORK_DIR(null, "path", null, "thumbnail, metadata, transcode", "scratch space; unset: the JVM's temp dir (/tmp on Lambda)"),
    VIDEO_LADDER("360p:360:26:1000:2000,720p:720:24:3000:6000,1080p:1080:23:6000:12000", "rungs", "VideoLadder", "transcode",
            "the H.264 rungs, `name:shortSide:crf:maxrateKbps:bufsizeKbps`, comma-separated"),
    X264_PRESET(VideoSettings.DEFAULTS.preset(), "preset", "X264Preset", "transcode", "the x264 preset"),
    VIDEO_GOP_SECONDS(Integer.toString(VideoSettings.DEFAULTS.gopSeconds()), "s", "VideoGopSeconds", "transcode",
            "seconds between keyframes"),
    AUDIO_AAC_KBPS(Integer.toString(AudioSettings.DEFAULTS.aacBitrateKbps()), "kbit/s", "AudioAacKbps", "transcode",
            "AAC bit rate in videos and audio.m4a"),
    AUDIO_OPUS_KBPS(Integer.toString(AudioSettings.DEFAULTS.opusBitrateKbps()), "kbit/s", "AudioOpusKbps", "transcode",
            "Opus bit rate of audio.ogg"),
    SEGMENT_THRESHOLD_SECONDS("300", "s", "SegmentThresholdSeconds", "transcode", "videos longer than this take the parallel path"),
    SEGMENT_SECONDS("60", "s", "SegmentSeconds", "transcode", "target length of one segment of the parallel path"),
    HEARTBEAT_SECONDS("60", "s", null, "transcode", "how often a long job extends its message's visibility"),
    MAX_RECEIVE_COUNT("0", "receives", null, "validate, thumbnail, metadata, transcode, finalize",
            "the maxReceiveCount of the function's queue (TemplateChecks holds them equal); a record failing on that last"
                    + " receive marks its item FAILED. 0: no attempt is known to be the last"),
    SWEEP_STUCK_AFTER_SECONDS("1800", "s", "SweepStuckAfterSeconds", "sweeper",
            "an item PROCESSING with no change this long is re-driven, then marked FAILED"),
    SWEEP_UPLOAD_GRACE_SECONDS("900", "s", "SweepUploadGraceSeconds", "sweeper",
            "an upload without a receipt this long after it was created is re-driven"),
    SWEEP_MAX_REDRIVES("2", "re-drives", "SweepMaxRedrives", "sweeper", "re-drives before the sweeper marks it FAILED"),
    SWEEP_MAX_OBJECTS("1000", "objects", null, "sweeper", "objects examined per scan and run"),
    PRETRAFFIC_FUNCTIONS(null, "lines", null, "pretraffic",
            "one line per function the hook checks: `role functionName` (role: validate, thumbnail, metadata, transcode,"
                    + " finalize, sweeper, uploadapi); the AppSpec's function name picks the synthetic event"),
    UPLOAD_URL_EXPIRY_SECONDS("900", "s", null, "uploadapi",
            "how long a presigned upload (POST /uploads) stays valid: its policy's expiration, 60-604800"),
    MULTIPART_THRESHOLD_BYTES("104857600", "bytes", "MultipartThresholdBytes", "uploadapi",
            "POST /uploads answers a presigned multipart upload (part URLs and a complete call) above this size, a POST form"
                    + " at or below it"),
    MULTIPART_PART_BYTES("16777216", "bytes", null, "uploadapi",
            "the part size of a presigned multipart upload, 5 MiB-5 GiB (S3's limits); larger when the upload would need"
                    + " more than 10000 parts"),
    STAGE("dev", "name", "Stage", "validate, thumbnail, metadata, transcode, finalize",
            "the deployment stage: the Stage dimension of the step metrics (docs/deploying.md, Metrics)"),
    SHADOW_FRACTION("0", "0-1", "ShadowFraction", "validate",
            "shadow mode: the fraction of media items (chosen by media id) whose step messages are copied to the shadow"
                    + " queues; 0: none"),
    SHADOW_QUEUES(null, "lines", null, "validate",
            "shadow mode: one line per shadowed step, `name queueUrl`; empty (ThumbnailShadowVersion unset): shadow mode off"),
    RENDER_SIZES("64,128,256,320,512,640,1024,1280,1600,2048", "px list", "RenderSizes", "render, uploadapi",
            "the widths and heights an on-demand render may ask for (400 otherwise), never above the item's display size"),
    RENDER_CACHE_BYTES("268435456", "bytes", null, "render",
            "the render function's in-memory LRU cache of decoded sources and renders, bounded in bytes; 0: none"),
    RENDER_REVALIDATE_MILLIS("1000", "ms", null, "render, uploadapi",
            "how long (at most 5000) the render function answers a render from memory before it checks again that the stored copy"
                    + " exists (a deleted item's render then answers 404); a deletion waits this long plus 1 s before it"
                    + " invalidates the CDN, so no instance serves the render again after the invalidation"),
    RENDER_SECRET_ARN(null, "ARN", null, "render, uploadapi",
            "the Secrets Manager secret whose value signs on-demand render paths (HMAC-SHA256); read once at init"),
    RENDER_SECRET(null, "text", null, "render, uploadapi",
            "only off AWS: the render secret itself, instead of RENDER_SECRET_ARN (the local stack generates one per data folder)"),
    DELIVERY_BASE_URL(null, "URL", null, "uploadapi",
            "only off AWS: where renditions and renders are served (the local delivery server), instead of"
                    + " DELIVERY_BASE_URL_PARAMETER"),
    DELIVERY_BASE_URL_PARAMETER(null, "name", null, "uploadapi",
            "the SSM parameter holding https://<DeliveryDistribution domain> (DeliveryBaseUrlParameter), read at the first"
                    + " GET /uploads/{id} that needs it; unset: no delivery URLs"),
    DELIVERY_DISTRIBUTION_ID_PARAMETER(null, "name", null, "uploadapi",
            "the SSM parameter holding DeliveryDistribution's id (DeliveryDistributionIdParameter), read at the first"
                    + " DELETE /uploads/{id} that deletes an item, to invalidate its paths; unset: no invalidation (off AWS)"),
    DELIVERY_KEY_PAIR_ID(null, "id", null, "uploadapi",
            "private delivery: the CloudFront public key's id (DeliveryPublicKeyRecord), the Key-Pair-Id of signed URLs; unset: public"),
    DELIVERY_PRIVATE_KEY_SECRET_ARN(null, "ARN", null, "uploadapi",
            "private delivery: the secret holding the PKCS#8 PEM private key that signs delivery URLs (DeliveryPrivateKeySecretArn)"),
    DELIVERY_URL_EXPIRY_SECONDS("3600", "s", null, "uploadapi", "private delivery: how long a signed delivery URL stays valid");

    private final String defaultValue;
    private final String unit;
    private final String parameter;
    private final String readers;
    private final String meaning;

    Setting(String defaultValue, String unit, String parameter, String readers, String meaning) {
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.parameter = parameter;
        this.readers = readers;
        this.meaning = meaning;
    }

    /** The default as text; null when the variable is required or has none. */
    public String defaultValue() {
        return defaultValue;
    }

    long defaultLong() {
        if (defaultValue == null) {
            throw new IllegalStateException(name() + " has no default");
        }
        return Long.parseLong(defaultValue);
    }

    public String unit() {
        return unit;
    }

    /** The template.yaml parameter that sets it, or null. */
    public String parameter() {
        return parameter;
    }

    public String readers() {
        return readers;
    }

    public String meaning() {
        return meaning;
    }

    /** This setting's row of docs/configuration.md's table. */
    public String docRow() {
        return "| `" + name() + "` | " + (defaultValue == null ? "–" : "`" + defaultValue + "`") + " | " + unit + " | "
                + (parameter == null ? "–" : "`" + parameter + "`") + " | " + readers + " | " + meaning + " |";
    }
}
