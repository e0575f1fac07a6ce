package dev.uff4j.testing;

import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real datasets for tests, loaded once per JVM from {@code -Duff4j.data} (surefire sets it to the checkout's
 * {@code data/}). Missing data skips the test with the reason, unless {@code -Duff4j.requireData=true} (CI), which
 * makes it a failure: CI fetches the data first, so its absence there is a bug.
 */
public final class RealData {
    private static final Map<DatasetId, DataSplit> CACHE = new EnumMap<>(DatasetId.class);

    private RealData() {
    }

    public static synchronized DataSplit load(DatasetId id) {
        DataSplit cached = CACHE.get(id);
        if (cached != null) {
            return cached;
        }
        String dir = System.getProperty("uff4j.data", "data");
        Path root = Path.of(dir);
        if (!Files.isDirectory(root.resolve(id.id()))) {
            String reason = id.id() + " not found under " + root.toAbsolutePath()
                    + "; run 'bin/uff4j data fetch --dataset " + id.id() + "'";
            if (Boolean.getBoolean("uff4j.requireData")) {
                fail(reason + " (uff4j.requireData=true)");
            }
            Assumptions.assumeTrue(false, reason);
        }
        DataSplit split = Datasets.load(id, root);
        CACHE.put(id, split);
        return split;
    }
}
