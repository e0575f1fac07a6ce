package dev.uff4j.backend.cuda;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The probe and the fallback, on machines without a GPU (the cases that need a GPU, or its absence, say so when
 * they are skipped). The probe must never throw, must give the root cause, and {@code auto} must fall back to the
 * CPU while {@code cuda} fails clearly.
 */
class CudaProbeTest {

    @Test
    void theProbeAnswersOnceAndNeverThrows() {
        CudaProbe.Result first = CudaProbe.probe();
        assertSame(first, CudaProbe.probe(), "the answer is cached");
        if (first.available()) {
            assertNotNull(first.device());
        } else {
            assertTrue(first.reason() != null && !first.reason().isBlank(), "a reason is given");
        }
    }

    @Test
    void withoutADriverTheReasonNamesTheMissingLibrary() {
        CudaProbe.Result probe = CudaProbe.probe();
        assumeFalse(probe.available(), "a GPU is present");
        assumeTrue(CudaProbe.class.getResource(CudaProbe.FATBIN) != null, "the kernels were not built (no nvcc)");
        assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "a GPU device node exists");
        assertTrue(probe.reason().contains("libcuda.so.1"), probe.reason());
    }

    @Test
    void autoFallsBackToTheCpuWithOneLineAndCudaFails() {
        CudaProbe.Result probe = CudaProbe.probe();
        assumeFalse(probe.available(), "a GPU is present, so auto takes it");
        List<String> notices = new ArrayList<>();
        try (Backend b = BackendFactory.open(BackendOptions.auto(), notices::add)) {
            assertInstanceOf(CpuBackend.class, b);
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains(probe.reason()), notices.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BackendFactory.open(BackendOptions.cuda(), notices::add));
        assertTrue(e.getMessage().startsWith("the cuda backend is not available: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.Kind.parse("opencl"));
    }

    @Test
    void theCommandLineExitsWithOneForCudaWithoutAGpuAndTwoForAnUnknownBackend() {
        assumeFalse(CudaProbe.probe().available(), "a GPU is present");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--dataset", "mnist", "--backend", "cuda", "--no-fetch",
            "--data", "/nonexistent-uff4j-data"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("uff4j train: the cuda backend is not available: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        err.getBuffer().setLength(0);
        code = Main.run(new String[] {"train", "--dataset", "mnist", "--backend", "opencl"},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("unknown backend 'opencl' (expected auto, cpu or cuda)"), err.toString());
    }

    /**
     * A stand-in driver (src/test/resources/stub-libcuda/libcuda.c, built with gcc) lets the JNI bindings load on a
     * machine without a GPU, so the probe gets as far as {@code cuInit} and must report the driver's error by name.
     */
    @Test
    void withAStandInDriverTheProbeReportsCuInitsError(@TempDir Path dir) throws Exception {
        assumeFalse(CudaProbe.probe().available(), "a GPU is present");
        assumeTrue(CudaProbe.class.getResource(CudaProbe.FATBIN) != null, "the kernels were not built (no nvcc)");
        Path runtime = findCudaRuntime();
        assumeTrue(runtime != null, "no libcudart.so.13 in /usr/local/cuda (the CUDA toolkit is not installed)");
        Path source = dir.resolve("libcuda.c");
        try (InputStream in = CudaProbeTest.class.getResourceAsStream("/stub-libcuda/libcuda.c")) {
            Files.copy(in, source);
        }
        Path lib = dir.resolve("libcuda.so.1");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no gcc to build the stand-in driver: " + e.getMessage());
            return;
        }
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gcc.waitFor(), "gcc: " + gccOut);

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"),
                Main.class.getName(), "info");
        pb.environment().put("LD_LIBRARY_PATH", dir + ":" + runtime);
        pb.redirectErrorStream(true);
        Process java = pb.start();
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), "uff4j info finished");
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.exitValue(), out);
        assertTrue(out.contains("cuda: not available: cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is "
                + "detected)"), out);
    }

    private static Path findCudaRuntime() {
        for (String d : new String[] {"/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"}) {
            if (Files.exists(Path.of(d, "libcudart.so.13"))) {
                return Path.of(d);
            }
        }
        return null;
    }
}
