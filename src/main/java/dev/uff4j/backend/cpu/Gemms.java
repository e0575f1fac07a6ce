package dev.uff4j.backend.cpu;

import java.lang.reflect.InvocationTargetException;

/**
 * Creates the {@link Gemm} kernel for the CPU backend.
 *
 * <p>{@code auto} picks {@link VectorGemm} (Vector API, the faster: docs/performance.md) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and the preferred float vector is at least 256 bits wide, otherwise
 * {@link BlockedGemm} (pure Java). {@code VectorGemm} is loaded reflectively, so nothing links the incubator classes
 * when the module is absent and an application that did not add it still works.
 */
public final class Gemms {

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "dev.uff4j.backend.cpu.VectorGemm";
    private static final String VECTOR_SPARSE_CLASS = "dev.uff4j.backend.cpu.VectorSparseGemm";
    private static final String VECTOR_DIRECT_CONV_CLASS = "dev.uff4j.backend.cpu.VectorDirectConv";

    private Gemms() {
    }

    /** True when {@code jdk.incubator.vector} is in the boot layer (the JVM got {@code --add-modules}). */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * @param kind {@code auto}, {@code vector} or {@code blocked}
     * @param pool the threads the kernel splits each multiply over (the kernel keeps one set of pack buffers per
     *             thread)
     * @throws IllegalStateException for {@code vector} when the Vector API module is not available
     * @throws IllegalArgumentException for an unknown kind
     */
    public static Gemm create(String kind, WorkerPool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        switch (kind) {
            case "blocked":
                return new BlockedGemm(pool);
            case "vector":
                if (!vectorApiAvailable()) {
                    throw new IllegalStateException("GEMM kind 'vector' needs the Vector API: start the JVM with "
                            + "--add-modules " + VECTOR_MODULE + " (or use --gemm auto/blocked)");
                }
                return loadVector(pool);
            case "auto":
                if (vectorApiAvailable() && preferredVectorBits() >= 256) {
                    return loadVector(pool);
                }
                return new BlockedGemm(pool);
            default:
                throw new IllegalArgumentException("unknown GEMM kind '" + kind + "': expected auto, vector or blocked");
        }
    }

    /** Width of the JVM's preferred float vector in bits, or 0 when the Vector API is not available. */
    static int preferredVectorBits() {
        if (!vectorApiAvailable()) {
            return 0;
        }
        try {
            return (Integer) Class.forName(VECTOR_CLASS).getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    private static Gemm loadVector(WorkerPool pool) {
        try {
            return (Gemm) Class.forName(VECTOR_CLASS).getConstructor(WorkerPool.class).newInstance(pool);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot create VectorGemm: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load VectorGemm (is --add-modules " + VECTOR_MODULE
                    + " given?): " + e, e);
        }
    }

    /**
     * The sparse products with exactly {@code gemm}'s sums ({@link SparseGemm}) for {@code VectorGemm}; null for
     * another GEMM (the pure-Java fallback gains little from sparsity), which the backend then always uses densely.
     *
     * @param gemm the dense GEMM the backend uses
     * @param pool its worker pool
     * @return the matching sparse products, or null
     */
    static SparseGemm sparseFor(Gemm gemm, WorkerPool pool) {
        return companionOf(gemm, VECTOR_SPARSE_CLASS, SparseGemm.class, pool);
    }

    /**
     * The single-map convolutions with exactly {@code gemm}'s sums ({@link DirectConv}) for {@code VectorGemm}; null
     * for another GEMM, whose convolutions then always go through the lowering.
     *
     * @param gemm the dense GEMM the backend uses
     * @param pool its worker pool
     * @return the matching direct convolutions, or null
     */
    static DirectConv directConvFor(Gemm gemm, WorkerPool pool) {
        return companionOf(gemm, VECTOR_DIRECT_CONV_CLASS, DirectConv.class, pool);
    }

    /** A new {@code className}(pool) when {@code gemm} is {@code VectorGemm}, whose sums the class reproduces, else null. */
    private static <T> T companionOf(Gemm gemm, String className, Class<T> type, WorkerPool pool) {
        if (!gemm.getClass().getName().equals(VECTOR_CLASS)) {
            return null;
        }
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor(WorkerPool.class).newInstance(pool));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load " + className + ": " + e, e);
        }
    }

    /**
     * Chooses the dimension to split a multiply over {@code parts} threads: rows (true) or columns (false). Each part
     * packs all of the operand it does not split (all of B when rows are split, all of A when columns are), so the
     * estimate per part is its multiply-adds (tiles rounded up) plus the elements it packs times a weight that says
     * how many multiply-adds the kernel could have done in the time packing one element takes.
     *
     * @param wA weight of one packed A element
     * @param wB weight of one packed B element (the caller makes it larger when B is transposed)
     */
    static boolean splitRows(int m, int n, int k, int mr, int nr, int parts, double wA, double wB) {
        int tilesM = (m + mr - 1) / mr;
        int tilesN = (n + nr - 1) / nr;
        if (tilesM < parts || tilesN < parts) {
            return tilesM >= tilesN;
        }
        double rowsPerPart = (double) ((tilesM + parts - 1) / parts) * mr;
        double colsPerPart = (double) ((tilesN + parts - 1) / parts) * nr;
        double byRows = rowsPerPart * tilesN * nr * k + wA * rowsPerPart * k + wB * (double) k * n;
        double byCols = (double) tilesM * mr * colsPerPart * k + wA * (double) m * k + wB * k * colsPerPart;
        return byRows <= byCols;
    }

    /**
     * Validates the arguments of {@link Gemm#multiply} up front, so a bad call fails with a message instead of an
     * index error half-way through writing C.
     */
    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("C", c, cOff, ldc, m, n);
        if (k == 0) {
            return;
        }
        if (transA) {
            checkMatrix("A (transposed, stored k x m)", a, aOff, lda, k, m);
        } else {
            checkMatrix("A", a, aOff, lda, m, k);
        }
        if (transB) {
            checkMatrix("B (transposed, stored n x k)", b, bOff, ldb, n, k);
        } else {
            checkMatrix("B", b, bOff, ldb, k, n);
        }
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (ld < cols) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " < row length " + cols);
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException(name + ": " + rows + " x " + cols + " with offset " + off
                    + " and leading dimension " + ld + " needs " + last + " elements, array has " + x.length);
        }
    }
}
