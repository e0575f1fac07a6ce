package dev.uff4j.backend.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteBuffer;

/**
 * The argument block of {@code cuLaunchKernel}: an array of pointers, each to one argument's value. Both live in
 * native memory allocated once (8 bytes per value); values are written through a Java view of that memory, so
 * filling a launch costs no JNI call and allocates nothing. The driver copies the values at launch time, so the
 * block can be refilled for the next launch at once. Only {@link Kernels} fills it, in the order of each kernel's
 * parameter list. It lives as long as the backend (JavaCPP frees it with its owner).
 */
final class LaunchArgs {
    private static final int MAX = 16;
    private static final int SLOT = 8;
    private final BytePointer storage = new BytePointer(MAX * SLOT);
    private final ByteBuffer values = storage.asBuffer().order(java.nio.ByteOrder.nativeOrder());
    final PointerPointer<?> block = new PointerPointer<>(MAX);
    private int count;

    LaunchArgs() {
        LongPointer entries = new LongPointer(block);
        for (int i = 0; i < MAX; i++) {
            entries.put(i, storage.address() + (long) i * SLOT);
        }
    }

    LaunchArgs start() {
        count = 0;
        return this;
    }

    /** A device pointer (0 for a null pointer). */
    LaunchArgs ptr(long address) {
        values.putLong(next(), address);
        return this;
    }

    LaunchArgs i32(int value) {
        values.putInt(next(), value);
        return this;
    }

    /** A C {@code long long} or {@code unsigned long long}. */
    LaunchArgs i64(long value) {
        values.putLong(next(), value);
        return this;
    }

    LaunchArgs f32(float value) {
        values.putFloat(next(), value);
        return this;
    }

    LaunchArgs f64(double value) {
        values.putDouble(next(), value);
        return this;
    }

    int count() {
        return count;
    }

    /** The byte offset of the next value's slot. */
    private int next() {
        if (count == MAX) {
            throw new IllegalStateException("more than " + MAX + " kernel arguments");
        }
        return SLOT * count++;
    }
}
