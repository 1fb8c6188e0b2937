package com.mediaflow.shared.validation;

import com.mediaflow.shared.format.MediaFormat;
import com.mediaflow.shared.validation.internal.parsers.BmpParser;
import com.mediaflow.shared.validation.internal.parsers.EbmlParser;
import com.mediaflow.shared.validation.internal.parsers.FlacParser;
import com.mediaflow.shared.validation.internal.parsers.GifParser;
import com.mediaflow.shared.validation.internal.parsers.IsoBmffParser;
import com.mediaflow.shared.validation.internal.parsers.JpegParser;
import com.mediaflow.shared.validation.internal.parsers.Mp3Parser;
import com.mediaflow.shared.validation.internal.parsers.OggParser;
import com.mediaflow.shared.validation.internal.parsers.PngParser;
import com.mediaflow.shared.validation.internal.parsers.TextParser;
import com.mediaflow.shared.validation.internal.parsers.TiffParser;
import com.mediaflow.shared.validation.internal.parsers.WavParser;
import com.mediaflow.shared.validation.internal.parsers.WebpParser;
import com.mediaflow.shared.validation.internal.parsers.document.PackageParser;
import com.mediaflow.shared.validation.internal.parsers.pdf.PdfParser;
import java.util.Optional;

/** Which structural parser checks which format. Every accepted format has one. */
public final class Parsers {
    private Parsers() {
    }

    public static Optional<FormatParser> forFormat(MediaFormat format) {
        FormatParser parser = switch (format) {
            case JPEG -> new JpegParser();
            case PNG -> new PngParser();
            case GIF -> new GifParser();
            case WEBP -> new WebpParser();
            case BMP -> new BmpParser();
            case TIFF -> new TiffParser();
            case HEIC, AVIF, MP4, MOV, THREE_GP, M4A -> new IsoBmffParser();
            case WEBM, MKV -> new EbmlParser();
            case MP3 -> new Mp3Parser();
            case OGG -> new OggParser();
            case WAV -> new WavParser();
            case FLAC -> new FlacParser();
            case PDF -> new PdfParser();
            case DOCX, XLSX, PPTX, DOCM, XLSM, PPTM, ODT, ODS, ODP, EPUB -> new PackageParser(format);
            case TEXT -> new TextParser();
            default -> null;
        };
        return Optional.ofNullable(parser);
    }
}
