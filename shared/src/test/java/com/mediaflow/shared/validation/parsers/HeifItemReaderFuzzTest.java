package com.mediaflow.shared.validation.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.codec.heif.HeifItemReader;
import com.mediaflow.shared.codec.heif.HeifItems;
import com.mediaflow.shared.error.CodecException;
import java.nio.file.Path;

/**
 * The HEIF item reader the decoder uses reads untrusted bytes too (after validation accepted
 * them): on any input it returns items or throws its typed CodecException. Seeds are small HEIF
 * and AVIF files. Fuzz with {@code shared/fuzz HeifItemReaderFuzzTest MINUTES}.
 */
public class HeifItemReaderFuzzTest {
    private static final Path FILE = FuzzSupport.scratchFile(".heif");

    @FuzzTest
    void parse(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        FuzzSupport.write(FILE, data);
        try (HeifItemReader reader = HeifItemReader.open(FILE)) {
            HeifItems items = reader.items();
            for (HeifItems.Item item : items.items().values()) {
                if (item.type().equals("grid")) {
                    reader.grid(items, item);
                } else {
                    reader.data(items, item);
                }
            }
        } catch (CodecException expected) {
            // the reader's one typed exception
        }
    }
}
