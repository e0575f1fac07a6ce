package dev.uff4j.report;

import dev.uff4j.io.OutputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PNG encoding, read back by an independent decoder, and the atomic write. */
class PngWriterTest {
    @TempDir
    Path tmp;

    private static Raster random(int w, int h, long seed) {
        Random rnd = new Random(seed);
        Raster r = new Raster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.set(x, y, rnd.nextInt(1 << 24));
            }
        }
        return r;
    }

    private static void assertSamePixels(Raster expected, PngTestReader.Image actual) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        assertArrayEquals(expected.pixels(), actual.rgb());
    }

    @Test
    void encodesEveryPixel() {
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {333, 211}}) { // the last spans several deflate buffers
            Raster r = random(size[0], size[1], size[0]);
            PngTestReader.Image png = PngTestReader.decode(PngWriter.encode(r));
            assertSamePixels(r, png);
            assertEquals(List.of("IHDR", "IDAT", "IEND"), png.chunks());
        }
    }

    @Test
    void writeCreatesDirectoriesAndReplacesAtomically() throws IOException {
        Path file = tmp.resolve("a/b/plot.png");
        PngWriter.write(file, random(4, 3, 1));
        Raster second = random(6, 2, 2);
        PngWriter.write(file, second);
        assertSamePixels(second, PngTestReader.read(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writingToADirectoryFailsClearlyAndLeavesNothing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("plots"));
        OutputException e = assertThrows(OutputException.class, () -> PngWriter.write(dir, new Raster(2, 2)));
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertEquals(List.of(dir), listAll(tmp));
    }

    @Test
    void unwritableLocationFailsWithThePathAndLeavesNothing() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        Path file = notADir.resolve("plot.png");
        OutputException e = assertThrows(OutputException.class, () -> PngWriter.write(file, new Raster(2, 2)));
        assertTrue(e.getMessage().startsWith(file + ": cannot write it: " + notADir + " is not a folder"),
                e.getMessage());
        assertEquals(List.of(notADir), listAll(tmp));
    }

    /** Everything under {@code dir}, recursively, without {@code dir} itself. */
    static List<Path> listAll(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }
}
