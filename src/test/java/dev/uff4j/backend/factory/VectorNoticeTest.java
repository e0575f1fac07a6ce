package dev.uff4j.backend.factory;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without the Vector API module the CPU backend says so in one line, with the flag that adds it; with it, nothing. */
class VectorNoticeTest {
    private static List<String> open(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpenCpuBackend.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child ended");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }

    @Test
    void withoutTheModuleOneLineSaysHowToAddIt() throws Exception {
        assertEquals(List.of("notice: the Vector API module is not loaded, so the cpu backend uses its slower "
                + "pure-Java GEMM; add --add-modules jdk.incubator.vector to the java command for the faster one",
                "opened cpu"), open());
    }

    @Test
    void withTheModuleThereIsNoNotice() throws Exception {
        List<String> lines = open("--add-modules", "jdk.incubator.vector");
        // a JVM whose preferred vector is narrower than 256 bits keeps the blocked kernel and says nothing either
        assertEquals(List.of("opened cpu"), lines);
    }
}
