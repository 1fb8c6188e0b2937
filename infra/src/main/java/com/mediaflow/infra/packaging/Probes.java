package com.mediaflow.infra.packaging;

import com.mediaflow.infra.probe.ColdStartProbe;
import com.mediaflow.infra.probe.NativeLoadProbe;
import com.mediaflow.testkit.LocalContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The probe classes ({@link NativeLoadProbe}, {@link ColdStartProbe}) copied alone into a folder,
 * to put beside a Lambda package on a JVM's class path: the JVM then sees the package's classes and
 * those two, nothing of infra's own class path. The cold-start probe's {@link LocalContext} (from
 * the test kit, which no package ships) is copied with them, with its logger class.
 */
public final class Probes {
    private static final List<String> RESOURCES = List.of(
            resource(NativeLoadProbe.class), resource(ColdStartProbe.class),
            resource(LocalContext.class), "com/mediaflow/testkit/LocalContext$Slf4jLambdaLogger.class");

    private Probes() {
    }

    /** Writes the probe classes under {@code dir} and returns it. */
    public static Path writeTo(Path dir) throws IOException {
        for (String resource : RESOURCES) {
            try (InputStream in = Probes.class.getClassLoader().getResourceAsStream(resource)) {
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

    private static String resource(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }
}
