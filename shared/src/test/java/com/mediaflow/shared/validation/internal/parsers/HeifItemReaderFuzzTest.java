package com.mediaflow.shared.validation.internal.parsers;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.mediaflow.shared.error.CodecException;
import com.mediaflow.shared.internal.isobmff.HeifFile;
import com.mediaflow.shared.internal.isobmff.HeifItems;
import java.nio.file.Path;

/**
 * The HEIF item reader ({@code isobmff.HeifMetaReader}, through the decoder's {@link HeifFile})
 * reads untrusted bytes: on any input it returns items and the checked primary picture, or throws
 * its typed CodecException. Seeds are small HEIF
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
        try (HeifFile heif = HeifFile.open(FILE)) {
            HeifItems items = heif.items();
            if (items.image()) {
                heif.picture(16384L * 16384L);
            }
            for (HeifItems.Item item : items.items().values()) {
                try {
                    heif.data(item);
                } catch (CodecException expected) {
                    // an item without readable data: the next one
                }
            }
        } catch (CodecException expected) {
            // the reader's one typed exception
        }
    }
}
