package dev.uff4j.examples;

import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each example on a part of MNIST and checks what it must achieve. */
class ExamplesTest {
    private static final Path DATA = Path.of(System.getProperty("uff4j.data", "../../data"));

    /** The README's Java example, which this file is, prints what the README says. */
    @Test
    void theQuickstartPrintsItsAccuracyAndAPrediction(@TempDir Path dir) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Quickstart.main(new String[] {DATA.toString(), dir.resolve("q.uff").toString()});
        } finally {
            System.setOut(out);
        }
        assertEquals(List.of("test accuracy 96.60%", "predicted 7, label 7", "10000 x 1000 features"),
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void trainSavePredictGivesTheSameAccuracyFromTheLoadedCheckpoint(@TempDir Path dir) {
        TrainSavePredict.Result r = TrainSavePredict.run(DATA, dir.resolve("m.uff"), 2, 20_000);
        assertEquals(r.trainerAccuracy(), r.predictorAccuracy(), 1e-12,
                "the saved and loaded model classifies the test set as the trained one did");
        // a short budget (2 epochs on a third of MNIST: 89.4% when measured); chance is 10%
        assertTrue(r.predictorAccuracy() > 0.85, "2 epochs on 20000 digits: " + r.predictorAccuracy());
    }

    @Test
    void aCsvFileGoesFromReadingToASubmission(@TempDir Path dir) throws IOException {
        CsvEndToEnd.Result r = CsvEndToEnd.run(DATA, dir, 12_000, 6);
        assertEquals(10_800, r.trainRows(), "90% of the rows train, 10% validate");
        assertEquals(2000, r.testRows());
        assertTrue(r.epochsRun() >= 1 && r.epochsRun() <= 6);
        // up to 6 epochs on 10800 rows (87.8% validation, 87.3% test when measured); chance is 10%
        assertTrue(r.validationAccuracy() > 0.83, "validation: " + r.validationAccuracy());
        assertTrue(r.testAccuracy() > 0.83, "test: " + r.testAccuracy());
        List<String> lines = Files.readAllLines(r.submission());
        assertEquals(2001, lines.size());
        assertEquals("ImageId,Label", lines.get(0));
        assertTrue(lines.get(1).matches("1,[0-9]"), lines.get(1));
    }

    /**
     * Without the uff4j-cuda dependency, nothing CUDA is on the class path and auto says so in a line; with it
     * ({@code mvn -Pcuda}), the presets are found and auto takes the GPU where the machine has one.
     */
    @Test
    void theGpuBackendIsFoundExactlyWhenThePresetsAreThere() {
        boolean presets = Boolean.getBoolean("uff4j.expectPresets");
        BackendProvider.Availability cuda = BackendFactory.availability(BackendOptions.Kind.CUDA);
        if (presets) {
            assertTrue(cuda.available() || !cuda.reason().contains("not on the class path"), String.valueOf(cuda));
        } else {
            assertEquals(false, cuda.available());
            assertTrue(cuda.reason().startsWith("the JavaCPP CUDA presets are not on the class path (add the "
                    + "dependency dev.uff4j:uff4j-cuda"), cuda.reason());
        }
        StringBuilder notice = new StringBuilder();
        try (var backend = BackendFactory.open(BackendOptions.auto(), notice::append)) {
            assertEquals(cuda.available() ? "cuda" : "cpu", backend.name());
        }
    }

    /** Apart from the test framework, the class path holds the examples and uff4j's jar, and nothing else. */
    @Test
    void uff4jAloneIsTheRuntimeClassPath() {
        if (Boolean.getBoolean("uff4j.expectPresets")) {
            return; // -Pcuda adds the presets on purpose
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> names = Arrays.stream(classPath.split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).toList();
        assertTrue(names.contains("uff4j-0.1.0.jar"), "the library is on the class path: " + names);
        List<String> others = names.stream()
                .filter(n -> !n.equals("classes") && !n.equals("test-classes") && !n.startsWith("surefire"))
                .filter(n -> !n.startsWith("junit-") && !n.startsWith("opentest4j") && !n.startsWith("apiguardian"))
                .filter(n -> !n.equals("uff4j-0.1.0.jar"))
                .toList();
        assertEquals(List.of(), others);
    }
}
