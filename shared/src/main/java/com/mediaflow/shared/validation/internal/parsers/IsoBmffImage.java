package com.mediaflow.shared.validation.internal.parsers;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import com.mediaflow.shared.internal.isobmff.HeifMetaReader;
import com.mediaflow.shared.internal.isobmff.HeifPicture;
import com.mediaflow.shared.internal.isobmff.IsoBmffException;
import com.mediaflow.shared.validation.Limits;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import com.mediaflow.shared.validation.internal.parsers.IsoBmffBoxes.Box;
import java.nio.ByteBuffer;

/**
 * A HEIF/AVIF image: the top-level {@code meta} is read by {@link HeifMetaReader}, the item reader the
 * HEIF decoder uses, and when its handler is {@code pict} its primary picture is checked by
 * {@link HeifPicture} as the decoder will build it, so what is accepted here is decodable. The
 * shared reader's findings become this parser's rejections and warnings.
 */
final class IsoBmffImage {
    private final IsoBmffBoxes boxes;
    private final Cursor c;
    private final Limits limits;
    private final String fmt;
    private final long fileSize;
    private HeifItems image;

    IsoBmffImage(IsoBmffBoxes boxes) {
        this.boxes = boxes;
        this.c = boxes.c;
        this.limits = boxes.limits;
        this.fmt = boxes.fmt;
        this.fileSize = boxes.fileSize;
    }

    /** True when a top-level 'meta' was read and its handler is 'pict'. */
    boolean isImage() {
        return image != null && image.image();
    }

    /** The top-level 'meta': read by the one HEIF item reader, which the decoder uses too. */
    void topMeta(Box meta) {
        long length = meta.body().remaining();
        if (length > HeifMetaReader.MAX_META_BYTES) {
            throw c.invalid("'meta' at offset " + meta.at() + " is " + length + " bytes, expected at most "
                    + HeifMetaReader.MAX_META_BYTES);
        }
        byte[] body = meta.body().bytes((int) length, (int) HeifMetaReader.MAX_META_BYTES, "the 'meta' box");
        try {
            image = HeifMetaReader.read(ByteBuffer.wrap(body), meta.body().start(), meta.at(), fileSize);
        } catch (IsoBmffException e) {
            throw rejected(e);
        }
        image.warnings().forEach(boxes::warn);
    }

    /** The primary picture, checked as the decoder will build it; the report has its stored size. */
    void finishImage() {
        HeifPicture picture;
        try {
            picture = HeifPicture.of(image, (offset, length) -> {
                c.seek(offset);
                return c.bytes(length, length, "item data at offset " + offset);
            }, limits.maxPixels());
        } catch (IsoBmffException e) {
            throw rejected(e);
        }
        boxes.report.dimensions(picture.width(), picture.height()).frames(1);
    }

    private MediaRejectedException rejected(IsoBmffException e) {
        return switch (e.kind()) {
            case INVALID -> c.invalid(e.describe());
            case TRUNCATED -> c.truncated(e.describe());
            case PIXELS -> new MediaRejectedException(ReasonCode.PIXEL_LIMIT, fmt + ": " + e.describe(), e);
        };
    }
}
