package dev.uff4j.backend.cpu;

/**
 * Base of the CPU backend's element-wise kernels: the rows of one tensor split evenly into parts, one part per
 * worker. A kernel object is created once per backend and re-armed with fields before each launch, so launching
 * allocates nothing. Every output element is produced by exactly one part and every reduction runs in row order
 * inside its part or over per-row partial results, so the results do not depend on the thread count.
 */
abstract class RowKernel implements WorkerPool.Task {
    /** Below this many elements an op runs on the calling thread: waking a worker costs more than it saves. */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 15;

    private final WorkerPool pool;
    private int rows;

    RowKernel(WorkerPool pool) {
        this.pool = pool;
    }

    /** Processes rows [from, to) as part {@code part}. */
    abstract void rows(int from, int to, int part);

    final void launch(int rowCount, long elements) {
        this.rows = rowCount;
        int parts = elements < PARALLEL_MIN_ELEMENTS ? 1 : Math.min(pool.threads(), rowCount);
        if (parts == 1) {
            rows(0, rowCount, 0);
        } else {
            pool.run(this, parts);
        }
    }

    @Override
    public final void run(int part, int parts) {
        int from = (int) ((long) rows * part / parts);
        int to = (int) ((long) rows * (part + 1) / parts);
        if (from < to) {
            rows(from, to, part);
        }
    }

    int threads() {
        return pool.threads();
    }
}
