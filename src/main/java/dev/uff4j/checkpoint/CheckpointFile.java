package dev.uff4j.checkpoint;

import dev.uff4j.io.AtomicFile;
import dev.uff4j.io.OutputException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes and reads checkpoint files: a model configuration (ordered string pairs) and named float32 tensors in the
 * versioned binary layout documented in {@code docs/checkpoint-format.md}.
 *
 * <p>Writes are atomic: the file appears under its final name only when complete and synced, and an existing file
 * is replaced only by a complete new one. Reads verify the SHA-256 trailer before returning and report every defect
 * as a one-line {@link CheckpointException} that starts with the file path.
 */
public final class CheckpointFile {

    /** The layout version {@link #write} produces. */
    public static final int FORMAT_VERSION = 1;

    /** The layout versions {@link #read} accepts. */
    public static final List<Integer> READABLE_VERSIONS = List.of(1);

    /** The first 8 bytes of every checkpoint: ASCII {@code UFF4JCKP}. */
    static final byte[] MAGIC = "UFF4JCKP".getBytes(StandardCharsets.US_ASCII);

    static final int TRAILER_BYTES = 32;

    /** Magic, version, config entry count, tensor count and trailer: an empty checkpoint. */
    public static final int MIN_FILE_BYTES = MAGIC.length + 4 + 4 + 4 + TRAILER_BYTES;

    /** Smallest possible encoded config entry: two length fields. */
    private static final int MIN_ENTRY_BYTES = 4 + 4;

    /**
     * Smallest structurally possible tensor: name length, rows and cols. (An empty name is invalid, but that is a
     * content check made after the checksum; a zero dimension is rejected as soon as it is read.)
     */
    private static final int MIN_TENSOR_BYTES = 4 + 4 + 4;

    /** Largest Java array the VM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** I/O chunk: large enough for throughput, small enough not to matter next to the model. */
    private static final int CHUNK_BYTES = 1 << 20;

    private CheckpointFile() {
    }

    // ------------------------------------------------------------------------------------------------------ write

    /**
     * Writes {@code config} (in its iteration order) and {@code tensors} (in list order) to {@code file} atomically,
     * creating parent directories as needed.
     *
     * <p>The bytes go to a temporary file {@code <name>.tmp-<random>} in the same directory, which is synced to disk
     * and then renamed over {@code file} ({@code AtomicFile}). On any failure, or when the JVM is stopped while
     * writing, the temporary file is deleted and a file already at {@code file} is left as it was.
     *
     * @param file    the checkpoint to create or replace, conventionally {@code *.uff}
     * @param config  the configuration entries: non-empty keys, non-null values
     * @param tensors the tensors, iterated once (so a lazily computed list is read only once); names must be unique
     * @throws IllegalArgumentException when a config key is empty, a key or value is not encodable as UTF-8 (unpaired
     *                                  surrogate), a tensor is null or two tensors share a name
     * @throws CheckpointException      when the file cannot be written (the message starts with the path)
     */
    public static void write(Path file, Map<String, String> config, List<NamedTensor> tensors) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tensors, "tensors");
        List<byte[]> encodedConfig = encodeConfig(file, config);
        try {
            AtomicFile.write(file, channel -> {
                Writer out = new Writer(channel);
                out.bytes(MAGIC);
                out.u32(FORMAT_VERSION);
                out.u32(config.size());
                for (byte[] field : encodedConfig) {
                    out.u32(field.length);
                    out.bytes(field);
                }
                writeTensors(file, out, tensors);
                out.finish();
            });
        } catch (OutputException e) {
            throw new CheckpointException(e.getMessage(), e.getCause());
        }
    }

    /** Key and value bytes, alternating, validated before anything touches the disk. */
    private static List<byte[]> encodeConfig(Path file, Map<String, String> config) {
        List<byte[]> fields = new ArrayList<>(2 * config.size());
        int index = 0;
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException(file + ": config entry " + index + " has "
                        + (key == null ? "a null" : "an empty") + " key; keys must be non-empty strings");
            }
            if (value == null) {
                throw new IllegalArgumentException(file + ": config key '" + key + "' has a null value");
            }
            fields.add(utf8(file, key, "config key '" + key + "'"));
            fields.add(utf8(file, value, "value of config key '" + key + "'"));
            index++;
        }
        if (index != config.size()) {
            throw new IllegalArgumentException(file + ": config changed while being written");
        }
        return fields;
    }

    private static byte[] utf8(Path file, String s, String what) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    file + ": " + what + " is not valid Unicode (unpaired surrogate); cannot encode it as UTF-8");
        }
    }

    private static void writeTensors(Path file, Writer out, List<NamedTensor> tensors) throws IOException {
        int count = tensors.size();
        out.u32(count);
        Set<String> names = new HashSet<>();
        int written = 0;
        // Iterate once: the list may be computed lazily (e.g. downloading tensors from a GPU).
        for (Iterator<NamedTensor> it = tensors.iterator(); it.hasNext(); ) {
            NamedTensor t = it.next();
            if (t == null) {
                throw new IllegalArgumentException(file + ": tensor " + written + " is null");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(file + ": tensor name '" + t.name() + "' appears twice");
            }
            if (++written > count) {
                break;
            }
            out.u32(t.name().length());
            out.bytes(t.name().getBytes(StandardCharsets.US_ASCII));
            out.u32(t.rows());
            out.u32(t.cols());
            out.floats(t.data());
        }
        if (written != count) {
            throw new IllegalArgumentException(file + ": the tensor list reported " + count
                    + " tensors but iterating it gave " + (written > count ? "more" : written));
        }
    }

    /** Little-endian output in {@link #CHUNK_BYTES} chunks, hashing everything it writes. */
    private static final class Writer {
        private final FileChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final MessageDigest sha = sha256();

        Writer(FileChannel channel) {
            this.channel = channel;
        }

        void u32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void bytes(byte[] b) throws IOException {
            for (int off = 0; off < b.length; ) {
                room(1);
                int n = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, n);
                off += n;
            }
        }

        void floats(float[] data) throws IOException {
            for (int off = 0; off < data.length; ) {
                room(4);
                int n = Math.min(buf.remaining() / 4, data.length - off);
                // A float view of a little-endian buffer stores the raw IEEE 754 bits: NaN payloads survive.
                buf.asFloatBuffer().put(data, off, n);
                buf.position(buf.position() + 4 * n);
                off += n;
            }
        }

        /** Writes the SHA-256 of everything so far, then flushes. */
        void finish() throws IOException {
            flush();
            buf.put(sha.digest());
            buf.flip();
            drain();
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            sha.update(buf.array(), 0, buf.position());
            buf.flip();
            drain();
        }

        private void drain() throws IOException {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            buf.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------------- read

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * <p>Sizes are checked against the bytes actually present before anything is allocated, and the SHA-256 trailer
     * is verified before the content is interpreted further (names, duplicates) and returned.
     *
     * @param file the checkpoint file
     * @return the whole content, held in memory: every tensor's data is read into a new array
     * @throws CheckpointException when the file is missing, not a checkpoint, of an unsupported version, truncated,
     *                             corrupted, malformed or has trailing bytes; the one-line message starts with the
     *                             path, says what was wrong and what was expected
     */
    public static Checkpoint read(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + ": is a directory; expected a uff4j checkpoint file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file, channel).read();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such file; expected a uff4j checkpoint", e);
        } catch (AccessDeniedException e) {
            throw new CheckpointException(file + ": permission denied; cannot read the checkpoint", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + describe(e), e);
        }
    }

    /**
     * One pass over the file in chunks. Structural checks (sizes) fail at once: they decide where the trailer is.
     * Content checks (names, UTF-8, duplicates) are deferred until the checksum has matched, so a flipped byte is
     * reported as corruption rather than as a strange name.
     */
    private static final class Reader {
        private final Path file;
        private final FileChannel channel;
        private final long size;
        /** File offset where the trailer must start if the file is well formed up to here. */
        private final long bodyEnd;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        /** File offset of buf[0]; buf holds [bufStart, bufStart + buf.limit()). */
        private long bufStart;
        private final MessageDigest sha = sha256();
        private String deferred;

        Reader(Path file, FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            this.size = channel.size();
            this.bodyEnd = size - TRAILER_BYTES;
            buf.limit(0);
        }

        Checkpoint read() throws IOException {
            if (size < MAGIC.length) {
                throw fail("too short to be a uff4j checkpoint: the file has " + size
                        + " bytes, a checkpoint has at least " + MIN_FILE_BYTES);
            }
            byte[] head = new byte[(int) Math.min(size, MAGIC.length + 4)];
            readFully(ByteBuffer.wrap(head), 0);
            for (int i = 0; i < MAGIC.length; i++) {
                if (head[i] != MAGIC[i]) {
                    throw fail("not a uff4j checkpoint: the file starts with bytes "
                            + HexFormat.ofDelimiter(" ").formatHex(head, 0, MAGIC.length)
                            + ", expected the magic \"UFF4JCKP\" (" + HexFormat.ofDelimiter(" ").formatHex(MAGIC) + ")");
                }
            }
            if (head.length < MAGIC.length + 4) {
                throw truncated("the header (format version)", MAGIC.length, 4);
            }
            long version = Integer.toUnsignedLong(ByteBuffer.wrap(head, MAGIC.length, 4)
                    .order(ByteOrder.LITTLE_ENDIAN).getInt());
            // Checked before the checksum: another version may lay out (or checksum) its bytes differently.
            if (version > Integer.MAX_VALUE || !READABLE_VERSIONS.contains((int) version)) {
                throw fail("unsupported checkpoint format version " + version + "; this build of uff4j reads version"
                        + (READABLE_VERSIONS.size() == 1 ? " " + READABLE_VERSIONS.get(0) : "s " + READABLE_VERSIONS)
                        + (version > FORMAT_VERSION ? " (was it written by a newer uff4j?)" : ""));
            }

            sha.update(head);
            bufStart = head.length;
            Map<String, String> config = readConfig();
            List<NamedTensor> tensors = readTensors();

            long end = position();
            if (end < bodyEnd) {
                throw fail((bodyEnd - end) + " unexpected trailing bytes: the tensors end at offset " + end
                        + ", so the file should end with the 32-byte SHA-256 trailer at offset " + (end + TRAILER_BYTES)
                        + ", but it is " + size + " bytes long");
            }
            sha.update(buf.array(), 0, buf.position());
            byte[] stored = new byte[TRAILER_BYTES];
            readFully(ByteBuffer.wrap(stored), end);
            byte[] actual = sha.digest();
            if (!MessageDigest.isEqual(stored, actual)) {
                throw fail("corrupted: SHA-256 mismatch: the trailer records " + HexFormat.of().formatHex(stored)
                        + " but bytes 0.." + end + " hash to " + HexFormat.of().formatHex(actual));
            }
            if (deferred != null) {
                throw fail(deferred);
            }
            return new Checkpoint((int) version, config, tensors);
        }

        private Map<String, String> readConfig() throws IOException {
            long count = u32("the config entry count");
            if (count * MIN_ENTRY_BYTES > remaining()) {
                throw impossible("config entry count " + count, count, MIN_ENTRY_BYTES, "entry");
            }
            Map<String, String> config = new LinkedHashMap<>();
            for (long i = 0; i < count; i++) {
                String where = "config entry " + (i + 1) + " of " + count;
                String key = string(where + " (key)");
                String value = string(where + " (value of '" + key + "')");
                if (key.isEmpty()) {
                    defer(where + " has an empty key; keys must be non-empty");
                }
                if (config.put(key, value) != null) {
                    defer("duplicate config key '" + key + "' (" + where + "); keys must be unique");
                }
            }
            return config;
        }

        private List<NamedTensor> readTensors() throws IOException {
            long count = u32("the tensor count");
            if (count * MIN_TENSOR_BYTES > remaining()) {
                throw impossible("tensor count " + count, count, MIN_TENSOR_BYTES, "tensor");
            }
            List<NamedTensor> tensors = new ArrayList<>((int) count);
            Set<String> names = new HashSet<>();
            for (long i = 0; i < count; i++) {
                String where = "tensor " + (i + 1) + " of " + count;
                String name = string(where + " (name)");
                where += " '" + name + "'";
                long rows = u32(where + " (rows)");
                long cols = u32(where + " (cols)");
                String shape = rows + "x" + cols;
                if (rows == 0 || cols == 0) {
                    // at once, not after the checksum: whatever follows would be read out of step and reported
                    // as a truncated or corrupt file, which hides the actual defect
                    throw fail(where + " has shape " + shape + "; rows and cols must be at least 1");
                }
                long maxElements = Math.max(remaining(), 0) / Float.BYTES;
                if (cols != 0 && rows > maxElements / cols) {
                    // Checked before allocating: a corrupted shape must not trigger a huge allocation.
                    long bytes = rows > (Long.MAX_VALUE / Float.BYTES) / cols
                            ? Long.MAX_VALUE : rows * cols * Float.BYTES;
                    throw truncated(where + " data (" + shape + " float32)", position(), bytes);
                }
                long elements = rows * cols;
                if (elements > MAX_ARRAY) {
                    throw fail(where + " has " + elements + " elements; a tensor holds at most " + MAX_ARRAY);
                }
                float[] data = new float[(int) elements];
                floats(data);
                String problem = NamedTensor.nameProblem(name);
                if (problem != null) {
                    defer("invalid name for " + where + ": " + problem);
                } else if (!names.add(name)) {
                    defer("duplicate tensor name '" + name + "' (" + where + "); names must be unique");
                } else {
                    tensors.add(new NamedTensor(name, (int) rows, (int) cols, data));
                }
            }
            return tensors;
        }

        // --- primitives ---

        private long position() {
            return bufStart + buf.position();
        }

        /** Bytes left before the trailer. */
        private long remaining() {
            return bodyEnd - position();
        }

        private void need(long n, String section) throws IOException {
            if (n > remaining()) {
                throw truncated(section, position(), n);
            }
        }

        private long u32(String section) throws IOException {
            need(4, section);
            fill(4);
            return Integer.toUnsignedLong(buf.getInt());
        }

        private String string(String section) throws IOException {
            long length = u32(section + " length");
            need(length, section);
            if (length > MAX_ARRAY) {
                throw fail(section + " is " + length + " bytes long; strings are limited to " + MAX_ARRAY);
            }
            byte[] bytes = new byte[(int) length];
            for (int off = 0; off < bytes.length; ) {
                fill(1);
                int n = Math.min(buf.remaining(), bytes.length - off);
                buf.get(bytes, off, n);
                off += n;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                defer(section + " is not valid UTF-8");
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }

        private void floats(float[] data) throws IOException {
            for (int off = 0; off < data.length; ) {
                fill(4);
                int n = Math.min(buf.remaining() / 4, data.length - off);
                // Bulk copy of raw IEEE 754 bits: bit-identical to what was written, NaN payloads included.
                buf.asFloatBuffer().get(data, off, n);
                buf.position(buf.position() + 4 * n);
                off += n;
            }
        }

        /**
         * Makes at least {@code n} (at most a chunk) unread bytes available; callers have checked they exist before
         * {@link #bodyEnd}. Consumed bytes are hashed as they leave the buffer.
         */
        private void fill(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            sha.update(buf.array(), 0, buf.position());
            bufStart += buf.position();
            buf.compact();
            long wanted = Math.min(buf.remaining(), bodyEnd - (bufStart + buf.position()));
            buf.limit(buf.position() + (int) wanted);
            while (buf.position() < n) {
                if (channel.read(buf, bufStart + buf.position()) < 0) {
                    throw fail("ended unexpectedly at offset " + (bufStart + buf.position())
                            + " although it was " + size + " bytes when opened; was it modified while being read?");
                }
            }
            buf.flip();
        }

        private void readFully(ByteBuffer dst, long offset) throws IOException {
            while (dst.hasRemaining()) {
                if (channel.read(dst, offset + dst.position()) < 0) {
                    throw new EOFException("file shrank while being read");
                }
            }
        }

        private void defer(String problem) {
            if (deferred == null) {
                deferred = problem;
            }
        }

        private CheckpointException truncated(String section, long offset, long needed) {
            long present = Math.max(size - offset, 0);
            String need = needed == Long.MAX_VALUE ? "more than 2^63 bytes" : needed + " bytes";
            return fail("truncated in " + section + ": expected " + need + " at offset " + offset
                    + " followed by the 32-byte SHA-256 trailer, but only " + present + " bytes are present there"
                    + " (file size " + size + ")");
        }

        private CheckpointException impossible(String what, long count, int minBytes, String unit) {
            return fail("truncated or corrupted: " + what + " needs at least " + count * minBytes + " bytes ("
                    + minBytes + " per " + unit + ") at offset " + position() + ", but only "
                    + Math.max(remaining(), 0) + " bytes remain before the 32-byte SHA-256 trailer");
        }

        private CheckpointException fail(String problem) {
            return new CheckpointException(file + ": " + problem);
        }
    }

    // ----------------------------------------------------------------------------------------------------- shared

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }
}
