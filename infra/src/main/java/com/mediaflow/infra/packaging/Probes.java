package com.mediaflow.infra.packaging;

import com.mediaflow.infra.probe.ColdStartProbe;
import com.mediaflow.infra.probe.NativeLoadProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The probe classes ({@link NativeLoadProbe}, {@link ColdStartProbe}) copied alone into a folder,
 * to put beside a Lambda package on a JVM's class path: the JVM then sees the package's classes and
 * those two, nothing of infra's own class path.
 */
public final class Probes {
    private static final List<Class<?>> CLASSES = List.of(NativeLoadProbe.class, ColdStartProbe.class);

    private Probes() {
    }

    /** Writes the probe classes under {@code dir} and returns it. */
    public static Path writeTo(Path dir) throws IOException {
        for (Class<?> type : CLASSES) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("cannot read " + resource + " from infra's class path");
                }
                Path out = dir.resolve(resource);
                Files.createDirectories(out.getParent());
                Files.write(out, in.readAllBytes());
            }
        }
        return dir;
    }
}
