package dev.uff4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's Java example is the examples project's Quickstart, word for word (less its package line), so that
 * what a newcomer copies compiles and runs: the examples build it, and their tests run it and check its output.
 */
class ReadmeJavaExampleTest {
    @Test
    void theReadmesJavaBlockIsTheQuickstartFile() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Java API\n"));
        int start = section.indexOf("```java\n") + "```java\n".length();
        String block = section.substring(start, section.indexOf("```\n", start));
        String file = Files.readString(Path.of("examples/basic/src/main/java/dev/uff4j/examples/Quickstart.java"))
                .replaceFirst("package dev\\.uff4j\\.examples;\n\n", "");
        assertEquals(file, block);
    }
}
