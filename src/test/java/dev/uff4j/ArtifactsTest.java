package dev.uff4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The artifacts' contract: the library's dependencies are all optional or test-scoped (a consumer inherits none),
 * {@code native/pom.xml} (dev.uff4j:uff4j-cuda) brings the presets at the versions the library builds with, and
 * the packages the javadoc leaves out are exactly those whose package-info says they are internal.
 */
class ArtifactsTest {
    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertTrue(m.find(), "no <" + name + "> property");
        return m.group(1).trim();
    }

    @Test
    void theCudaPomHasTheLibrarysPresetVersions() throws IOException {
        String root = read("pom.xml");
        String nativePom = read("native/pom.xml");
        assertEquals(property(root, "javacpp.version"), property(nativePom, "javacpp.version"));
        assertEquals(property(root, "cuda.presets.version"), property(nativePom, "cuda.presets.version"));
        assertEquals(property(root, "version"), property(nativePom, "version"), "the same release");
    }

    @Test
    void everyDependencyOfTheLibraryIsOptionalOrForTests() throws IOException {
        String root = read("pom.xml");
        String dependencies = root.substring(root.indexOf("<dependencies>"), root.indexOf("</dependencies>"));
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(dependencies);
        int count = 0;
        while (m.find()) {
            String d = m.group(1);
            count++;
            assertTrue(d.contains("<optional>true</optional>") || d.contains("<scope>test</scope>"),
                    "a consumer would inherit: " + d.replaceAll("\\s+", " "));
        }
        assertTrue(count >= 6, "found " + count + " dependencies");
    }

    @Test
    void theCudaBackendsHintNamesThePresetsVersions() throws IOException {
        String root = read("pom.xml");
        String provider = read("src/main/java/dev/uff4j/backend/cuda/CudaBackendProvider.java");
        assertTrue(provider.contains("org.bytedeco:cuda:" + property(root, "cuda.presets.version")), "cuda version");
        assertTrue(provider.contains("org.bytedeco:javacpp:" + property(root, "javacpp.version")), "javacpp version");
    }

    @Test
    void theJavadocLeavesOutExactlyThePackagesDocumentedAsInternal() throws IOException {
        Set<String> listed = new TreeSet<>(Set.of(property(read("pom.xml"), "uff4j.internalPackages").split(":")));
        Set<String> internal = new TreeSet<>();
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path dir : files.filter(Files::isDirectory).toList()) {
                boolean hasClasses;
                try (Stream<Path> in = Files.list(dir)) {
                    hasClasses = in.anyMatch(p -> p.toString().endsWith(".java"));
                }
                if (!hasClasses) {
                    continue;
                }
                Path info = dir.resolve("package-info.java");
                String name = root.relativize(dir).toString().replace('/', '.');
                assertTrue(Files.exists(info), name + " has no package-info.java");
                if (Files.readString(info).startsWith("/**\n * Internal: ")) {
                    internal.add(name);
                }
            }
        }
        assertEquals(listed, internal);
    }
}
