package com.mediaflow.shared.validation.internal.parsers.pdf;

import com.mediaflow.shared.error.MediaRejectedException;
import com.mediaflow.shared.error.ReasonCode;
import com.mediaflow.shared.validation.io.Cursor;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the streams the parser must read (cross-reference and object streams): none or
 * FlateDecode, then PNG predictors. Bounded per stream, in total, and by ratio; other filters are
 * UNSUPPORTED_TYPE, since what they hold cannot be inspected.
 */
final class StreamFilters {
    private static final int MAX_INFLATED_STREAM = 16 * 1024 * 1024;
    private static final long MAX_INFLATED_TOTAL = 64L * 1024 * 1024;
    private static final int MAX_RATIO = 1000;
    private static final int RATIO_AFTER = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Cursor c;
    private long inflatedTotal;

    StreamFilters(Cursor c) {
        this.c = c;
    }

    /**
     * The decoded data of {@code stream}; {@code resolve} resolves its /Filter and /DecodeParms
     * (identity where they must be direct).
     */
    byte[] decode(PdfStream stream, String what, UnaryOperator<PdfObject> resolve) {
        PdfDict d = stream.dict();
        PdfObject filter = d.get("Filter");
        PdfObject parms = d.get("DecodeParms");
        if (filter instanceof PdfArray l && l.size() == 1) {
            filter = l.get(0);
            parms = parms instanceof PdfArray pl && pl.size() == 1 ? pl.get(0) : parms;
        } else if (filter instanceof PdfArray l && l.size() == 0) {
            filter = null;
        }
        filter = resolve.apply(filter);
        parms = resolve.apply(parms);
        byte[] out;
        if (filter == null) {
            long length = stream.length();
            if (length > MAX_INFLATED_STREAM) {
                throw c.invalid(what + " is " + length + " bytes, expected at most " + MAX_INFLATED_STREAM);
            }
            countInflated(length, what);
            c.seek(stream.start());
            out = c.bytes((int) length, MAX_INFLATED_STREAM, what);
        } else if (filter instanceof PdfName n && n.value().equals("FlateDecode")) {
            out = inflate(stream.start(), stream.length(), what);
        } else {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, PdfSession.FORMAT + ": " + what
                    + " has /Filter " + PdfObject.describe(filter)
                    + ", expected /FlateDecode (the only filter inspected for objects)");
        }
        if (parms != null && !(parms instanceof PdfNull)) {
            if (!(parms instanceof PdfDict p)) {
                throw c.invalid(what + " has /DecodeParms " + PdfObject.describe(parms) + ", expected a dictionary");
            }
            out = predict(p, out, what);
        }
        return out;
    }

    private void countInflated(long n, String what) {
        inflatedTotal += n;
        if (inflatedTotal > MAX_INFLATED_TOTAL) {
            throw c.invalid(what + " decompresses beyond " + (MAX_INFLATED_TOTAL >> 20)
                    + " MiB of decoded streams in total");
        }
    }

    private byte[] inflate(long start, long length, String what) {
        Inflater inf = new Inflater();
        try {
            byte[] out = new byte[(int) Math.min(MAX_INFLATED_STREAM, Math.max(1024, Math.min(length * 4, 1 << 20)))];
            int outLen = 0;
            long fed = 0;
            int idle = 0;
            while (!inf.finished()) {
                if (inf.needsInput()) {
                    if (fed >= length) {
                        throw c.invalid(what + " ends (" + length + " bytes) before its compressed data does");
                    }
                    int n = (int) Math.min(CHUNK, length - fed);
                    c.seek(start + fed);
                    inf.setInput(c.bytes(n, CHUNK, what));
                    fed += n;
                }
                if (inf.needsDictionary()) {
                    throw c.invalid(what + " needs a preset zlib dictionary, which PDF does not provide");
                }
                if (outLen == out.length) {
                    if (out.length >= MAX_INFLATED_STREAM) {
                        throw c.invalid(what + " decompresses beyond " + (MAX_INFLATED_STREAM >> 20) + " MiB");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_STREAM, (long) out.length * 2));
                }
                int got = inf.inflate(out, outLen, out.length - outLen);
                outLen += got;
                countInflated(got, what);
                if (outLen > RATIO_AFTER && outLen > fed * MAX_RATIO) {
                    throw c.invalid(what + " decompresses beyond " + MAX_RATIO + " times its compressed size ("
                            + outLen + " bytes from " + fed + ")");
                }
                idle = got == 0 ? idle + 1 : 0;
                if (idle > 1000) {
                    throw c.invalid(what + " does not inflate: no progress at compressed byte " + fed);
                }
            }
            return outLen == out.length ? out : Arrays.copyOf(out, outLen);
        } catch (DataFormatException e) {
            throw c.invalid(what + " is not valid zlib data: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    /** PNG predictors (10-15): a filter-type byte before every row; 1 (none) passes. */
    private byte[] predict(PdfDict p, byte[] in, String what) {
        long predictor = intOr(p.get("Predictor"), 1, what + " /Predictor");
        if (predictor == 1) {
            return in;
        }
        if (predictor < 10 || predictor > 15) {
            throw new MediaRejectedException(ReasonCode.UNSUPPORTED_TYPE, PdfSession.FORMAT + ": " + what
                    + " has /Predictor " + predictor + ", expected 1 or a PNG predictor 10..15");
        }
        long colors = intOr(p.get("Colors"), 1, what + " /Colors");
        long bpc = intOr(p.get("BitsPerComponent"), 8, what + " /BitsPerComponent");
        long columns = intOr(p.get("Columns"), 1, what + " /Columns");
        if (colors < 1 || colors > 32 || !(bpc == 1 || bpc == 2 || bpc == 4 || bpc == 8 || bpc == 16)
                || columns < 1 || columns > (1 << 20)) {
            throw c.invalid(what + " has predictor parameters /Colors " + colors + " /BitsPerComponent " + bpc
                    + " /Columns " + columns + ", expected 1..32, 1/2/4/8/16 and 1.." + (1 << 20));
        }
        int rowBytes = (int) ((columns * colors * bpc + 7) / 8);
        int bpp = (int) Math.max(1, (colors * bpc + 7) / 8);
        int stride = rowBytes + 1;
        if (in.length % stride != 0) {
            throw c.invalid(what + " holds " + in.length + " predicted bytes, expected whole rows of " + stride);
        }
        int rows = in.length / stride;
        byte[] out = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++) {
            int type = in[r * stride] & 0xFF;
            int src = r * stride + 1;
            int dst = r * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                int x = in[src + i] & 0xFF;
                int a = i >= bpp ? out[dst + i - bpp] & 0xFF : 0;
                int b = r > 0 ? out[dst - rowBytes + i] & 0xFF : 0;
                int cc = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp] & 0xFF : 0;
                int v = switch (type) {
                    case 0 -> x;
                    case 1 -> x + a;
                    case 2 -> x + b;
                    case 3 -> x + ((a + b) >> 1);
                    case 4 -> x + paeth(a, b, cc);
                    default -> throw c.invalid(what + ": row " + r + " has PNG filter type " + type
                            + ", expected 0..4");
                };
                out[dst + i] = (byte) v;
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private long intOr(PdfObject v, long dflt, String what) {
        if (v == null || v instanceof PdfNull) {
            return dflt;
        }
        Long l = PdfNumber.integerOf(v);
        if (l != null) {
            return l;
        }
        throw c.invalid(what + " is " + PdfObject.describe(v) + ", expected an integer");
    }
}
