package dev.uff4j.backend.cuda;

import java.util.List;
import java.util.Locale;

/**
 * Every kernel of {@code src/main/cuda} with its parameters in order: the one declaration of a kernel's signature on
 * the Java side. A constant's name is the kernel's {@code extern "C"} name in upper case. The launchers of
 * {@link Kernels} fill a {@link LaunchArgs} against it, which throws on a wrong type or count before anything is
 * launched, and {@code KernelDeclarationsTest} holds these declarations to the {@code .cu} files' (names, order,
 * types), so a drift shows in CI without a GPU.
 */
enum Kernel {
    // dense_kernels.cu
    DENSE_EPILOGUE(ptr("o"), ptr("b"), ptr("d"), ptr("rowScale"), i32("cols"), i32("act"), i32("topK"),
            i32("layerNorm")),
    EPILOGUE_BACKWARD(ptr("g"), ptr("y"), ptr("d"), ptr("rowScale"), ptr("dz"), i32("cols"), i32("layerNorm")),
    COLUMN_TOP_K(ptr("o"), ptr("d"), i32("rows"), i32("cols"), i32("k")),
    COLUMN_SUM(ptr("m"), ptr("out"), i32("rows"), i32("cols")),
    MUL_MASK(ptr("x"), ptr("mask"), ptr("out"), i64("size")),
    // loss_kernels.cu
    FINISH_SUM(ptr("values"), i32("rows"), f64("multiplier"), f64("divisor"), ptr("acc"), i32("slot")),
    MSE_ROWS(ptr("o"), ptr("t"), ptr("d"), ptr("dz"), i32("cols"), f32("scale"), ptr("rowSums")),
    SOFTMAX_CROSS_ENTROPY(ptr("z"), ptr("labels"), ptr("g"), i32("rows"), i32("cols"), f32("invRows"),
            ptr("rowLoss"), ptr("rowHit"), ptr("error")),
    COUNT_CORRECT(ptr("z"), ptr("labels"), i32("rows"), i32("cols"), ptr("rowHit"), ptr("error")),
    ARGMAX_ROWS(ptr("z"), ptr("out"), i32("rows"), i32("cols")),
    L1_ROWS(ptr("a"), ptr("grad"), i32("cols"), f32("step"), ptr("rowSums")),
    // noise_kernels.cu
    CORRUPT(ptr("x"), ptr("o"), i64("size"), i64("key"), f32("std"), f32("maskProb")),
    RANDN(ptr("out"), i64("size"), i64("key"), f32("mean"), f32("std")),
    // optimizer_kernels.cu
    ADAMW(ptr("p"), ptr("g"), ptr("m"), ptr("v"), i64("size"), i64("decayCount"), f32("decayFactor"), f32("beta1"),
            f32("beta2"), f32("oneMinusBeta1"), f32("oneMinusBeta2"), f32("eps"), f32("stepSize"),
            f32("invSqrtBc2")),
    // memory_kernels.cu
    COPY_COLUMNS(ptr("src"), ptr("dst"), i32("rows"), i32("srcCols"), i32("dstCols"), i32("col")),
    ADD_COLUMNS(ptr("src"), ptr("dst"), i32("rows"), i32("srcCols"), i32("dstCols"), i32("col")),
    // gemm.cu
    GEMM(i32("transA"), i32("transB"), i32("m"), i32("n"), i32("k"), ptr("a"), i32("lda"), ptr("b"), i32("ldb"),
            ptr("c"), i32("ldc")),
    // goodness_kernels.cu
    OVERLAY_LABELS(ptr("x"), ptr("labels"), ptr("out"), i32("rows"), i32("cols"), i32("classes"), f32("value"),
            ptr("error")),
    WRONG_LABELS(ptr("labels"), ptr("out"), i32("rows"), i32("classes"), i64("key"), ptr("error")),
    SAMPLE_WRONG_LABELS(ptr("scores"), ptr("labels"), ptr("out"), i32("rows"), i32("classes"), f32("temperature"),
            i64("key"), ptr("error")),
    NORMALIZE_ROWS(ptr("x"), ptr("out"), i32("cols")),
    GOODNESS_LOSS(ptr("h"), ptr("dh"), i32("rows"), i32("cols"), f32("scale"), f32("threshold"), ptr("rowLoss")),
    ADD_GOODNESS(ptr("h"), ptr("scores"), i32("cols"), i32("scoreCols"), i32("col")),
    // conv_kernels.cu
    IM2COL(ptr("x"), ptr("cols"), i32("samples"), i32("channels"), i32("height"), i32("width"), i32("kernel"),
            i32("stride"), i32("pad"), i32("outH"), i32("outW")),
    CONV_BIAS_ACTIVATION(ptr("z"), ptr("b"), ptr("out"), ptr("d"), i32("samples"), i32("outChannels"),
            i32("positions"), i32("act")),
    CONV_GATHER_DZ(ptr("dz"), ptr("zd"), i32("samples"), i32("outChannels"), i32("positions")),
    COL2IM(ptr("dcols"), ptr("dx"), i32("samples"), i32("channels"), i32("height"), i32("width"), i32("kernel"),
            i32("stride"), i32("pad"), i32("outH"), i32("outW")),
    CONV_BIAS_GRAD(ptr("dz"), ptr("db"), i32("rows"), i32("outChannels"), i32("positions")),
    MAX_POOL_FORWARD(ptr("x"), ptr("out"), ptr("argmax"), i32("rows"), i32("channels"), i32("height"), i32("width"),
            i32("size")),
    MAX_POOL_BACKWARD(ptr("dOut"), ptr("argmax"), ptr("dx"), i32("rows"), i32("outCols"), i32("inCols"),
            ptr("error")),
    UPSAMPLE_FORWARD(ptr("x"), ptr("out"), i32("rows"), i32("channels"), i32("height"), i32("width"),
            i32("factor")),
    UPSAMPLE_BACKWARD(ptr("dOut"), ptr("dx"), i32("rows"), i32("channels"), i32("height"), i32("width"),
            i32("factor"));

    /** How an argument is passed: a device pointer, or a C int, long long, float or double. */
    enum Type {
        PTR, I32, I64, F32, F64
    }

    /** One parameter: its name in the {@code .cu} file and its type. */
    record Param(String name, Type type) {
    }

    private final Param[] params;

    Kernel(Param... params) {
        this.params = params;
    }

    /** The kernel's {@code extern "C"} name, as {@code cuModuleGetFunction} finds it. */
    String symbol() {
        return name().toLowerCase(Locale.ROOT);
    }

    List<Param> params() {
        return List.of(params);
    }

    int arity() {
        return params.length;
    }

    Type type(int index) {
        return params[index].type();
    }

    private static Param ptr(String name) {
        return new Param(name, Type.PTR);
    }

    private static Param i32(String name) {
        return new Param(name, Type.I32);
    }

    private static Param i64(String name) {
        return new Param(name, Type.I64);
    }

    private static Param f32(String name) {
        return new Param(name, Type.F32);
    }

    private static Param f64(String name) {
        return new Param(name, Type.F64);
    }
}
