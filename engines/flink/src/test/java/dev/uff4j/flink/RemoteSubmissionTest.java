package dev.uff4j.flink;

import dev.uff4j.distributed.PipelineJob;
import dev.uff4j.model.ModelSpec;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code jobmanager=host:port} path: the job submitted through a cluster's REST endpoint with the engine's and
 * uff4j's jars shipped. The "cluster" is a MiniCluster in this JVM; the shipped jars are what its tasks load.
 */
class RemoteSubmissionTest {
    @Test
    void aJobSubmittedToAClusterRestEndpointTrainsTheSameModel(@TempDir Path dir) throws Exception {
        ModelSpec spec = Fixtures.spec();
        Path engineJar = jar(Path.of("target/classes"), dir.resolve("uff4j-flink.jar"));
        Path uff4jJar = Path.of(PipelineJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (LocalCluster cluster = LocalCluster.start(new Configuration(), 1, LayerPipeline.slots(2))) {
            URI rest = cluster.miniCluster().getRestAddress().get();
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            FlinkPipelineEngine.Result result = new FlinkPipelineEngine().run(Fixtures.job(spec, Map.of(
                    "jobmanager", rest.getHost() + ":" + rest.getPort(),
                    "jars", engineJar + "," + uff4jJar,
                    "checkpoint-interval-ms", "300"), log));
            Fixtures.assertBitIdentical(Fixtures.reference(spec), result.parts());
            assertTrue(log.stream().anyMatch(l -> l.contains("submitting to the cluster at")), log.toString());
        }
    }

    /** The classes under {@code root} as a jar. */
    private static Path jar(Path root, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
