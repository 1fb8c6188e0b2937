package com.mediaflow.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a {@code kill -9} leaves half-written in a data folder's S3 store. S3Proxy's
 * filesystem store writes an object to {@code <key>-<random UUID>} beside it and renames it into
 * place; killed in between, that temporary file stays and is listed as an object whose bytes are a
 * torn prefix. {@link InFlightWritesHidden} hides such files only while their write runs, so on a
 * restart a receipt's leftover made its upload unreadable for good (the sweeper could not examine
 * it, and the upload never ended).
 *
 * <p>Which files go, before the S3 endpoint opens: in the stack's own buckets (media, quarantine:
 * every key there is the pipeline's, none ends in a UUID) any {@code <name>-<UUID>}; in a client's
 * bucket (ingest) nothing, since a client may name a key so. A torn upload there was never
 * acknowledged: its PUT died with the process, and the sweeper treats it as any upload.
 */
final class CrashLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(CrashLeftovers.class);
    static final Pattern TEMPORARY = Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private CrashLeftovers() {
    }

    /** @return the files removed, as paths under {@code s3Dir} */
    static List<Path> remove(Path s3Dir, Collection<String> ownBuckets) {
        List<Path> removed = new ArrayList<>();
        for (String bucket : ownBuckets) {
            Path dir = s3Dir.resolve(bucket);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (TEMPORARY.matcher(f.getFileName().toString()).matches()) {
                        Files.delete(f);
                        removed.add(s3Dir.relativize(f));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("removing half-written objects under " + dir + " failed: " + e.getMessage(), e);
            }
        }
        if (!removed.isEmpty()) {
            LOG.warn("removed {} half-written object(s) a crash left in {}: {}", removed.size(), s3Dir, removed);
        }
        return removed;
    }
}
