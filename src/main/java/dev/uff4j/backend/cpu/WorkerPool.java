package dev.uff4j.backend.cpu;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent worker threads for data-parallel ops. {@link #run} splits one task into parts, runs part 0 on the
 * calling thread and the others on daemon workers named {@code uff4j-cpu-<i>}, and returns when all are done.
 *
 * <p>Why it looks like this: one UFF step at batch 128 issues many GEMMs of 0.3-0.6 ms each, so a fork/join per call
 * (thread start, executor queue, futures) would cost as much as the work. Here a call allocates nothing: the caller
 * writes the task into each worker's slot and bumps its sequence number. A waiting thread (worker or caller) first
 * spins about {@value #SPIN_NANOS} ns with {@link Thread#onSpinWait()}, so back-to-back ops hand over in well under
 * a microsecond, and then parks, so idle workers do not burn a core between training steps (waking a parked worker
 * costs tens of times more; docs/performance.md, calibration). Every 32nd spin yields: on an oversubscribed machine a waiter sharing
 * a core with the thread it waits for would otherwise hold that core for the whole spin phase.
 *
 * <p>Rules:
 * <ul>
 *   <li>Not re-entrant: a task may not call {@link #run} on the same pool (that throws
 *       {@link IllegalStateException}; nested parallelism would deadlock or oversubscribe the cores).</li>
 *   <li>One caller at a time owns the workers. A second thread that calls {@link #run} while another call is in flight
 *       does not wait: it runs all of its parts itself, one after the other (same results, no parallelism).</li>
 *   <li>An exception in any part is rethrown by {@link #run} once every part has finished, as a
 *       {@link RuntimeException} whose cause is the original (further failures are attached as suppressed).</li>
 *   <li>{@code threads == 1} runs inline and starts no thread. After {@link #close()}, {@link #run} throws
 *       {@link IllegalStateException}.</li>
 * </ul>
 */
public final class WorkerPool implements AutoCloseable {

    /** One data-parallel piece of work; {@code part} is in [0, parts). */
    public interface Task {
        void run(int part, int parts);
    }

    /** How long a waiting thread spins before it parks: long enough to bridge consecutive ops, short when idle. */
    static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Worker[] workers;
    /** Thread currently inside {@link #run} with the workers, or null. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** Worker parts still running in the current call. */
    private final AtomicInteger pending = new AtomicInteger();
    /** The caller when it parks while waiting for {@link #pending} to reach zero, else null. */
    private volatile Thread waitingCaller;
    private volatile boolean closed;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i + 1);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} as {@code max(1, min(parts, threads()))} parts and waits for all of them. Part 0 runs on the
     * calling thread.
     *
     * @throws IllegalStateException if the pool is closed or the call comes from inside a task of this pool
     * @throws RuntimeException wrapping the first exception thrown by a part
     */
    public void run(Task task, int parts) {
        if (closed) {
            throw new IllegalStateException("WorkerPool is closed");
        }
        Thread me = Thread.currentThread();
        if (me instanceof Worker w && w.pool == this) {
            throw reentrant();
        }
        int n = Math.max(1, Math.min(parts, threads));
        if (!owner.compareAndSet(null, me)) {
            if (owner.get() == me) {
                throw reentrant();
            }
            runInline(task, n); // another thread holds the workers: do the parts here, same results
            return;
        }
        try {
            if (n == 1) {
                runInline(task, 1);
            } else {
                runParallel(task, n);
            }
        } finally {
            owner.set(null);
        }
    }

    /**
     * One step of a spin wait. Every 32nd step yields: when the machine is oversubscribed and the waiter shares a
     * core with the thread it waits for, a pure spin would hold that core for the whole spin phase (the yield made an
     * empty run on a busy machine many times faster: docs/performance.md, calibration).
     */
    private static void pause(int spins) {
        if ((spins & 31) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private static IllegalStateException reentrant() {
        return new IllegalStateException("WorkerPool.run called from inside one of its own tasks (not re-entrant)");
    }

    private static void runInline(Task task, int n) {
        Throwable failure = null;
        for (int p = 0; p < n; p++) {
            try {
                task.run(p, n);
            } catch (Throwable t) {
                failure = addFailure(failure, t);
            }
        }
        if (failure != null) {
            throw wrap(failure);
        }
    }

    private void runParallel(Task task, int n) {
        pending.set(n - 1);
        for (int p = 1; p < n; p++) {
            workers[p - 1].submit(task, p, n);
        }
        Throwable failure = null;
        try {
            task.run(0, n);
        } catch (Throwable t) {
            failure = t;
        }
        awaitWorkers();
        for (int p = 1; p < n; p++) {
            Worker w = workers[p - 1];
            if (w.failure != null) {
                failure = addFailure(failure, w.failure);
                w.failure = null;
            }
        }
        if (failure != null) {
            throw wrap(failure);
        }
    }

    private void awaitWorkers() {
        if (pending.get() == 0) {
            return;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (pending.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                pause(++spins);
            } else {
                waitingCaller = Thread.currentThread();
                while (pending.get() != 0) {
                    LockSupport.park(this);
                }
                waitingCaller = null;
            }
        }
    }

    /** Called by a worker when its part is done. */
    private void partDone() {
        if (pending.decrementAndGet() == 0) {
            Thread caller = waitingCaller;
            if (caller != null) {
                LockSupport.unpark(caller);
            }
        }
    }

    private static Throwable addFailure(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static RuntimeException wrap(Throwable t) {
        return new RuntimeException("WorkerPool task failed: " + t, t);
    }

    /** Stops and joins the workers. Idempotent. Must not be called while a {@link #run} is in flight. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            w.shutdown();
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            while (true) {
                try {
                    w.join(TimeUnit.SECONDS.toMillis(10));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker with a single-slot mailbox: {@code seq} advances once per submitted part. */
    private static final class Worker extends Thread {
        final WorkerPool pool;
        private Task task;
        private int part;
        private int parts;
        /** Written by the caller after task/part/parts (volatile publish). */
        private volatile long seq;
        private volatile boolean parked;
        private volatile boolean stop;
        /** Written by the worker before it signals done; read and cleared by the caller after. */
        Throwable failure;

        Worker(WorkerPool pool, int index) {
            super("uff4j-cpu-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        void submit(Task t, int p, int n) {
            task = t;
            part = p;
            parts = n;
            seq = seq + 1; // only the owning caller writes seq
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        void shutdown() {
            stop = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long s = awaitWork(seen);
                if (s < 0) {
                    return;
                }
                seen = s;
                Task t = task;
                task = null;
                try {
                    t.run(part, parts);
                } catch (Throwable e) {
                    failure = e;
                }
                pool.partDone();
            }
        }

        /** Returns the new sequence number, or -1 when stopped. */
        private long awaitWork(long seen) {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                long s = seq;
                if (s != seen) {
                    return s;
                }
                if (stop) {
                    return -1;
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    pause(++spins);
                    continue;
                }
                // Dekker-style hand-shake with submit(): parked is set before seq is re-read, and submit() writes seq
                // before it reads parked, so one of the two sides always sees the other.
                parked = true;
                if (seq == seen && !stop) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
