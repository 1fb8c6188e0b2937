package com.mediaflow.shared.internal.isobmff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.mediaflow.testkit.Corpus;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one HEIF item reader: typed errors with offsets, one set of limits, the HEVC coded size. */
class HeifMetaReaderTest {

    @Test
    void read_duplicateItemId_failsAtTheSecondInfeWithItsOffset() {
        byte[] file = builder().build();
        HeifBuilder dup = builder();
        dup.duplicateId = 2;
        byte[] bad = dup.build();
        // the duplicate is the last 'infe': the iinf of the good file ends where it starts
        int duplicateAt = indexOf(bad, "infe", 4) - 4;

        assertThatExceptionOfType(IsoBmffException.class).isThrownBy(() -> read(bad))
                .matches(e -> e.kind() == IsoBmffException.Kind.INVALID)
                .matches(e -> e.offset() == duplicateAt)
                .withMessage("'infe' at offset " + duplicateAt + " declares item 2 a second time");
        assertThat(read(file).items()).hasSize(3);
    }

    @Test
    void read_eightByteIlocOffsets_giveTheSameExtentsAsFourByteOnes() {
        HeifBuilder wide = builder();
        wide.offsetSize = 8;
        HeifItems narrow = read(builder().build());
        HeifItems eight = read(wide.build());

        // the meta grows by 4 bytes per item, so every file extent moves by 12
        assertThat(eight.item(1).orElseThrow().extents().get(0).offset())
                .isEqualTo(narrow.item(1).orElseThrow().extents().get(0).offset() + 12);
        assertThat(eight.item(3).orElseThrow().extents()).isEqualTo(narrow.item(3).orElseThrow().extents());
    }

    @Test
    void read_itemsUpToTheLimit_areRead_oneMoreIsInvalid() {
        HeifBuilder atLimit = builder();
        atLimit.extraItems = HeifMetaReader.MAX_ITEMS - 3;
        HeifBuilder over = builder();
        over.extraItems = HeifMetaReader.MAX_ITEMS - 2;

        assertThat(read(atLimit.build()).items()).hasSize(HeifMetaReader.MAX_ITEMS);
        assertThatExceptionOfType(IsoBmffException.class).isThrownBy(() -> read(over.build()))
                .withMessageContaining("declares " + (HeifMetaReader.MAX_ITEMS + 1) + " items, expected at most "
                        + HeifMetaReader.MAX_ITEMS);
    }

    @Test
    void read_ilocWithZeroWidthFields_isCappedByItsExtentsInAll() {
        // a few bytes per item make 4,096 extents each when offset and length fields are 0 bytes wide
        int items = HeifMetaReader.MAX_EXTENTS_TOTAL / HeifMetaReader.MAX_EXTENTS + 1;
        ByteBuffer iloc = ByteBuffer.allocate(4 + 2 + 2 + items * 8);
        iloc.putInt(1 << 24).putShort((short) 0).putShort((short) items);
        for (int id = 1; id <= items; id++) {
            iloc.putShort((short) id).putShort((short) 0).putShort((short) 0)
                    .putShort((short) HeifMetaReader.MAX_EXTENTS);
        }
        byte[] meta = HeifBuilder.full("meta", 0, HeifBuilder.box("iloc", iloc.array()));

        assertThatExceptionOfType(IsoBmffException.class)
                .isThrownBy(() -> HeifMetaReader.read(ByteBuffer.wrap(meta, 8, meta.length - 8), 8, 0, 1000))
                .withMessage("'iloc' at offset 12 has more than " + HeifMetaReader.MAX_EXTENTS_TOTAL
                        + " extents in all");
    }

    @Test
    void picture_gridNotCoveringItsOutput_failsAtTheMetaBox() {
        HeifBuilder b = builder();
        b.outputWidth = 64 * 2 + 1;
        byte[] file = b.build();
        HeifItems items = read(file);

        assertThatExceptionOfType(IsoBmffException.class)
                .isThrownBy(() -> HeifPicture.of(items, (offset, length) -> new byte[length], 1L << 28))
                .matches(e -> e.offset() == 24)
                .matches(e -> e.describe().endsWith("too few for its output size 129x48 (box at offset 24)"));
    }

    @Test
    void hevcSps_codedSize_isTheCroppedSizeOfTheCorpusPictures() {
        // what FFmpeg outputs for them (HeifDecoderTest): 640x426, and the iPhone's 512x512 tiles
        assertThat(codedSizes("heic/samplefilehub.heif")).containsOnly(List.of(640L, 426L));
        assertThat(codedSizes("heic/IMG_5195.HEIC")).containsOnly(List.of(512L, 512L));
        assertThat(HevcSps.codedSize(new byte[23])).isNull();
    }

    private static List<List<Long>> codedSizes(String corpusFile) {
        try (HeifFile heif = HeifFile.open(Corpus.file(corpusFile))) {
            return heif.items().items().values().stream().filter(i -> i.type().equals("hvc1"))
                    .map(i -> HevcSps.codedSize(i.property(HeifItems.Hvcc.class).orElseThrow().record()))
                    .map(s -> List.of(s[0], s[1])).toList();
        }
    }

    private static HeifBuilder builder() {
        // a stand-in hvcC (no SPS) and payload: the reader reads boxes, not bitstreams
        return new HeifBuilder(new byte[23], new byte[100], 64, 48);
    }

    private static HeifItems read(byte[] file) {
        int metaAt = 24;
        int size = ByteBuffer.wrap(file, metaAt, 4).getInt();
        return HeifMetaReader.read(ByteBuffer.wrap(file, metaAt + 8, size - 8), metaAt + 8, metaAt, file.length);
    }

    private static int indexOf(byte[] b, String type, int occurrence) {
        byte[] t = HeifBuilder.ascii(type);
        int seen = 0;
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == t[0] && b[i + 1] == t[1] && b[i + 2] == t[2] && b[i + 3] == t[3] && ++seen == occurrence) {
                return i;
            }
        }
        throw new AssertionError(type + " #" + occurrence + " not found");
    }
}
