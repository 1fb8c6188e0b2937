package com.mediaflow.shared.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The committed ELF fixtures of src/test/resources/natives (see the README.md there), as files:
 * copied out of the classpath so that they also work from shared's test-jar.
 */
public final class NativeFixtures {

    /** x86_64; needs GLIBC_2.35 of libm.so.6 and libva.so.2: breaks both Lambda rules. */
    public static final String VIOLATES_GLIBC_235_AND_LIBVA = "violates-glibc-2.35-and-libva.so";
    /** x86_64; needs only libc.so.6 at GLIBC_2.2.5: passes. */
    public static final String CLEAN_LIBC_ONLY = "clean-libc-only.so";
    /** x86_64 static executable without a dynamic section: passes. */
    public static final String STATIC_NO_DYNAMIC = "static-no-dynamic";

    private NativeFixtures() {
    }

    /** Copies the fixture {@code name} into {@code dir} and returns the copy. */
    public static Path copy(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = NativeFixtures.class.getResourceAsStream("/natives/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /natives/" + name
                        + " on the classpath (expected one of src/test/resources/natives)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("copying fixture " + name + " to " + dir, e);
        }
    }

    /** The fixture's bytes. */
    public static byte[] bytes(String name) {
        try (InputStream in = NativeFixtures.class.getResourceAsStream("/natives/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /natives/" + name
                        + " on the classpath (expected one of src/test/resources/natives)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading fixture " + name, e);
        }
    }
}
