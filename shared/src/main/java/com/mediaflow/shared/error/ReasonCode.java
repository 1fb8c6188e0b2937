package com.mediaflow.shared.error;

/**
 * Stable, machine-readable reasons for a verdict. Names never change once published;
 * docs/validation.md lists them. {@link #perUpload()} marks checks that depend on how an upload was declared (its
 * name or Content-Type) rather than on its bytes: they are judged anew for every upload, even of
 * bytes already stored.
 */
public enum ReasonCode {
    EMPTY(false, "the object has no bytes"),
    SIZE_LIMIT(false, "the object is larger than MAX_UPLOAD_BYTES"),
    UNSUPPORTED_TYPE(false, "the content is not a format Mediaflow processes"),
    EXECUTABLE(false, "the content is an executable program or script"),
    ARCHIVE_DISGUISED(false, "the content is an archive (ZIP, APK, JAR, IPA, RAR, 7z, gzip) declared as media or a document"),
    ACTIVE_MARKUP(false, "the content is HTML or SVG, which can carry script"),
    TYPE_MISMATCH(true, "the declared Content-Type or extension would make a client open the content as something else"),
    STRUCTURE_INVALID(false, "the content breaks its format's rules"),
    TRUNCATED(false, "the content ends before its structure does"),
    POLYGLOT(false, "another format is appended after the media's logical end, or an archive directory sits in its last 64 KiB"),
    PDF_ACTIVE_CONTENT(false, "the PDF carries script, launch actions, embedded files, rich media or XFA forms"),
    DOCUMENT_MACROS(false, "the office document carries macros (vbaProject.bin, a macro-enabled type, ODF Basic/ or Scripts/ parts)"),
    DOCUMENT_EMBEDDED_EXECUTABLE(false, "the document package holds an executable program (ELF, PE, Mach-O, script, APK, JAR), as a part or inside an OLE object"),
    DOCUMENT_EMBEDDED_OBJECT(false, "a warning: the office document embeds an OLE object or an ActiveX control; no executable was found in it"),
    DOCUMENT_EXTERNAL_LINK(false, "a warning: the office document has external relationships (remote templates, linked objects, hyperlinks) that a client may fetch"),
    ARCHIVE_LIMIT(false, "the document package has more entries, more uncompressed bytes or a higher compression ratio than its limits (a zip bomb)"),
    ARCHIVE_PATH_UNSAFE(false, "an entry name of the document package escapes its folder (../, an absolute path, a backslash or a drive letter)"),
    TEXT_LIMIT(false, "the text file is longer than its limit"),
    DOCUMENT_PREVIEW_INVALID(false, "a warning: the preview image embedded in the document package (docProps/thumbnail, ODF Thumbnails/, the EPUB cover) failed the validation an uploaded image must pass, or could not be decoded; the document is READY without a preview"),
    PIXEL_LIMIT(false, "the image or video is larger than MAX_PIXELS"),
    FRAME_LIMIT(false, "the animation has more frames than MAX_FRAMES"),
    DURATION_LIMIT(false, "the audio or video is longer than MAX_DURATION_SECONDS"),
    FRAME_RATE_LIMIT(false, "the video's average frame rate is above MAX_FRAME_RATE"),
    TRACK_LIMIT(false, "the container has more tracks than MAX_TRACKS"),
    DEPTH_LIMIT(false, "boxes or elements are nested deeper than MAX_NESTING_DEPTH"),
    SAMPLE_TABLE_LIMIT(false, "a sample table or index has more entries than MAX_SAMPLE_ENTRIES"),
    DECODE_FAILED(false, "a decoder could not read content that validation accepted"),
    PROPERTIES_INCOMPLETE(false, "a warning: the metadata step could not read some of a still's properties (size, bit depth, colour, alpha, frames) from its headers, or of a document package's (page, slide or sheet count, title, author), and kept the rest"),
    METADATA_DAMAGED(false, "a warning: the image's metadata (EXIF, XMP, IPTC) is broken or out of range; what was readable was kept, the rest ignored (an orientation outside 1-8 counts as upright)"),
    ICC_PROFILE_IGNORED(false, "a warning: the embedded ICC colour profile could not be read or is not RGB, so the renditions keep the stored pixel values instead of being converted to sRGB"),
    FRAME_UNDECODABLE(false, "a warning: a frame of the animation could not be decoded; its still was chosen among the frames before it"),
    PDF_PAGE_LIMIT(false, "a warning: the PDF has more pages than MAX_PDF_PAGES; its metadata was kept, but it has no preview and its text was not scanned"),
    PDF_RENDER_LIMIT(false, "a warning: the PDF's first page could not be rendered within PDF_RENDER_TIMEOUT_MS, or draws an image larger than PDF_RENDER_MAX_PIXELS; it has no preview"),
    PDF_ENCRYPTED(false, "a warning: the PDF is encrypted with a password needed to open it; only that it is encrypted is known, and it has no preview"),
    PDF_UNREADABLE(false, "a warning: PDFBox could not read a PDF our parser accepted (or its first page); what was readable was kept, and it has no preview"),
    MESSAGE_INVALID(false, "a queue message about the item or upload was malformed, named another bucket, a forged media id or a key that is not the item's; it was consumed, not retried"),
    STEP_FAILED(false, "a step (or validate, or finalize) failed on its last attempt; the message went to the dead-letter queue and a redrive can still complete the item"),
    STALLED(false, "the sweeper found an upload without a receipt, or an item PROCESSING with no change, past its limits and after its re-drives; a later completion still makes the item READY");

    private final boolean perUpload;
    private final String meaning;

    ReasonCode(boolean perUpload, String meaning) {
        this.perUpload = perUpload;
        this.meaning = meaning;
    }

    public boolean perUpload() {
        return perUpload;
    }

    /** One line for the table of codes in docs/validation.md. */
    public String meaning() {
        return meaning;
    }
}
