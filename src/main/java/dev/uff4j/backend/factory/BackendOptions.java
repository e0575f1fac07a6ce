package dev.uff4j.backend.factory;

import java.util.Locale;
import java.util.Objects;

/**
 * Which backend to open and how it computes, as types: {@code BackendOptions.cpu().threads(4)},
 * {@code BackendOptions.auto()}, {@code BackendOptions.cuda().cudaGemm(CudaGemm.KERNEL)}. Immutable: each setter
 * returns a new value. Choosing the CPU needs nothing of CUDA on the class path.
 *
 * @param kind     {@link Kind#AUTO} (the GPU when one is found, else the CPU), {@link Kind#CPU} or {@link Kind#CUDA}
 * @param threads  CPU worker threads; 0 for every available processor
 * @param cpuGemm  the CPU's matrix multiply
 * @param cudaGemm the GPU's matrix multiply
 * @param tf32     let cuBLAS use TF32 tensor cores (about 10 bits of mantissa per product; off by default, so the GPU
 *                 matches the CPU to float32 rounding)
 * @param debug    synchronise the GPU after every kernel and check it, so that an error names its kernel (slow)
 * @param device   the CUDA device ordinal
 */
public record BackendOptions(Kind kind, int threads, CpuGemm cpuGemm, CudaGemm cudaGemm, boolean tf32, boolean debug,
                             int device) {
    /** The system property that turns on {@link #debug} by default (the GPU conformance tests set it). */
    public static final String DEBUG_PROPERTY = "uff4j.cuda.debug";

    /** Which backend. */
    public enum Kind {
        /** The GPU when one is found, else the CPU (with a one-line notice saying why). */
        AUTO,
        /** The pure-Java backend. */
        CPU,
        /** The GPU backend; an error when no usable GPU is found. */
        CUDA;

        /**
         * {@code auto}, {@code cpu} or {@code cuda}, as on the command line.
         *
         * @param name the name, in any case, surrounding blanks ignored
         * @return the kind
         * @throws IllegalArgumentException for any other name, null included
         */
        public static Kind parse(String name) {
            return parseEnum(Kind.class, name, "backend", "auto, cpu or cuda");
        }
    }

    /** The CPU's matrix multiply. */
    public enum CpuGemm {
        /**
         * The Vector API kernel when the JVM has the module ({@code --add-modules jdk.incubator.vector}) and its
         * preferred float vector is at least 256 bits wide, else BLOCKED.
         */
        AUTO,
        /** The register-tiled Vector API kernel; an error without the module. */
        VECTOR,
        /** The pure-Java cache-blocked kernel. */
        BLOCKED;

        /**
         * {@code auto}, {@code vector} or {@code blocked}, as on the command line.
         *
         * @param name the name, in any case, surrounding blanks ignored
         * @return the choice
         * @throws IllegalArgumentException for any other name, null included
         */
        public static CpuGemm parse(String name) {
            return parseEnum(CpuGemm.class, name, "CPU GEMM", "auto, vector or blocked");
        }
    }

    /** The GPU's matrix multiply. */
    public enum CudaGemm {
        /** cuBLAS when it loads, else uff4j's own kernel. */
        AUTO,
        /** cuBLAS; an error when it cannot be loaded. */
        CUBLAS,
        /** uff4j's own tiled GEMM kernel. */
        KERNEL;

        /**
         * {@code auto}, {@code cublas} or {@code kernel}, as on the command line.
         *
         * @param name the name, in any case, surrounding blanks ignored
         * @return the choice
         * @throws IllegalArgumentException for any other name, null included
         */
        public static CudaGemm parse(String name) {
            return parseEnum(CudaGemm.class, name, "CUDA GEMM", "auto, cublas or kernel");
        }
    }

    /**
     * Options, checked; most callers start from {@link #auto()}, {@link #cpu()} or {@link #cuda()} instead.
     *
     * @param kind     which backend
     * @param threads  CPU worker threads in [0, 1024]; 0 for every available processor
     * @param cpuGemm  the CPU's matrix multiply
     * @param cudaGemm the GPU's matrix multiply
     * @param tf32     let cuBLAS use TF32 tensor cores
     * @param debug    synchronise the GPU after every kernel and check it (slow)
     * @param device   the CUDA device ordinal, at least 0
     * @throws NullPointerException     if {@code kind}, {@code cpuGemm} or {@code cudaGemm} is null
     * @throws IllegalArgumentException if {@code threads} is not in [0, 1024] or {@code device} is negative
     */
    public BackendOptions {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cpuGemm, "cpuGemm");
        Objects.requireNonNull(cudaGemm, "cudaGemm");
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in [0, 1024] (0: every processor), got " + threads);
        }
        if (device < 0) {
            throw new IllegalArgumentException("the CUDA device must be >= 0, got " + device);
        }
    }

    /**
     * The GPU when one is found, else the CPU; every other choice at its default: every processor, the automatic
     * GEMMs, no TF32, device 0, and debug only when the system property {@value #DEBUG_PROPERTY} is true.
     *
     * @return the options
     */
    public static BackendOptions auto() {
        return new BackendOptions(Kind.AUTO, 0, CpuGemm.AUTO, CudaGemm.AUTO, false, Boolean.getBoolean(DEBUG_PROPERTY),
                0);
    }

    /**
     * The CPU backend with every processor and the best GEMM this JVM offers.
     *
     * @return {@link #auto()} with {@link Kind#CPU}
     */
    public static BackendOptions cpu() {
        return auto().kind(Kind.CPU);
    }

    /**
     * The GPU backend (cuBLAS when it loads, float32, device 0).
     *
     * @return {@link #auto()} with {@link Kind#CUDA}
     */
    public static BackendOptions cuda() {
        return auto().kind(Kind.CUDA);
    }

    /**
     * These options with another backend.
     *
     * @param value the backend
     * @return a new value
     * @throws NullPointerException if {@code value} is null
     */
    public BackendOptions kind(Kind value) {
        return new BackendOptions(value, threads, cpuGemm, cudaGemm, tf32, debug, device);
    }

    /**
     * These options with another CPU thread count; a GPU backend ignores it.
     *
     * @param value worker threads in [0, 1024]; 0 for every available processor
     * @return a new value
     * @throws IllegalArgumentException if {@code value} is not in [0, 1024]
     */
    public BackendOptions threads(int value) {
        return new BackendOptions(kind, value, cpuGemm, cudaGemm, tf32, debug, device);
    }

    /**
     * These options with another CPU matrix multiply; a GPU backend ignores it.
     *
     * @param value the CPU's GEMM
     * @return a new value
     * @throws NullPointerException if {@code value} is null
     */
    public BackendOptions cpuGemm(CpuGemm value) {
        return new BackendOptions(kind, threads, value, cudaGemm, tf32, debug, device);
    }

    /**
     * These options with another GPU matrix multiply; the CPU backend ignores it.
     *
     * @param value the GPU's GEMM
     * @return a new value
     * @throws NullPointerException if {@code value} is null
     */
    public BackendOptions cudaGemm(CudaGemm value) {
        return new BackendOptions(kind, threads, cpuGemm, value, tf32, debug, device);
    }

    /**
     * These options with TF32 products allowed or not (cuBLAS only; see {@link #tf32()}).
     *
     * @param value true to let cuBLAS use TF32 tensor cores
     * @return a new value
     */
    public BackendOptions tf32(boolean value) {
        return new BackendOptions(kind, threads, cpuGemm, cudaGemm, value, debug, device);
    }

    /**
     * These options with the GPU's debug mode on or off (see {@link #debug()}).
     *
     * @param value true to synchronise and check after every kernel
     * @return a new value
     */
    public BackendOptions debug(boolean value) {
        return new BackendOptions(kind, threads, cpuGemm, cudaGemm, tf32, value, device);
    }

    /**
     * These options with another CUDA device; the CPU backend ignores it.
     *
     * @param value the CUDA device ordinal, at least 0
     * @return a new value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BackendOptions device(int value) {
        return new BackendOptions(kind, threads, cpuGemm, cudaGemm, tf32, debug, value);
    }

    /**
     * {@link #threads}, with 0 resolved to the number of available processors.
     *
     * @return the CPU worker threads to start, at least 1
     */
    public int threadCount() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String name, String what, String expected) {
        if (name != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(name.trim())) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "' (expected " + expected + ")");
    }

    /** The lower-case name of an enum constant, as on the command line. */
    static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
