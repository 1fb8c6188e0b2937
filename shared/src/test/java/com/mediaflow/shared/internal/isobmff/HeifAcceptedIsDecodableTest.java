package com.mediaflow.shared.internal.isobmff;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.codec.HeifDecoder;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.Reason;
import com.mediaflow.shared.validation.StructureValidator;
import com.mediaflow.shared.validation.Verdict;
import com.mediaflow.shared.validation.io.ArrayByteSource;
import com.mediaflow.testkit.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariant one item reader buys: every HEIF that validation accepts is decoded; one the
 * decoder would refuse is refused by validation itself, with a reason. Never accepted, stored,
 * then refused by the decoder (which quarantines a user's photo as DECODE_FAILED).
 */
class HeifAcceptedIsDecodableTest {
    private static final Limits LIMITS = Limits.DEFAULTS;
    /** Mutants per corpus file; seeded, so every run checks the same ones. */
    private static final int MUTANTS = 150;

    @TempDir
    static Path tmp;
    private static byte[] single;
    private static byte[] iphone;
    private static byte[] hvcC;
    private static byte[] payload;
    private static HeifItems.Ispe ispe;

    @BeforeAll
    static void corpus() throws IOException {
        Path sample = Corpus.file("heic/samplefilehub.heif");
        single = Files.readAllBytes(sample);
        iphone = Files.readAllBytes(Corpus.file("heic/IMG_5195.HEIC"));
        try (HeifFile heif = HeifFile.open(sample)) {
            HeifItems.Item primary = heif.items().primary();
            hvcC = primary.property(HeifItems.Hvcc.class).orElseThrow().record();
            ispe = primary.property(HeifItems.Ispe.class).orElseThrow();
            payload = heif.data(primary);
        }
    }

    /** What happened to one file: validation's verdict, and the decoder's size or failure. */
    record Outcome(Verdict verdict, String decoded, CodecException failure) {
        String decodeFailure() {
            return failure == null ? null : failure.getMessage();
        }

        boolean acceptedThenRefused() {
            return verdict.accepted() && failure != null;
        }

        /**
         * Whether the decoder refused the container, not the coded bitstream: the item structure
         * (the shared reader's IsoBmffException), or a tile whose coded size is not its 'ispe'.
         */
        boolean structural() {
            return failure.getCause() instanceof IsoBmffException
                    || failure.getMessage().contains("as its 'ispe' says");
        }

        String rejection() {
            return verdict.reasons().stream().filter(Reason::rejects).map(r -> r.code() + ": " + r.message())
                    .findFirst().orElse(null);
        }
    }

    // --- the corpus ------------------------------------------------------------------------------

    @Test
    void corpusHeics_areAcceptedAndDecoded() {
        Outcome sample = judge(single);
        Outcome phone = judge(iphone);

        assertThat(sample.verdict().accepted()).as(sample.rejection()).isTrue();
        assertThat(sample.decoded()).isEqualTo(ispe.width() + "x" + ispe.height());
        assertThat(phone.verdict().accepted()).as(phone.rejection()).isTrue();
        assertThat(phone.decoded()).isEqualTo("2566x3313");
    }

    // --- crafted variants ------------------------------------------------------------------------

    @Test
    void builtGrid_isAcceptedAndDecoded_soTheVariantsBreakOneThingEach() {
        Outcome o = judge(grid().build());

        assertThat(o.verdict().accepted()).as(o.rejection()).isTrue();
        assertThat(o.decoded()).isEqualTo((ispe.width() * 2) + "x" + ispe.height());
    }

    @Test
    void ilocWithEightByteOffsets_isAcceptedAndDecoded() {
        HeifBuilder b = grid();
        b.offsetSize = 8;

        Outcome o = judge(b.build());

        assertThat(o.verdict().accepted()).as(o.rejection()).isTrue();
        assertThat(o.decodeFailure()).isNull();
    }

    @Test
    void duplicateItemId_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.duplicateId = 1;

        assertRefused(b, "declares item 1 a second time");
    }

    @Test
    void gridReferencingAMissingTile_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.dimg = List.of(1L, 9L);

        assertRefused(b, "refers to item 9, which is missing from 'iinf'");
    }

    @Test
    void extentBeyondTheFile_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.lastTileShift = 100;

        assertRefused(b, "passes the end of the file");
    }

    @Test
    void itemCountOverTheLimit_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.extraItems = HeifMetaReader.MAX_ITEMS;

        assertRefused(b, "expected at most " + HeifMetaReader.MAX_ITEMS);
    }

    @Test
    void gridWhoseTilesDoNotCoverItsOutput_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.outputWidth = ispe.width() * 2 + 1;

        assertRefused(b, "too few for its output size");
    }

    @Test
    void tileWhoseIspeIsNotItsCodedSize_isRefusedByValidation() {
        HeifBuilder b = grid();
        b.tileWidth = ispe.width() / 2;
        b.outputWidth = b.tileWidth * 2;

        assertRefused(b, "but the SPS in its 'hvcC' codes " + ispe.width() + "x" + ispe.height());
    }

    // --- mutants ---------------------------------------------------------------------------------

    /**
     * Seeded bit flips in the {@code meta} box of both corpus HEICs. A mutant validation accepts
     * is decoded, or the decoder refuses its coded bitstream. Validation checks the NAL framing of
     * each tile's {@code hvcC} and data ({@code HevcNals}: lengths, headers, an IRAP first slice),
     * which took these from 11 of 157 mutants to 3; what is left are flips inside a parameter
     * set's fields, which need an HEVC decoder to see, and validation runs none. The item
     * structure never fails in the decoder after validation accepted it.
     */
    @Test
    void mutantsOfTheCorpusMeta_areDecodedWheneverValidationAcceptsThem() {
        List<String> broken = new ArrayList<>();
        List<String> bitstream = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        for (byte[] file : List.of(single, iphone)) {
            int metaAt = 24; // both files: ftyp (24 bytes), then meta
            int metaEnd = metaAt + readU32(file, metaAt);
            Random random = new Random(11);
            int mutants = file == single ? MUTANTS : MUTANTS / 20; // the iPhone grid decodes 42 tiles
            for (int m = 0; m < mutants; m++) {
                byte[] mutant = file.clone();
                StringBuilder flips = new StringBuilder();
                for (int f = 1 + random.nextInt(2); f > 0; f--) {
                    int at = metaAt + 8 + random.nextInt(metaEnd - metaAt - 8);
                    int bit = 1 << random.nextInt(8);
                    mutant[at] ^= (byte) bit;
                    flips.append(" ").append(at).append("^").append(bit);
                }
                Outcome o = judge(mutant);
                if (o.acceptedThenRefused() && !o.structural()) {
                    bitstream.add((file == single ? "samplefilehub" : "IMG_5195") + flips);
                } else if (o.acceptedThenRefused()) {
                    broken.add((file == single ? "samplefilehub" : "IMG_5195") + flips + ": " + o.decodeFailure());
                } else if (o.verdict().accepted()) {
                    accepted++;
                } else {
                    assertThat(o.rejection()).isNotNull();
                    refused++;
                }
            }
        }

        assertThat(broken).as("accepted by validation, then the item structure refused by the decoder").isEmpty();
        // the mutants exercise both sides, and most accepted ones decode
        assertThat(accepted).isGreaterThan(10);
        assertThat(refused).isGreaterThan(10);
        assertThat(bitstream.size()).as("bitstream refusals %s", bitstream).isLessThan(accepted);
        assertThat(bitstream.size()).as("refused by the decoder though their framing is sound: flips inside parameter sets %s",
                bitstream).isLessThanOrEqualTo(3);
        System.out.printf("HEIF meta mutants: %d decoded, %d refused by validation, %d bitstreams refused"
                + " by the decoder%n", accepted, refused, bitstream.size());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static HeifBuilder grid() {
        return new HeifBuilder(hvcC, payload, ispe.width(), ispe.height());
    }

    private static void assertRefused(HeifBuilder b, String reason) {
        Outcome o = judge(b.build());

        assertThat(o.verdict().accepted()).as("validation accepted; the decoder said: %s", o.decodeFailure())
                .isFalse();
        assertThat(o.rejection()).contains("STRUCTURE_INVALID").contains(reason);
    }

    /** Validation's verdict; and when it accepts, the decoder's outcome (a refused file is never stored). */
    private static Outcome judge(byte[] heif) {
        Verdict verdict = new StructureValidator(LIMITS).validate(new ArrayByteSource(heif), "image/heic", "x.heic")
                .verdict();
        if (!verdict.accepted()) {
            return new Outcome(verdict, null, null);
        }
        Path file = tmp.resolve("candidate.heic");
        try {
            Files.write(file, heif);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Frame frame = HeifDecoder.decodePrimary(file, LIMITS)) {
            return new Outcome(verdict, frame.imageWidth + "x" + frame.imageHeight, null);
        } catch (CodecException e) {
            return new Outcome(verdict, null, e);
        }
    }

    private static int readU32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
