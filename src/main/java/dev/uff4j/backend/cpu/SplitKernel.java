package dev.uff4j.backend.cpu;

/**
 * Base of the CPU backend's element-wise kernels: {@code count} independent units (the rows of a tensor, its
 * columns, or chunks of a flat buffer) split evenly into parts, one part per worker, the way a CUDA kernel's grid is
 * split into blocks. A kernel object is created once per backend and re-armed with fields before each launch, so
 * launching allocates nothing. Every output element is produced by exactly one part and every reduction runs in a
 * fixed order inside its unit or over per-unit partial results, so results do not depend on the thread count.
 */
abstract class SplitKernel implements WorkerPool.Task {
    /** Below this many elements an op runs on the calling thread: waking a worker costs more than it saves. */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private final WorkerPool pool;
    private int count;

    SplitKernel(WorkerPool pool) {
        this.pool = pool;
    }

    /** Processes units [from, to) as part {@code part}. */
    abstract void range(int from, int to, int part);

    /** Runs {@code units} units that touch {@code elements} elements in all, in parallel when that pays. */
    final void launch(int units, long elements) {
        this.count = units;
        int parts = elements < PARALLEL_MIN_ELEMENTS ? 1 : Math.min(pool.threads(), units);
        if (parts <= 1) {
            range(0, units, 0);
        } else {
            pool.run(this, parts);
        }
    }

    @Override
    public final void run(int part, int parts) {
        int from = (int) ((long) count * part / parts);
        int to = (int) ((long) count * (part + 1) / parts);
        if (from < to) {
            range(from, to, part);
        }
    }

    int threads() {
        return pool.threads();
    }
}
