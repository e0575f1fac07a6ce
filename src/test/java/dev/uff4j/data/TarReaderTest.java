package dev.uff4j.data;

import static dev.uff4j.data.IdxFiles.assertMessage;
import static dev.uff4j.data.IdxFiles.gzip;
import static dev.uff4j.data.IdxFiles.pattern;
import static dev.uff4j.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
    @TempDir
    Path dir;

    /** Writes tar archives the way npm (ustar, pax) and GNU tar (long names) do. */
    static final class TarWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        TarWriter file(String name, byte[] content) {
            return entry(name, "", '0', content);
        }

        TarWriter directory(String name) {
            return entry(name, "", '5', new byte[0]);
        }

        /** A ustar entry whose path is split into prefix and name. */
        TarWriter prefixed(String prefix, String name, byte[] content) {
            return entry(name, prefix, '0', content);
        }

        /** A pax extended header that renames the entry after it. */
        TarWriter paxPath(String path) {
            String record = " path=" + path + "\n";
            int length = record.length() + 1;
            while ((length + record).length() != length) {
                length++;
            }
            return entry("PaxHeader", "", 'x', (length + record).getBytes(StandardCharsets.UTF_8));
        }

        /** A GNU long-name entry that renames the entry after it. */
        TarWriter gnuLongName(String path) {
            return entry("././@LongLink", "", 'L', (path + "\0").getBytes(StandardCharsets.UTF_8));
        }

        TarWriter entry(String name, String prefix, char type, byte[] content) {
            byte[] h = new byte[512];
            put(h, 0, name, 100);
            put(h, 100, "0000644", 8);
            put(h, 108, "0000000", 8);
            put(h, 116, "0000000", 8);
            put(h, 124, String.format("%011o", content.length), 12);
            put(h, 136, "00000000000", 12);
            h[156] = (byte) type;
            put(h, 257, "ustar", 6);
            put(h, 263, "00", 2);
            put(h, 345, prefix, 155);
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            put(h, 148, String.format("%06o", sum), 7);
            out.writeBytes(h);
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        byte[] finish() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        private static void put(byte[] h, int at, String s, int max) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > max) {
                throw new IllegalArgumentException(s);
            }
            System.arraycopy(b, 0, h, at, b.length);
        }
    }

    private final Map<String, Path> wanted = new HashMap<>();

    private Path want(String entry) {
        Path out = dir.resolve("out-" + wanted.size());
        wanted.put(entry, out);
        return out;
    }

    @Test
    void extractsWantedFilesOfAwkwardSizesAndNameEncodings() throws Exception {
        String longName = "package/" + "d".repeat(120) + "/file.bin";
        byte[] b512 = pattern(512, 1);
        byte[] b513 = pattern(513, 2);
        byte[] bLong = pattern(1500, 3);
        byte[] tar = new TarWriter()
                .directory("package/")
                .file("package/package.json", "{}".getBytes(StandardCharsets.UTF_8))
                .file("package/data/empty", new byte[0])
                .file("package/data/b512", b512)
                .file("./package/data/b513", b513)
                .prefixed("package/" + "p".repeat(100), "tail.bin", pattern(7, 4))
                .paxPath(longName)
                .file("package/truncated-name-ignored", bLong)
                .gnuLongName("package/" + "g".repeat(150))
                .file("package/ggg", pattern(3, 5))
                .finish();
        Path tgz = write(dir.resolve("p.tgz"), gzip(tar));
        Path empty = want("package/data/empty");
        Path p512 = want("package/data/b512");
        Path p513 = want("package/data/b513");
        Path prefixed = want("package/" + "p".repeat(100) + "/tail.bin");
        Path pax = want(longName);
        Path gnu = want("package/" + "g".repeat(150));
        want("package/not-there");

        Set<String> found = TarReader.extractTgz(tgz, wanted);

        assertEquals(6, found.size());
        assertFalse(found.contains("package/not-there"));
        assertEquals(0, Files.size(empty));
        assertArrayEquals(b512, Files.readAllBytes(p512));
        assertArrayEquals(b513, Files.readAllBytes(p513));
        assertArrayEquals(pattern(7, 4), Files.readAllBytes(prefixed));
        assertArrayEquals(bLong, Files.readAllBytes(pax));
        assertArrayEquals(pattern(3, 5), Files.readAllBytes(gnu));
    }

    @Test
    void anArchiveWithoutEndBlocksIsAccepted() {
        byte[] tar = new TarWriter().file("a", pattern(10, 0)).finish();
        Path tgz = write(dir.resolve("noend.tgz"), gzip(Arrays.copyOf(tar, 1024)));
        Path a = want("a");
        assertEquals(Set.of("a"), TarReader.extractTgz(tgz, wanted));
        assertEquals(10, a.toFile().length());
    }

    @Test
    void truncatedArchive() {
        byte[] tar = new TarWriter().file("a", pattern(2000, 0)).finish();
        want("a");
        Path cut = write(dir.resolve("cut.tgz"), gzip(Arrays.copyOf(tar, 512 + 1000)));
        DataException e = assertThrows(DataException.class, () -> TarReader.extractTgz(cut, wanted));
        assertMessage(e, cut, "truncated tar: entry a has 1000 of its 2000 bytes");

        Path header = write(dir.resolve("header.tgz"), gzip(Arrays.copyOf(tar, 300)));
        e = assertThrows(DataException.class, () -> TarReader.extractTgz(header, wanted));
        assertMessage(e, header, "truncated tar: 300 bytes of a header at offset 0");

        wanted.clear();
        Path skipped = write(dir.resolve("skipped.tgz"), gzip(Arrays.copyOf(tar, 512 + 1000)));
        e = assertThrows(DataException.class, () -> TarReader.extractTgz(skipped, wanted));
        assertMessage(e, skipped, "truncated");
    }

    @Test
    void corruptHeaderChecksum() {
        byte[] tar = new TarWriter().file("a", pattern(10, 0)).file("b", pattern(10, 1)).finish();
        tar[1024 + 1] ^= 1; // second header's name
        Path tgz = write(dir.resolve("bad.tgz"), gzip(tar));
        want("a");
        DataException e = assertThrows(DataException.class, () -> TarReader.extractTgz(tgz, wanted));
        assertMessage(e, tgz, "corrupt tar header at offset 1024 (checksum");
    }

    @Test
    void corruptOrMissingGzip() {
        Path notGzip = write(dir.resolve("plain.tgz"), new TarWriter().file("a", new byte[1]).finish());
        DataException e = assertThrows(DataException.class, () -> TarReader.extractTgz(notGzip, wanted));
        assertMessage(e, notGzip, "corrupt gzip stream", "expected a .tgz");

        Path missing = dir.resolve("missing.tgz");
        e = assertThrows(DataException.class, () -> TarReader.extractTgz(missing, wanted));
        assertMessage(e, missing, "missing");
    }

    @Test
    void readsWhatTheSystemTarWrites() throws Exception {
        Path src = dir.resolve("src");
        String deep = "package/data/" + "x".repeat(110);
        Files.createDirectories(src.resolve(deep));
        byte[] content = pattern(70_000, 9);
        Files.write(src.resolve(deep).resolve("train-images-idx3-ubyte"), content);
        Path tgz = dir.resolve("sys.tgz");
        Process p;
        try {
            p = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", src.toString(), "package")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.assumeTrue(false, "no tar on PATH: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "system tar failed");
        Path out = want(deep + "/train-images-idx3-ubyte");
        assertEquals(1, TarReader.extractTgz(tgz, wanted).size());
        assertArrayEquals(content, Files.readAllBytes(out));
    }
}
