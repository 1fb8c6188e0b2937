package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.internal.isobmff.HeifMetaReader;
import com.mediaflow.shared.internal.isobmff.HeifPicture;
import com.mediaflow.shared.validation.FormatParser;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.validation.StructureReport;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.IsoBmffBoxes.Box;
import java.util.Set;

/**
 * The ISO base media file format family: MP4, MOV (QuickTime), M4A, 3GP and HEIF/HEIC/AVIF.
 *
 * <p>Walks the box tree (every box inside its parent and the file, depth and box count capped),
 * recursing only into known containers and never reading {@code mdat}. A {@code moov} is a movie:
 * {@code mvhd}/{@code tkhd}/{@code mdhd} timing and size, and every track's sample tables checked
 * against each other ({@code stts} against {@code stsz}, {@code stsc} over the chunks of
 * {@code stco}/{@code co64} against {@code stsz}) and every chunk's samples against the end of the
 * file, in one pass over the tables; {@code esds} descriptors; fragments' {@code trun} counts and
 * data offsets. The top-level {@code meta} is read by {@link HeifMetaReader}, the item reader the
 * HEIF decoder uses, and when its handler is {@code pict} (an image) its primary picture is checked
 * by {@link HeifPicture} as the decoder will build it, so what is accepted here is decodable. The
 * report gives the stored (unrotated) size of the primary video track or image item.
 *
 * <p>The parts, by what changes together: this class walks the top level and holds the
 * {@code ftyp} and brand rules; {@link IsoBmffBoxes} reads box headers; {@link IsoBmffMovie} the
 * movie and its fragments, {@link IsoBmffSampleTables} each track's sample tables; and
 * {@link IsoBmffImage} hands the HEIF {@code meta} to the shared {@code isobmff} reader.
 */
public final class IsoBmffParser implements FormatParser {
    /** Compatible brands read from {@code ftyp}. */
    private static final int MAX_BRANDS = 1024;
    private static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1",
            "msf1", "avif", "avis", "mif2");

    @Override
    public StructureReport parse(Cursor cursor, Limits limits) {
        return new Walk(cursor, limits).run();
    }

    /** The state of one parse: the top level; the movie and the image keep their own. */
    private static final class Walk {
        private final Cursor c;
        private final Limits limits;
        private final String fmt;
        private final IsoBmffBoxes boxes;
        private final IsoBmffMovie movie;
        private final IsoBmffImage image;
        private boolean imageBrand;
        private boolean moovSeen;
        private boolean metaSeen;

        Walk(Cursor c, Limits limits) {
            this.c = c;
            this.limits = limits;
            this.fmt = c.format();
            this.boxes = new IsoBmffBoxes(c, limits);
            this.movie = new IsoBmffMovie(boxes);
            this.image = new IsoBmffImage(boxes);
        }

        StructureReport run() {
            long logicalEnd = c.position();
            boolean ftyp = false;
            int index = 0;
            while (c.remaining() >= 8) {
                long at = c.position();
                String type = boxes.fourccAt(at + 4);
                if (ftyp && !IsoBmffBoxes.printable(type)) {
                    break; // not a box: something else follows the boxes; the validator judges it
                }
                Box b = boxes.next(c, 1, true);
                index++;
                if (!ftyp) {
                    if (b.type().equals("ftyp")) {
                        ftyp = true;
                    } else if (!b.type().equals("free") && !b.type().equals("skip") && !b.type().equals("wide")) {
                        throw c.invalid("expected 'ftyp' as the first box, found '" + IsoBmffBoxes.printableType(b.type())
                                + "' at offset " + at + " (box " + index + ")");
                    }
                }
                switch (b.type()) {
                    case "ftyp" -> ftyp(b);
                    case "moov" -> {
                        if (moovSeen) {
                            throw c.invalid("a second 'moov' box at offset " + at + ", expected one");
                        }
                        moovSeen = true;
                        movie.movie(b);
                    }
                    case "meta" -> {
                        if (metaSeen) {
                            throw c.invalid("a second top-level 'meta' box at offset " + at + ", expected one");
                        }
                        metaSeen = true;
                        image.topMeta(b);
                    }
                    case "moof" -> movie.moof(b);
                    case "mdat", "free", "skip", "wide" -> {
                        // never read media data or padding
                    }
                    default -> boxes.other(b);
                }
                logicalEnd = b.end();
            }
            if (!ftyp) {
                throw c.invalid("no 'ftyp' box, expected one at offset 0");
            }
            boolean isImage = image.isImage();
            if (!moovSeen && !isImage) {
                throw c.invalid("no 'moov' box (a movie) and no top-level 'meta' box with handler 'pict' (an image)"
                        + (imageBrand ? "; the brands say image but there is no 'pict' meta" : ""));
            }
            if (moovSeen) {
                movie.finishMovie(!isImage);
            }
            if (isImage) {
                image.finishImage();
                long sequenceFrames = movie.sequenceFrames();
                if (sequenceFrames > 1) {
                    limits.checkFrames(fmt, sequenceFrames);
                    boxes.report.frames(sequenceFrames);
                }
            }
            return boxes.report.logicalEnd(logicalEnd).build();
        }

        private void ftyp(Box b) {
            Cursor body = b.body();
            if (body.remaining() < 8) {
                throw c.invalid("'ftyp' at offset " + b.at() + " is " + b.size() + " bytes, expected at least 16");
            }
            String major = body.fourcc();
            body.u32be();
            imageBrand |= IMAGE_BRANDS.contains(major);
            for (int i = 0; i < MAX_BRANDS && body.remaining() >= 4; i++) {
                imageBrand |= IMAGE_BRANDS.contains(body.fourcc());
            }
        }
    }
}
