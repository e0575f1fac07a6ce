package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.FloatBuffer;

import static org.bytedeco.cuda.global.cudart.CU_EVENT_DISABLE_TIMING;
import static org.bytedeco.cuda.global.cudart.cuEventCreate;
import static org.bytedeco.cuda.global.cudart.cuEventDestroy;
import static org.bytedeco.cuda.global.cudart.cuEventRecord;
import static org.bytedeco.cuda.global.cudart.cuEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cuMemAllocHost;
import static org.bytedeco.cuda.global.cudart.cuMemFreeHost;

/**
 * A ring of pinned (page-locked) host buffers for asynchronous copies. The host fills a buffer, a copy on the
 * stream reads it, and an event recorded after the copy says when the buffer may be filled again. With several
 * buffers the host gathers the next mini-batch while the GPU still copies and computes the previous ones.
 */
final class HostStaging {
    private static final int SLOTS = 4;
    private final CUstream_st stream;
    private final Slot[] slots = new Slot[SLOTS];
    private int next;

    /** One pinned buffer and the event after the last copy that used it. */
    static final class Slot {
        final CUevent_st event = new CUevent_st();
        FloatPointer floats;
        /** The same pinned memory as a Java buffer: bulk copies from float[] without a JNI call per row. */
        FloatBuffer buffer;
        long capacity;
        boolean pending;
    }

    HostStaging(CUstream_st stream) {
        this.stream = stream;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
            Driver.check(cuEventCreate(slots[i].event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        }
    }

    /** The next buffer with room for {@code count} floats, once the GPU is done with its last copy. */
    Slot acquire(long count) {
        Slot s = slots[next];
        next = (next + 1) % SLOTS;
        if (s.pending) {
            Driver.check(cuEventSynchronize(s.event), "cuEventSynchronize(staging)");
            s.pending = false;
        }
        if (s.capacity < count) {
            free(s);
            long capacity = Math.max(count, 2 * s.capacity);
            Pointer p = new Pointer();
            Driver.check(cuMemAllocHost(p, capacity * Float.BYTES), "cuMemAllocHost(" + capacity * Float.BYTES + " bytes)");
            s.floats = new FloatPointer(p).capacity(capacity).limit(capacity);
            s.buffer = s.floats.asBuffer();
            s.capacity = capacity;
        }
        s.floats.position(0);
        s.buffer.clear();
        return s;
    }

    /** Marks the slot busy until the copies enqueued so far have run. */
    void release(Slot s) {
        s.floats.position(0);
        Driver.check(cuEventRecord(s.event, stream), "cuEventRecord(staging)");
        s.pending = true;
    }

    private static void free(Slot s) {
        if (s.floats != null) {
            cuMemFreeHost(s.floats.position(0));
            s.floats = null;
            s.buffer = null;
            s.capacity = 0;
        }
    }

    void close() {
        for (Slot s : slots) {
            if (s.pending) {
                cuEventSynchronize(s.event);
            }
            free(s);
            cuEventDestroy(s.event);
        }
    }
}
