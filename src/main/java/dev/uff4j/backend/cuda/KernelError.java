package dev.uff4j.backend.cuda;

import dev.uff4j.backend.support.Shapes;

/**
 * What a kernel reports through the backend's device error record ({@code record_error} in {@code common.cuh}):
 * a label that is not a class index, or a max-pooling arg-max that is not an index into its row. The codes are the
 * {@code OP_*} constants of {@code common.cuh}, held to these by {@code KernelDeclarationsTest}. Each becomes the
 * same exception the CPU backend throws for the same input.
 */
enum KernelError {
    SOFTMAX_CROSS_ENTROPY(1, "softmaxCrossEntropy", true),
    COUNT_CORRECT(2, "countCorrect", true),
    OVERLAY_LABELS(3, "overlayLabels", true),
    WRONG_LABELS(4, "wrongLabels", true),
    MAX_POOL_BACKWARD(5, "maxPool2dBackward", false),
    SAMPLE_WRONG_LABELS(6, "sampleWrongLabels", true);

    private final int code;
    private final String op;
    private final boolean label;

    KernelError(int code, String op, boolean label) {
        this.code = code;
        this.op = op;
        this.label = label;
    }

    /** The op code a kernel writes ({@code OP_*} in {@code common.cuh}). */
    int code() {
        return code;
    }

    /** The backend op whose kernel reports it. */
    String op() {
        return op;
    }

    /**
     * The error whose code a kernel wrote.
     *
     * @throws IllegalStateException for a code no kernel writes (a kernel and this enum out of step)
     */
    static KernelError of(int code) {
        for (KernelError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new IllegalStateException("the device error record holds op code " + code
                + ", which no kernel writes (src/main/cuda/common.cuh and KernelError disagree)");
    }

    /** The exception for {@code value} found at {@code row}, which had to lie in [0, bound). */
    IllegalArgumentException exception(int row, float value, int bound) {
        return label ? Shapes.badLabel(op, value, row, bound) : Shapes.badArgmax(op, value, row, bound);
    }
}
