package dev.uff4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void everyPartRunsExactlyOnceOnItsOwnThread() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicIntegerArray count = new AtomicIntegerArray(3);
            Thread[] ran = new Thread[3];
            AtomicInteger seenParts = new AtomicInteger();
            pool.run((part, parts) -> {
                count.incrementAndGet(part);
                ran[part] = Thread.currentThread();
                seenParts.set(parts);
            }, 5);
            assertEquals(3, seenParts.get(), "parts is capped at threads()");
            assertEquals("[1, 1, 1]", count.toString());
            assertSame(Thread.currentThread(), ran[0], "part 0 runs on the caller");
            assertTrue(ran[1].getName().startsWith("uff4j-cpu-") && ran[1].isDaemon(), ran[1].getName());
            assertTrue(ran[2].getName().startsWith("uff4j-cpu-"), ran[2].getName());
            assertNotSame(ran[1], ran[2]);
        }
    }

    @Test
    void fewerPartsThanThreadsAndNonPositivePartsCount() {
        try (WorkerPool pool = new WorkerPool(4)) {
            AtomicIntegerArray count = new AtomicIntegerArray(4);
            pool.run((part, parts) -> {
                assertEquals(2, parts);
                count.incrementAndGet(part);
            }, 2);
            assertEquals("[1, 1, 0, 0]", count.toString());
            AtomicInteger calls = new AtomicInteger();
            pool.run((part, parts) -> {
                assertEquals(0, part);
                assertEquals(1, parts);
                calls.incrementAndGet();
            }, 0);
            assertEquals(1, calls.get(), "parts < 1 runs as one part");
        }
    }

    @Test
    void manyRepeatedRunsLoseNoPart() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicLong[] sums = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            int runs = 20_000;
            for (int r = 0; r < runs; r++) {
                int round = r;
                pool.run((part, parts) -> sums[part].addAndGet(round), 3);
                if (r % 5000 == 0) {
                    Thread.onSpinWait();
                }
            }
            long expected = (long) runs * (runs - 1) / 2;
            for (AtomicLong s : sums) {
                assertEquals(expected, s.get());
            }
        }
    }

    @Test
    void runsAfterIdlePeriodsWakeParkedWorkers() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicInteger count = new AtomicInteger();
            for (int r = 0; r < 5; r++) {
                Thread.sleep(3); // far longer than the spin phase: the worker has parked
                pool.run((part, parts) -> count.incrementAndGet(), 2);
            }
            assertEquals(10, count.get());
        }
    }

    @Test
    void idleWorkersParkInsteadOfSpinning() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            Thread[] worker = new Thread[1];
            pool.run((part, parts) -> {
                if (part == 1) {
                    worker[0] = Thread.currentThread();
                }
            }, 2);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (worker[0].getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.WAITING, worker[0].getState(), "an idle worker should park");
        }
    }

    @Test
    void exceptionInAWorkerPartIsRethrownAfterAllPartsFinish() {
        try (WorkerPool pool = new WorkerPool(3)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            AtomicIntegerArray finished = new AtomicIntegerArray(3);
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run((part, parts) -> {
                if (part == 1) {
                    throw boom;
                }
                if (part == 2) {
                    sleep(20);
                }
                finished.set(part, 1);
            }, 3));
            assertSame(boom, e.getCause());
            assertEquals("[1, 0, 1]", finished.toString(), "the slow part finished before run returned");
            // The pool is still usable.
            AtomicInteger count = new AtomicInteger();
            pool.run((part, parts) -> count.incrementAndGet(), 3);
            assertEquals(3, count.get());
        }
    }

    @Test
    void exceptionsInSeveralPartsAreAllReported() {
        try (WorkerPool pool = new WorkerPool(3)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run((part, parts) -> {
                throw new IllegalStateException("part " + part);
            }, 3));
            assertEquals("part 0", e.getCause().getMessage());
            assertEquals(2, e.getCause().getSuppressed().length);
        }
    }

    @Test
    void errorsAreWrappedToo() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AssertionError err = new AssertionError("bad");
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run((part, parts) -> {
                if (part == 1) {
                    throw err;
                }
            }, 2));
            assertSame(err, e.getCause());
        }
    }

    @Test
    void singleThreadPoolRunsInlineWithoutWorkers() {
        Set<String> before = workerThreadNames();
        try (WorkerPool pool = new WorkerPool(1)) {
            assertEquals(before, workerThreadNames(), "threads=1 starts no thread");
            Thread[] ran = new Thread[1];
            AtomicInteger parts = new AtomicInteger();
            pool.run((part, n) -> {
                ran[0] = Thread.currentThread();
                parts.set(n);
            }, 8);
            assertSame(Thread.currentThread(), ran[0]);
            assertEquals(1, parts.get());
            RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run((part, n) -> {
                throw new ArithmeticException("x");
            }, 1));
            assertInstanceOf(ArithmeticException.class, e.getCause());
        }
    }

    @Test
    void closeStopsWorkersAndLaterRunsFail() {
        WorkerPool pool = new WorkerPool(3);
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        pool.run((part, parts) -> {
            if (part > 0) {
                workers.add(Thread.currentThread());
            }
        }, 3);
        assertEquals(2, workers.size());
        pool.close();
        for (Thread t : workers) {
            assertFalse(t.isAlive(), t.getName() + " still alive after close()");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((p, n) -> { }, 3));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.run((p, n) -> { }, 1));
        pool.close(); // idempotent

        WorkerPool single = new WorkerPool(1);
        single.close();
        assertThrows(IllegalStateException.class, () -> single.run((p, n) -> { }, 1));
    }

    @Test
    void runFromInsideATaskIsRejected() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray rejected = new AtomicIntegerArray(2);
            pool.run((part, parts) -> {
                try {
                    pool.run((p, n) -> { }, 2);
                } catch (IllegalStateException expected) {
                    rejected.set(part, 1);
                }
            }, 2);
            assertEquals("[1, 1]", rejected.toString(), "both the caller's part and the worker's part are rejected");
            // Also with a single part (inline path).
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> pool.run((part, parts) -> pool.run((p, n) -> { }, 1), 1));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }

    @Test
    void concurrentCallersBothGetAllTheirParts() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            long[][] sums = new long[2][2];
            Thread[] callers = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                callers[t] = new Thread(() -> {
                    for (int r = 1; r <= 5000; r++) {
                        int round = r;
                        pool.run((part, parts) -> sums[id][part] += round, 2);
                    }
                });
                callers[t].start();
            }
            for (Thread t : callers) {
                t.join();
            }
            long expected = 5000L * 5001 / 2;
            for (long[] s : sums) {
                assertArrayEquals(new long[]{expected, expected}, s);
            }
        }
    }

    private static Set<String> workerThreadNames() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("uff4j-cpu-")) {
                names.add(t.getName() + "#" + t.getId());
            }
        }
        return names;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
