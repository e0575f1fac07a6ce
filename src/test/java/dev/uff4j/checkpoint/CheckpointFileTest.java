package dev.uff4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------------ round trip

    @Test
    void roundTripIsBitIdenticalIncludingSpecialValues() {
        Random rnd = new Random(42);
        int[] specials = {
            0x7FC00001, // quiet NaN with payload
            0x7F800001, // signalling NaN
            0xFFC12345, // negative NaN with payload
            0x80000000, // -0.0
            0x00000000, // +0.0
            0x00000001, // smallest subnormal
            0x807FFFFF, // largest negative subnormal
            0x7F800000, // +Inf
            0xFF800000, // -Inf
            0x7F7FFFFF, // MAX_VALUE
            0x00800000, // MIN_NORMAL
        };
        List<NamedTensor> tensors = new ArrayList<>();
        int[][] shapes = {{1, 1}, {3, 17}, {513, 7}, {1, 11}, {700, 1000}}; // the last spans several I/O chunks
        for (int s = 0; s < shapes.length; s++) {
            int rows = shapes[s][0];
            int cols = shapes[s][1];
            float[] data = new float[rows * cols];
            for (int i = 0; i < data.length; i++) {
                data[i] = i % 3 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextGaussian();
            }
            for (int i = 0; i < specials.length && i < data.length; i++) {
                data[(i * 7919) % data.length] = Float.intBitsToFloat(specials[i]);
            }
            tensors.add(new NamedTensor("layer" + s + ".w", rows, cols, data));
        }
        Path file = dir.resolve("model.ckpt");

        CheckpointFile.write(file, Map.of("k", "v"), tensors);
        Checkpoint loaded = CheckpointFile.read(file);

        assertEquals(CheckpointFile.FORMAT_VERSION, loaded.formatVersion());
        assertEquals(tensors.size(), loaded.tensors().size());
        for (int t = 0; t < tensors.size(); t++) {
            NamedTensor expected = tensors.get(t);
            NamedTensor actual = loaded.tensors().get(t);
            assertEquals(expected.name(), actual.name());
            assertEquals(expected.rows(), actual.rows());
            assertEquals(expected.cols(), actual.cols());
            assertArrayEquals(rawBits(expected.data()), rawBits(actual.data()), expected.name());
            assertEquals(expected, actual);
        }
        // The specials really were stored (guards against a test that compares nothing interesting).
        int[] bits = rawBits(loaded.tensor("layer2.w").data());
        for (int special : specials) {
            assertTrue(Arrays.stream(bits).anyMatch(b -> b == special), Integer.toHexString(special));
        }
    }

    @Test
    void configOrderAndUnicodeArePreserved() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("zeta", "last letter first");
        config.put("alpha", "");
        config.put("cell.kind", "DAE");
        config.put("ключ", "Ünïcödé 日本語 🚀 e\u0301");
        config.put("multi", "line one\nline two\ttab = equals");
        config.put("big", "é".repeat(700_000) + "x"); // 1.4 MB of UTF-8, longer than one I/O chunk
        for (int i = 20; i > 0; i--) {
            config.put("k" + i, Integer.toString(i * i));
        }
        Path file = dir.resolve("cfg.ckpt");

        CheckpointFile.write(file, config, List.of());
        Checkpoint loaded = CheckpointFile.read(file);

        assertEquals(List.copyOf(config.keySet()), List.copyOf(loaded.config().keySet()));
        assertEquals(List.copyOf(config.values()), List.copyOf(loaded.config().values()));
        assertEquals("Ünïcödé 日本語 🚀 e\u0301", loaded.config("ключ"));
        assertEquals("", loaded.config("alpha"));
        assertTrue(loaded.tensors().isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> loaded.config().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> loaded.tensors().clear());
    }

    @Test
    void writtenBytesFollowTheDocumentedLayout() throws IOException {
        Path file = dir.resolve("layout.ckpt");
        CheckpointFile.write(file, sampleConfig(), sampleTensors());

        byte[] written = Files.readAllBytes(file);

        assertArrayEquals("UFF4JCKP".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(written, 8));
        assertArrayEquals(sample().withTrailer(), written);
        assertEquals(sample().size() + 32, written.length);
    }

    @Test
    void workedExampleInTheFormatDocIsExact() throws IOException {
        Path file = dir.resolve("example.ckpt");
        CheckpointFile.write(file, Map.of("lr", "0.1"), List.of(new NamedTensor("w", 1, 2, new float[] {1f, -0f})));

        byte[] bytes = Files.readAllBytes(file);

        String body = "55 46 46 34 4a 43 4b 50 01 00 00 00 01 00 00 00 02 00 00 00 6c 72 03 00 00 00 30 2e 31"
                + " 01 00 00 00 01 00 00 00 77 01 00 00 00 02 00 00 00 00 00 80 3f 00 00 00 80";
        assertEquals(86, bytes.length);
        assertEquals(body, java.util.HexFormat.ofDelimiter(" ").formatHex(bytes, 0, 54));
        assertEquals("e4 5b 58 f8", java.util.HexFormat.ofDelimiter(" ").formatHex(bytes, 54, 58));
        assertEquals("9a", java.util.HexFormat.of().formatHex(bytes, 85, 86));
    }

    @Test
    void createsParentDirectoriesAndReplacesAnExistingCheckpoint() {
        Path file = dir.resolve("a/b/c/model.ckpt");
        CheckpointFile.write(file, Map.of("run", "1"), sampleTensors());
        CheckpointFile.write(file, Map.of("run", "2"), List.of(new NamedTensor("x", 1, 1, new float[] {5f})));

        Checkpoint loaded = CheckpointFile.read(file);

        assertEquals("2", loaded.config("run"));
        assertEquals(List.of("x"), loaded.tensors().stream().map(NamedTensor::name).collect(Collectors.toList()));
        assertEquals(List.of(file), listDir(file.getParent()));
    }

    // ------------------------------------------------------------------------------------------------- rejection

    @Test
    void rejectsMissingFileAndDirectory() {
        Path missing = dir.resolve("nope.ckpt");
        assertRejected(missing, "no such file");
        assertRejected(dir, "is a directory");
    }

    @Test
    void rejectsFilesTooShortToBeACheckpoint() throws IOException {
        Path empty = Files.write(dir.resolve("empty.ckpt"), new byte[0]);
        assertRejected(empty, "too short to be a uff4j checkpoint", "0 bytes", "at least 52");
        Path five = Files.write(dir.resolve("five.ckpt"), "UFF4J".getBytes(StandardCharsets.US_ASCII));
        assertRejected(five, "too short", "5 bytes");
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] png = new byte[200];
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(header, 0, png, 0, header.length);
        Path file = Files.write(dir.resolve("image.png"), png);
        assertRejected(file, "not a uff4j checkpoint", "89 50 4e 47", "UFF4JCKP");
    }

    @Test
    void rejectsUnsupportedVersionsNamingTheReadableOnes() throws IOException {
        for (long version : new long[] {0, 2, 0xFFFFFFFFL}) {
            Enc e = new Enc().magic().u32(version).u32(0).u32(0);
            Path file = Files.write(dir.resolve("v" + version + ".ckpt"), e.withTrailer());
            assertRejected(file, "unsupported checkpoint format version " + version, "reads version 1");
        }
    }

    @Test
    void rejectsTruncationSayingWhereAndHowManyBytes() throws IOException {
        Enc e = new Enc().magic().u32(1).u32(0).u32(1).str("w").u32(3).u32(17);
        int dataStart = e.size();
        for (int i = 0; i < 3 * 17; i++) {
            e.f32(i);
        }
        byte[] full = e.withTrailer();
        Path file = Files.write(dir.resolve("cut.ckpt"), Arrays.copyOf(full, dataStart + 100));

        assertRejected(file, "truncated in tensor 1 of 1 'w' data (3x17 float32)", "expected 204 bytes",
                "offset " + dataStart, "only 100 bytes are present");
    }

    @Test
    void rejectsEveryTruncatedLengthWithCheckpointExceptionOnly() throws IOException {
        byte[] full = sample().withTrailer();
        Path file = dir.resolve("t.ckpt");
        for (int length = 0; length < full.length; length++) {
            Files.write(file, Arrays.copyOf(full, length));
            String expected = length < 8 ? "too short" : "truncated";
            assertRejected(file, expected);
        }
        Files.write(file, full);
        assertEquals(sampleTensors(), CheckpointFile.read(file).tensors());
    }

    @Test
    void rejectsChecksumMismatch() throws IOException {
        Path file = dir.resolve("m.ckpt");
        CheckpointFile.write(file, sampleConfig(), sampleTensors());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 0x04; // inside the last tensor's data
        Files.write(file, bytes);
        assertRejected(file, "corrupted: SHA-256 mismatch");
    }

    @Test
    void rejectsAFlippedByteAtAnyPosition() throws IOException {
        Enc sample = sample();
        byte[] good = sample.withTrailer();
        Path file = dir.resolve("flip.ckpt");
        for (int pos = 0; pos < good.length; pos++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = good.clone();
                bad[pos] ^= (byte) mask;
                Files.write(file, bad);
                String at = "byte " + pos + " ^ " + mask;
                CheckpointException e = assertRejected(file);
                String m = e.getMessage();
                if (pos < 8) {
                    assertTrue(m.contains("not a uff4j checkpoint"), at + ": " + m);
                } else if (pos < 12) {
                    assertTrue(m.contains("unsupported checkpoint format version"), at + ": " + m);
                } else if (sample.isContent(pos) || pos >= sample.size()) {
                    // String bytes, float data and the trailer are not structural: only the checksum can tell.
                    assertTrue(m.contains("corrupted: SHA-256 mismatch"), at + ": " + m);
                }
            }
        }
    }

    @Test
    void rejectsAbsurdCountsAndLengthsWithoutAllocating() throws IOException {
        Map<String, Enc> cases = new LinkedHashMap<>();
        cases.put("config entry count 4294967295", new Enc().magic().u32(1).u32(0xFFFFFFFFL).u32(0));
        cases.put("tensor count 4294967295", new Enc().magic().u32(1).u32(0).u32(0xFFFFFFFFL));
        cases.put("truncated in config entry 1 of 1 (key)",
                new Enc().magic().u32(1).u32(1).u32(0x7FFFFFF0L).u32(0).u32(0));
        cases.put("truncated in tensor 1 of 1 (name)", new Enc().magic().u32(1).u32(0).u32(1).u32(0xFFFFFFFFL).raw(new byte[16]));
        cases.put("truncated in tensor 1 of 1 'w' data (100000x100000 float32)",
                new Enc().magic().u32(1).u32(0).u32(1).str("w").u32(100_000).u32(100_000).f32(1f));
        cases.put("truncated in tensor 1 of 1 'w' data (4294967295x4294967295 float32)",
                new Enc().magic().u32(1).u32(0).u32(1).str("w").u32(0xFFFFFFFFL).u32(0xFFFFFFFFL).f32(1f));
        int i = 0;
        for (Map.Entry<String, Enc> c : cases.entrySet()) {
            Path file = Files.write(dir.resolve("absurd" + i++ + ".ckpt"), c.getValue().withTrailer());
            assertRejected(file, c.getKey());
        }
    }

    @Test
    void rejectsDuplicateTensorNamesAndConfigKeys() throws IOException {
        Enc tensors = new Enc().magic().u32(1).u32(0).u32(2)
                .str("w").u32(1).u32(1).f32(1f)
                .str("w").u32(1).u32(1).f32(2f);
        Path dupTensor = Files.write(dir.resolve("dup-tensor.ckpt"), tensors.withTrailer());
        assertRejected(dupTensor, "duplicate tensor name 'w'", "tensor 2 of 2");

        Enc config = new Enc().magic().u32(1).u32(2).str("lr").str("0.1").str("lr").str("0.2").u32(0);
        Path dupKey = Files.write(dir.resolve("dup-key.ckpt"), config.withTrailer());
        assertRejected(dupKey, "duplicate config key 'lr'", "config entry 2 of 2");
    }

    @Test
    void rejectsContentTheWriterNeverProduces() throws IOException {
        Enc badName = new Enc().magic().u32(1).u32(0).u32(1).str("a=b").u32(1).u32(1).f32(1f);
        assertRejected(Files.write(dir.resolve("name.ckpt"), badName.withTrailer()), "invalid name", "'='");

        Enc zeroRows = new Enc().magic().u32(1).u32(0).u32(1).str("w").u32(0).u32(5);
        assertRejected(Files.write(dir.resolve("zero.ckpt"), zeroRows.withTrailer()), "0x5",
                "must be at least 1");
        // a real 2x5 tensor whose rows field reads 0: its data would be read out of step; the shape is what is wrong
        Enc zeroed = new Enc().magic().u32(1).u32(0).u32(1).str("w").u32(0).u32(5);
        for (int i = 1; i <= 10; i++) {
            zeroed.f32(i);
        }
        assertRejected(Files.write(dir.resolve("zeroed.ckpt"), zeroed.withTrailer()), "tensor 1 of 1 'w' has shape "
                + "0x5; rows and cols must be at least 1");

        Enc badUtf8 = new Enc().magic().u32(1).u32(1).str("k").u32(2).raw((byte) 0xC3, (byte) 0x28).u32(0);
        assertRejected(Files.write(dir.resolve("utf8.ckpt"), badUtf8.withTrailer()), "not valid UTF-8");

        Enc emptyKey = new Enc().magic().u32(1).u32(1).str("").str("v").u32(0);
        assertRejected(Files.write(dir.resolve("emptykey.ckpt"), emptyKey.withTrailer()), "empty key");
    }

    @Test
    void rejectsTrailingBytesAfterTheTrailer() throws IOException {
        byte[] good = sample().withTrailer();
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        Path file = Files.write(dir.resolve("trailing.ckpt"), longer);
        assertRejected(file, "3 unexpected trailing bytes", "offset " + sample().size(),
                (good.length + 3) + " bytes long");
    }

    // ------------------------------------------------------------------------------------------- atomic writes

    @Test
    void failureMidWriteLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("model.ckpt");
        CheckpointFile.write(file, sampleConfig(), sampleTensors());
        byte[] before = Files.readAllBytes(file);
        RuntimeException boom = new IllegalStateException("simulated failure while producing tensor 2");
        long[] tempBytesAtFailure = {-1};
        List<NamedTensor> failing = new ThrowingList(2, () -> {
            List<Path> temps = listDir(dir).stream().filter(p -> p.getFileName().toString()
                    .startsWith("model.ckpt.tmp-")).collect(Collectors.toList());
            assertEquals(1, temps.size(), "one temp file while writing: " + temps);
            tempBytesAtFailure[0] = size(temps.get(0));
            throw boom;
        });

        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> CheckpointFile.write(file, Map.of("run", "2"), failing));

        assertSame(boom, thrown);
        assertTrue(tempBytesAtFailure[0] > 1 << 20, "the failure came after data reached the temp file");
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir(dir));
    }

    @Test
    void failureToMoveIntoPlaceRemovesTheTempFile() throws IOException {
        Path file = dir.resolve("model.ckpt");
        // While the tensors are written, something else puts a non-empty directory at the target: the rename fails.
        List<NamedTensor> tensors = new ThrowingList(1, () -> fail("only one tensor"));
        ((ThrowingList) tensors).beforeFirst = () -> {
            try {
                Files.createDirectories(file.resolve("inside"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        };

        assertRejected(() -> CheckpointFile.write(file, sampleConfig(), tensors), file, "cannot write it");

        assertTrue(Files.isDirectory(file.resolve("inside")));
        assertEquals(List.of(file), listDir(dir));
    }

    @Test
    void readOnlyDirectoryLeavesThePreviousFileAndNoTempFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path file = dir.resolve("model.ckpt");
        CheckpointFile.write(file, sampleConfig(), sampleTensors());
        byte[] before = Files.readAllBytes(file);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path probe = dir.resolve("probe");
            boolean enforced;
            try {
                Files.createFile(probe);
                Files.delete(probe);
                enforced = false;
            } catch (IOException e) {
                enforced = true;
            }
            assumeTrue(enforced, "directory permissions are not enforced for this user (root?)");

            assertRejected(() -> CheckpointFile.write(file, Map.of("run", "2"), sampleTensors()), file,
                    "cannot write it: permission denied");

            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(List.of(file), listDir(dir));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void parentThatIsAFileIsReported() throws IOException {
        Path blocker = Files.write(dir.resolve("blocker"), new byte[] {1});
        Path file = blocker.resolve("model.ckpt");
        assertRejected(() -> CheckpointFile.write(file, sampleConfig(), sampleTensors()), file,
                blocker + " is not a folder");
    }

    @Test
    void writeRejectsBadArgumentsBeforeReplacingAnything() throws IOException {
        Path file = dir.resolve("model.ckpt");
        CheckpointFile.write(file, sampleConfig(), sampleTensors());
        byte[] before = Files.readAllBytes(file);
        NamedTensor w = new NamedTensor("w", 1, 1, new float[] {1f});

        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(file, Map.of(), List.of(w, w)));
        assertTrue(dup.getMessage().contains("'w' appears twice"), dup.getMessage());
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(file, Map.of("k", "bad \uD800 surrogate"), List.of()));
        assertTrue(surrogate.getMessage().contains("value of config key 'k'"), surrogate.getMessage());
        IllegalArgumentException emptyKey = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(file, Map.of("", "v"), List.of()));
        assertTrue(emptyKey.getMessage().contains("empty key"), emptyKey.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir(dir));
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static CheckpointException assertRejected(Path file, String... fragments) {
        return assertRejected(() -> CheckpointFile.read(file), file, fragments);
    }

    private static CheckpointException assertRejected(
            org.junit.jupiter.api.function.Executable action, Path file, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, action);
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "message starts with the path: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
        }
        return e;
    }

    private static int[] rawBits(float[] data) {
        int[] bits = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            bits[i] = Float.floatToRawIntBits(data[i]);
        }
        return bits;
    }

    private static List<Path> listDir(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static Map<String, String> sampleConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("model", "uff-ae");
        config.put("layers", "2");
        return config;
    }

    private static List<NamedTensor> sampleTensors() {
        return List.of(
                new NamedTensor("w", 2, 3, new float[] {1f, -2f, 0.5f, Float.NaN, -0f, 3e-40f}),
                new NamedTensor("b", 1, 3, new float[] {0.25f, 7f, -1f}));
    }

    /** The sample checkpoint encoded by hand from docs/checkpoint-format.md, independently of the writer. */
    private static Enc sample() {
        Enc e = new Enc().magic().u32(1).u32(2).str("model").str("uff-ae").str("layers").str("2").u32(2);
        for (NamedTensor t : sampleTensors()) {
            e.str(t.name()).u32(t.rows()).u32(t.cols());
            for (float f : t.data()) {
                e.f32(f);
            }
        }
        return e;
    }

    /** Little-endian encoder for hand-made files; remembers which bytes are string or float content. */
    private static final class Enc {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<int[]> content = new ArrayList<>();

        Enc magic() {
            return raw("UFF4JCKP".getBytes(StandardCharsets.US_ASCII));
        }

        Enc u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        Enc str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            content.add(new int[] {size(), size() + b.length});
            return raw(b);
        }

        Enc f32(float f) {
            content.add(new int[] {size(), size() + 4});
            return u32(Integer.toUnsignedLong(Float.floatToRawIntBits(f)));
        }

        Enc raw(byte... b) {
            out.write(b, 0, b.length);
            return this;
        }

        int size() {
            return out.size();
        }

        boolean isContent(int pos) {
            return content.stream().anyMatch(r -> pos >= r[0] && pos < r[1]);
        }

        byte[] withTrailer() {
            try {
                byte[] body = out.toByteArray();
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
                byte[] all = Arrays.copyOf(body, body.length + sha.length);
                System.arraycopy(sha, 0, all, body.length, sha.length);
                return all;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    /**
     * Claims {@code size} tensors; the first is 2.8 MB (several I/O chunks), asking for the second runs
     * {@code second}. Only iteration is supported: the writer must iterate once, in order.
     */
    private static final class ThrowingList extends AbstractList<NamedTensor> {
        private final int size;
        private final Runnable second;
        Runnable beforeFirst = () -> { };

        ThrowingList(int size, Runnable second) {
            this.size = size;
            this.second = second;
        }

        @Override
        public NamedTensor get(int index) {
            throw new UnsupportedOperationException("iterate instead");
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<NamedTensor> iterator() {
            return new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public NamedTensor next() {
                    if (next++ == 0) {
                        beforeFirst.run();
                        return new NamedTensor("big", 700, 1000, new float[700 * 1000]);
                    }
                    second.run();
                    return new NamedTensor("never", 1, 1, new float[1]);
                }
            };
        }
    }
}
