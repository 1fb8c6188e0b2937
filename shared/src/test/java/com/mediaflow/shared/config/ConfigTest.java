package com.mediaflow.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.shared.error.ConfigException;
import com.mediaflow.shared.format.MediaCategory;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static final String THUMB_Q = "http://127.0.0.1:9324/000000000000/ThumbnailQueue";
    private static final String META_Q = "http://127.0.0.1:9324/000000000000/MetadataQueue";

    @Test
    void require_missingVariable_namesIt() {
        Config config = Config.of(Map.of());

        assertThatThrownBy(config::mediaBucket)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MEDIA_BUCKET")
                .hasMessageContaining("not set");
    }

    @Test
    void require_blankVariable_isMissing() {
        Config config = Config.of(Map.of(Config.INGEST_BUCKET, "   "));

        assertThatThrownBy(config::ingestBucket).isInstanceOf(ConfigException.class).hasMessageContaining("INGEST_BUCKET");
    }

    @Test
    void require_eachRequiredAccessor_namesItsVariable() {
        Config config = Config.of(Map.of());

        assertThatThrownBy(config::quarantineBucket).hasMessageContaining(Config.QUARANTINE_BUCKET);
        assertThatThrownBy(config::finalizeQueueUrl).hasMessageContaining(Config.FINALIZE_QUEUE_URL);
        assertThatThrownBy(config::completionQueueUrl).hasMessageContaining(Config.COMPLETION_QUEUE_URL);
        assertThatThrownBy(config::pipelineSteps).hasMessageContaining(Config.PIPELINE_STEPS);
    }

    @Test
    void require_presentVariable_isTrimmed() {
        assertThat(Config.of(Map.of(Config.MEDIA_BUCKET, " media-bucket\n")).mediaBucket()).isEqualTo("media-bucket");
    }

    @Test
    void numbers_unset_useDefaults() {
        Config config = Config.of(Map.of());

        assertThat(config.maxUploadBytes()).isEqualTo(4L * 1024 * 1024 * 1024);
        assertThat(config.posterMaxSide()).isEqualTo(1280);
        assertThat(config.jpegQuality()).isEqualTo(75);
        assertThat(config.thumbnailSizes()).containsExactly(320, 640, 1280);
        assertThat(config.squareThumbnailSize()).isEqualTo(160);
        assertThat(config.displayMaxSide()).isEqualTo(2048);
        assertThat(config.webpQuality()).isEqualTo(80);
        assertThat(config.webpEffort()).isEqualTo(2);
        assertThat(config.placeholderMaxBytes()).isEqualTo(1024);
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.workDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void jpegQuality_notANumber_namesVariableAndRange() {
        Config config = Config.of(Map.of(Config.JPEG_QUALITY, "high"));

        assertThatThrownBy(config::jpegQuality)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JPEG_QUALITY")
                .hasMessageContaining("'high'")
                .hasMessageContaining("from 1 to 100")
                .hasCauseInstanceOf(NumberFormatException.class);
    }

    @Test
    void jpegQuality_outOfRange_namesVariableAndRange() {
        Config config = Config.of(Map.of(Config.JPEG_QUALITY, "101"));

        assertThatThrownBy(config::jpegQuality)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JPEG_QUALITY is 101")
                .hasMessageContaining("from 1 to 100");
    }

    @Test
    void maxUploadBytes_zero_isRejected() {
        assertThatThrownBy(() -> Config.of(Map.of(Config.MAX_UPLOAD_BYTES, "0")).maxUploadBytes())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MAX_UPLOAD_BYTES")
                .hasMessageContaining("from 1 to");
    }

    @Test
    void maxUploadBytes_valid_isParsed() {
        assertThat(Config.of(Map.of(Config.MAX_UPLOAD_BYTES, "1048576")).maxUploadBytes()).isEqualTo(1_048_576L);
    }

    @Test
    void posterMaxSide_tooSmall_namesVariableAndRange() {
        assertThatThrownBy(() -> Config.of(Map.of(Config.POSTER_MAX_SIDE, "8")).posterMaxSide())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("POSTER_MAX_SIDE")
                .hasMessageContaining("from 16 to 8192");
    }

    @Test
    void renditionSettings_set_areRead() {
        Config config = Config.of(Map.of(Config.SQUARE_THUMBNAIL_SIZE, "200", Config.DISPLAY_MAX_SIDE, "1600",
                Config.WEBP_QUALITY, "70", Config.PLACEHOLDER_MAX_BYTES, "2048", Config.JPEG_QUALITY, "90",
                Config.WEBP_EFFORT, "5"));

        assertThat(config.squareThumbnailSize()).isEqualTo(200);
        assertThat(config.displayMaxSide()).isEqualTo(1600);
        assertThat(config.webpQuality()).isEqualTo(70);
        assertThat(config.webpEffort()).isEqualTo(5);
        assertThat(config.placeholderMaxBytes()).isEqualTo(2048);
        assertThat(config.jpegQuality()).isEqualTo(90);
    }

    @Test
    void renditionSettings_outOfRange_nameVariableAndRange() {
        assertThatThrownBy(() -> Config.of(Map.of(Config.SQUARE_THUMBNAIL_SIZE, "8")).squareThumbnailSize())
                .isInstanceOf(ConfigException.class).hasMessageContaining("SQUARE_THUMBNAIL_SIZE is 8")
                .hasMessageContaining("16 to 8192");
        assertThatThrownBy(() -> Config.of(Map.of(Config.DISPLAY_MAX_SIDE, "wide")).displayMaxSide())
                .isInstanceOf(ConfigException.class).hasMessageContaining("DISPLAY_MAX_SIDE is 'wide'");
        assertThatThrownBy(() -> Config.of(Map.of(Config.WEBP_QUALITY, "101")).webpQuality())
                .isInstanceOf(ConfigException.class).hasMessageContaining("WEBP_QUALITY is 101")
                .hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> Config.of(Map.of(Config.WEBP_EFFORT, "7")).webpEffort())
                .isInstanceOf(ConfigException.class).hasMessageContaining("WEBP_EFFORT is 7")
                .hasMessageContaining("0 to 6");
        assertThatThrownBy(() -> Config.of(Map.of(Config.PLACEHOLDER_MAX_BYTES, "100")).placeholderMaxBytes())
                .isInstanceOf(ConfigException.class).hasMessageContaining("PLACEHOLDER_MAX_BYTES is 100")
                .hasMessageContaining("512 to 65536");
    }

    @Test
    void thumbnailSizes_commaList_isParsedInOrder() {
        Config config = Config.of(Map.of(Config.THUMBNAIL_SIZES, "160, 320,1280,"));

        assertThat(config.thumbnailSizes()).containsExactly(160, 320, 1280);
    }

    @Test
    void thumbnailSizes_badEntry_namesVariableAndRange() {
        Config config = Config.of(Map.of(Config.THUMBNAIL_SIZES, "320,big"));

        assertThatThrownBy(config::thumbnailSizes)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("THUMBNAIL_SIZES")
                .hasMessageContaining("'big'")
                .hasMessageContaining("from 16 to 8192");
    }

    @Test
    void thumbnailSizes_tooLarge_isRejected() {
        assertThatThrownBy(() -> Config.of(Map.of(Config.THUMBNAIL_SIZES, "99999")).thumbnailSizes())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("THUMBNAIL_SIZES is 99999");
    }

    @Test
    void s3Endpoint_serviceSpecific_beatsGeneric() {
        Config config = Config.of(Map.of(
                Config.AWS_ENDPOINT_URL, "http://127.0.0.1:4566",
                Config.AWS_ENDPOINT_URL_S3, "http://127.0.0.1:9000"));

        assertThat(config.s3Endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(config.sqsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.local()).isTrue();
    }

    @Test
    void sqsEndpoint_serviceSpecific_beatsGeneric() {
        Config config = Config.of(Map.of(
                Config.AWS_ENDPOINT_URL, "http://127.0.0.1:4566",
                Config.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:9324"));

        assertThat(config.sqsEndpoint()).contains(URI.create("http://127.0.0.1:9324"));
        assertThat(config.s3Endpoint()).contains(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void endpoints_unset_areEmptyAndNotLocal() {
        Config config = Config.of(Map.of(Config.AWS_REGION, "eu-west-1"));

        assertThat(config.s3Endpoint()).isEmpty();
        assertThat(config.sqsEndpoint()).isEmpty();
        assertThat(config.local()).isFalse();
        assertThat(config.region()).isEqualTo("eu-west-1");
    }

    @Test
    void s3Endpoint_malformed_namesVariable() {
        Config config = Config.of(Map.of(Config.AWS_ENDPOINT_URL_S3, "http://bad host:1"));

        assertThatThrownBy(config::s3Endpoint)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_S3")
                .hasMessageContaining("'http://bad host:1'")
                .hasMessageContaining("expected a URL");
    }

    @Test
    void pipelineSteps_cloudFormationSubBlock_isParsed() {
        // given what `!Sub |` produces: one line per step and a trailing newline
        String raw = "thumbnail image,video " + THUMB_Q + "\n"
                + "metadata image,video,audio,document " + META_Q + "\n";

        // when
        List<StepRoute> steps = Config.of(Map.of(Config.PIPELINE_STEPS, raw)).pipelineSteps();

        // then
        assertThat(steps).containsExactly(
                new StepRoute("thumbnail", Set.of(MediaCategory.IMAGE, MediaCategory.VIDEO), THUMB_Q),
                new StepRoute("metadata", Set.of(MediaCategory.IMAGE, MediaCategory.VIDEO, MediaCategory.AUDIO, MediaCategory.DOCUMENT), META_Q));
        assertThat(steps.get(0).appliesTo(MediaCategory.VIDEO)).isTrue();
        assertThat(steps.get(0).appliesTo(MediaCategory.AUDIO)).isFalse();
    }

    @Test
    void pipelineSteps_semicolonSeparatedWithExtraBlanks_isParsed() {
        String raw = "  thumbnail\timage " + THUMB_Q + " ;; metadata   audio " + META_Q + ";\r\n";

        List<StepRoute> steps = Config.of(Map.of(Config.PIPELINE_STEPS, raw)).pipelineSteps();

        assertThat(steps).extracting(StepRoute::name).containsExactly("thumbnail", "metadata");
        assertThat(steps).extracting(StepRoute::queueUrl).containsExactly(THUMB_Q, META_Q);
        assertThat(steps.get(1).categories()).containsExactly(MediaCategory.AUDIO);
    }

    @Test
    void pipelineSteps_wrongFieldCount_namesLineAndExpectation() {
        Config config = Config.of(Map.of(Config.PIPELINE_STEPS, "thumbnail " + THUMB_Q + "\n"));

        assertThatThrownBy(config::pipelineSteps)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PIPELINE_STEPS")
                .hasMessageContaining("'thumbnail " + THUMB_Q + "'")
                .hasMessageContaining("has 2 fields, expected 3");
    }

    @Test
    void pipelineSteps_unknownCategory_namesVariableAndCategory() {
        Config config = Config.of(Map.of(Config.PIPELINE_STEPS, "thumbnail image,photos " + THUMB_Q));

        assertThatThrownBy(config::pipelineSteps)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PIPELINE_STEPS")
                .hasMessageContaining("'photos'")
                .hasMessageContaining("expected one of image, video, audio, document")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pipelineSteps_onlySeparators_namesNoSteps() {
        Config config = Config.of(Map.of(Config.PIPELINE_STEPS, ";\n ; \n"));

        assertThatThrownBy(config::pipelineSteps)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PIPELINE_STEPS names no steps");
    }

    @Test
    void stepRoute_categories_areImmutable() {
        StepRoute route = new StepRoute("t", new java.util.HashSet<>(Set.of(MediaCategory.IMAGE)), THUMB_Q);

        assertThatThrownBy(() -> route.categories().add(MediaCategory.VIDEO)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void declaredDefaults_areTheCodecsOwnDefaults() {
        Config unset = Config.of(Map.of());

        assertThat(unset.videoLadder()).isEqualTo(com.mediaflow.shared.codec.video.VideoSettings.DEFAULTS.rungs());
        assertThat(unset.videoSettings()).isEqualTo(com.mediaflow.shared.codec.video.VideoSettings.DEFAULTS);
        assertThat(unset.audioSettings()).isEqualTo(com.mediaflow.shared.codec.audio.AudioSettings.DEFAULTS);
        assertThat(unset.limits()).isEqualTo(com.mediaflow.shared.validation.Limits.DEFAULTS);
    }

    @Test
    void all_listsEveryVariableConstant_once_andNothingElse() throws IllegalAccessException {
        // the variables are Config's String constants named as their value (AWS_REGION = "AWS_REGION")
        List<String> declared = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : Config.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(m) && java.lang.reflect.Modifier.isFinal(m)
                    && java.lang.reflect.Modifier.isPublic(m) && f.getName().equals(f.get(null))) {
                declared.add(f.getName());
            }
        }

        assertThat(declared).as("Config's variable constants").hasSizeGreaterThan(30);
        assertThat(Config.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void pipelineSteps_mimeTypesBesideCategories_routeSingleTypes() {
        List<StepRoute> steps = Config.of(Map.of(Config.PIPELINE_STEPS, "transcode video,audio,image/gif " + THUMB_Q)).pipelineSteps();

        StepRoute transcode = steps.get(0);
        assertThat(transcode.categories()).containsExactlyInAnyOrder(MediaCategory.VIDEO, MediaCategory.AUDIO);
        assertThat(transcode.types()).containsExactly("image/gif");
        assertThat(transcode.appliesTo(MediaCategory.IMAGE, "image/gif")).isTrue();
        assertThat(transcode.appliesTo(MediaCategory.IMAGE, "image/jpeg")).isFalse();
        assertThat(transcode.appliesTo(MediaCategory.AUDIO, "audio/mpeg")).isTrue();
    }

    @Test
    void videoLadder_isParsed_sortedBySize_andRejectsMalformedRungs() {
        Config config = Config.of(Map.of(Config.VIDEO_LADDER, "720p:720:24:3000:6000, 360p:360:26:1000:2000"));

        assertThat(config.videoLadder()).extracting(com.mediaflow.shared.codec.video.Rung::name).containsExactly("360p", "720p");
        assertThat(config.videoLadder().get(1).maxrateKbps()).isEqualTo(3000);
        assertThatThrownBy(() -> Config.of(Map.of(Config.VIDEO_LADDER, "720p:720:24")).videoLadder())
                .isInstanceOf(ConfigException.class).hasMessageContaining("name:shortSide:crf:maxrateKbps:bufsizeKbps");
        assertThatThrownBy(() -> Config.of(Map.of(Config.VIDEO_LADDER, "720p:720:99:3000:6000")).videoLadder())
                .isInstanceOf(ConfigException.class).hasMessageContaining("from 0 to 51");
        assertThat(Config.of(Map.of()).videoLadder()).isEqualTo(com.mediaflow.shared.codec.video.VideoSettings.DEFAULTS.rungs());
    }

    @Test
    void maxFrameRate_feedsTheLimits() {
        assertThat(Config.of(Map.of(Config.MAX_FRAME_RATE, "120")).limits().maxFrameRate()).isEqualTo(120);
        assertThat(Config.of(Map.of()).limits().maxFrameRate()).isEqualTo(com.mediaflow.shared.validation.Limits.DEFAULT_MAX_FRAME_RATE);
    }
}
