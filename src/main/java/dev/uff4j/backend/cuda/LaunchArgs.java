package dev.uff4j.backend.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The argument block of {@code cuLaunchKernel}: an array of pointers, each to one argument's value. Both live in
 * native memory allocated once (8 bytes per value); values are written through a Java view of that memory, so
 * filling a launch costs no JNI call and allocates nothing. The driver copies the values at launch time, so the
 * block can be refilled for the next launch at once. It lives as long as the backend (JavaCPP frees it with its
 * owner).
 *
 * <p>The block is untyped to the driver: a value of the wrong type or a missing one would corrupt the kernel's
 * arguments silently. So each fill names its {@link Kernel} ({@link #start}) and every value is checked against the
 * kernel's declared parameter at its position; {@link #complete} checks the count.
 */
final class LaunchArgs {
    private static final int MAX = 16;
    private static final int SLOT = 8;
    private final BytePointer storage = new BytePointer(MAX * SLOT);
    private final ByteBuffer values = storage.asBuffer().order(ByteOrder.nativeOrder());
    final PointerPointer<?> block = new PointerPointer<>(MAX);
    private Kernel kernel;
    private int count;

    LaunchArgs() {
        LongPointer entries = new LongPointer(block);
        for (int i = 0; i < MAX; i++) {
            entries.put(i, storage.address() + (long) i * SLOT);
        }
    }

    /** Starts the arguments of a launch of {@code k}. */
    LaunchArgs start(Kernel k) {
        if (k.arity() > MAX) {
            throw new IllegalStateException(k.symbol() + " takes " + k.arity() + " arguments, more than " + MAX);
        }
        kernel = k;
        count = 0;
        return this;
    }

    /** A device pointer (0 for a null pointer). */
    LaunchArgs ptr(long address) {
        values.putLong(next(Kernel.Type.PTR), address);
        return this;
    }

    LaunchArgs i32(int value) {
        values.putInt(next(Kernel.Type.I32), value);
        return this;
    }

    /** A C {@code long long} or {@code unsigned long long}. */
    LaunchArgs i64(long value) {
        values.putLong(next(Kernel.Type.I64), value);
        return this;
    }

    LaunchArgs f32(float value) {
        values.putFloat(next(Kernel.Type.F32), value);
        return this;
    }

    LaunchArgs f64(double value) {
        values.putDouble(next(Kernel.Type.F64), value);
        return this;
    }

    /** The kernel whose arguments are now all given; throws when some are missing. */
    Kernel complete() {
        if (count != kernel.arity()) {
            throw new IllegalStateException(kernel.symbol() + " takes " + kernel.arity() + " arguments, its launcher "
                    + "gave " + count);
        }
        return kernel;
    }

    /** The byte offset of the next value's slot, once its type is the one the kernel declares there. */
    private int next(Kernel.Type type) {
        if (count == kernel.arity()) {
            throw new IllegalStateException(kernel.symbol() + " takes " + kernel.arity() + " arguments, its launcher "
                    + "gives more");
        }
        Kernel.Type expected = kernel.type(count);
        if (expected != type) {
            throw new IllegalStateException(kernel.symbol() + ": argument " + (count + 1) + " ("
                    + kernel.params().get(count).name() + ") is " + expected + ", its launcher passes " + type);
        }
        return SLOT * count++;
    }
}
