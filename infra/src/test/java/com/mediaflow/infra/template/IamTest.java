package com.mediaflow.infra.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mediaflow.infra.TestPaths;
import com.mediaflow.infra.template.Iam.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator behind IamIT, on template.yaml's own statements. */
class IamTest {
    private static final String MEDIA = "arn:aws:s3:::mediabucket";
    private static final String ID = "ab".repeat(32);

    @TempDir
    Path tmp;

    private static final Resolver RESOLVER = new Resolver(
            name -> Map.of("AWS::Partition", "aws", "AWS::StackName", "s", "AWS::AccountId", "1", "AWS::Region", "eu-west-1",
                    "NamePrefix", "mediaflow", "KmsKeyArn", "arn:aws:kms:eu-west-1:1:key/k",
                    "RenderSecret", "arn:aws:secretsmanager:eu-west-1:1:secret:render").get(name),
            attr -> attr.endsWith("Bucket.Arn") ? "arn:aws:s3:::" + attr.substring(0, attr.indexOf('.')).toLowerCase()
                    : attr.endsWith(".Arn") ? "arn:aws:sqs:eu-west-1:1:" + attr.substring(0, attr.indexOf('.')) : null);

    private static List<Iam.Statement> of(String function, boolean kms) throws IOException {
        return Iam.statements(Template.load(TestPaths.template()), function, RESOLVER, c -> kms && c.equals("UseKms"));
    }

    @Test
    void thumbnail_writesItsRenditions_butCannotDeleteTheOriginal_norWriteAnotherStepsOutputs() throws IOException {
        List<Iam.Statement> thumbnail = of("ThumbnailFunction", false);

        assertThat(Iam.allows(thumbnail, new Need("s3:PutObject", MEDIA + "/media/" + ID + "/thumbnail/thumb-320.jpg", null))).isTrue();
        assertThat(Iam.allows(thumbnail, new Need("s3:GetObject", MEDIA + "/media/" + ID + "/original", null))).isTrue();
        assertThat(Iam.allows(thumbnail, new Need("s3:DeleteObject", MEDIA + "/media/" + ID + "/original", null))).isFalse();
        assertThat(Iam.allows(thumbnail, new Need("s3:PutObject", MEDIA + "/media/" + ID + "/transcode/720p.mp4", null))).isFalse();
        assertThat(Iam.allows(thumbnail, new Need("s3:PutObject", MEDIA + "/media/" + ID + "/original", null))).isFalse();
        assertThat(Iam.allows(thumbnail, new Need("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:FinalizeQueue", null))).isTrue();
        assertThat(Iam.allows(thumbnail, new Need("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:IngestQueue", null))).isFalse();
    }

    @Test
    void transcode_deletesOnlyItsScratch_andExtendsOnlyItsOwnMessages() throws IOException {
        List<Iam.Statement> transcode = of("TranscodeFunction", false);

        assertThat(Iam.allows(transcode, new Need("s3:DeleteObject", MEDIA + "/work/transcode/" + ID + "/segments/0.mkv", null))).isTrue();
        assertThat(Iam.allows(transcode, new Need("s3:DeleteObject", MEDIA + "/media/" + ID + "/manifest.json", null))).isFalse();
        assertThat(Iam.allows(transcode, new Need("sqs:ChangeMessageVisibility", "arn:aws:sqs:eu-west-1:1:TranscodeQueue", null))).isTrue();
        assertThat(Iam.allows(transcode, new Need("sqs:ChangeMessageVisibility", "arn:aws:sqs:eu-west-1:1:FinalizeQueue", null))).isFalse();
    }

    @Test
    void uploadApi_managesMultipartUploads_underTheIngestBucketsUploadsPrefixOnly_andCannotReadThem() throws IOException {
        List<Iam.Statement> api = of("UploadApiFunction", false);
        String ingest = "arn:aws:s3:::mediaflow-ingest-eu-west-1-1";
        String upload = ingest + "/uploads/user-7f3a/5b0e2c61-1111-4222-8333-444455556666/holiday.mp4";

        for (String action : List.of("s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload")) {
            assertThat(Iam.allows(api, new Need(action, upload, null))).as(action + " of an upload").isTrue();
            assertThat(Iam.allows(api, new Need(action, ingest + "/elsewhere/holiday.mp4", null))).as(action + " outside uploads/")
                    .isFalse();
            assertThat(Iam.allows(api, new Need(action, MEDIA + "/media/" + ID + "/original", null))).as(action + " of the media")
                    .isFalse();
        }
        assertThat(Iam.allows(api, new Need("s3:GetObject", upload, null))).as("reading users' uploads").isFalse();
        assertThat(Iam.allows(api, new Need("s3:ListBucketMultipartUploads", ingest, null))).isFalse();
    }

    @Test
    void kmsRights_onlyWhenTheKeyIsSet() throws IOException {
        Need decrypt = new Need("kms:Decrypt", "arn:aws:kms:eu-west-1:1:key/k", null);

        assertThat(Iam.allows(of("FinalizeFunction", false), decrypt)).isFalse();
        assertThat(Iam.allows(of("FinalizeFunction", true), decrypt)).isTrue();
    }

    @Test
    void listBucket_withAPrefixCondition_allowsOnlyThatPrefix_andWildcardActionsMatchCaseInsensitively() {
        List<Iam.Statement> s = List.of(new Iam.Statement("L", List.of("s3:List*"), List.of(MEDIA), List.of("receipts/*")),
                new Iam.Statement("G", List.of("S3:Get*"), List.of(MEDIA + "/media/*"), null));

        assertThat(Iam.allows(s, new Need("s3:ListBucket", MEDIA, "receipts/abc/"))).isTrue();
        assertThat(Iam.allows(s, new Need("s3:ListBucket", MEDIA, "media/"))).isFalse();
        assertThat(Iam.allows(s, new Need("s3:ListBucket", MEDIA, null))).as("a 404 needs ListBucket without a prefix").isFalse();
        assertThat(Iam.allows(s, new Need("s3:GetObject", MEDIA + "/media/x/original", null))).isTrue();
        assertThat(Iam.allows(s, new Need("s3:GetObject", MEDIA + "/receipts/x.json", null))).isFalse();
    }

    @Test
    void samPolicyTemplate_cannotBeChecked_andIsRefused() throws IOException {
        String yaml = Files.readString(TestPaths.template()).replaceFirst("      Policies:\n        - Statement:\n",
                "      Policies:\n        - S3CrudPolicy:\n            BucketName: !Ref MediaBucket\n        - Statement:\n");
        Path copy = tmp.resolve("template.yaml");
        Files.writeString(copy, yaml);

        assertThatThrownBy(() -> Iam.statements(Template.load(copy), "ValidateFunction", RESOLVER, c -> false))
                .hasMessageContaining("ValidateFunction.Policies uses [S3CrudPolicy]");
    }
}
