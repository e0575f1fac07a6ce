package dev.uff4j.backend;

/**
 * Element-wise activations of a dense or convolutional layer. The derivative is computed from the output in the
 * forward pass.
 */
public enum Activation {
    /** {@code f(z) = z}; derivative 1. */
    IDENTITY(0),
    /** {@code f(z) = max(z, 0)}; derivative 1 where the output is positive, else 0. */
    RELU(1),
    /** {@code f(z) = 1 / (1 + exp(-z))}; derivative {@code y·(1 - y)} of the output y. */
    SIGMOID(2),
    /** {@code f(z) = tanh(z)}; derivative {@code 1 - y²} of the output y. */
    TANH(3);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    /**
     * The number the CUDA kernels receive for this activation ({@code ACT_*} in {@code common.cuh}, checked against
     * this by a test). Fixed here rather than taken from {@link #ordinal()}, so reordering the constants cannot
     * silently change what the GPU computes.
     *
     * @return 0 to 3
     */
    public int code() {
        return code;
    }

    /**
     * The activation of a name as written in a model specification or on the command line, ignoring case.
     *
     * @param name {@code identity}, {@code relu}, {@code sigmoid} or {@code tanh}
     * @return the activation
     * @throws IllegalArgumentException for any other name, null included
     */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "' (expected identity, relu, sigmoid or tanh)");
    }
}
