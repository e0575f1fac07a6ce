package dev.uff4j.backend;

/**
 * Element-wise activations of a dense or convolutional layer. The derivative is computed from the output in the
 * forward pass.
 */
public enum Activation {
    IDENTITY(0),
    RELU(1),
    SIGMOID(2),
    TANH(3);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    /**
     * The number the CUDA kernels receive for this activation ({@code ACT_*} in {@code common.cuh}, checked against
     * this by a test). Fixed here rather than taken from {@link #ordinal()}, so reordering the constants cannot
     * silently change what the GPU computes.
     */
    public int code() {
        return code;
    }

    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "' (expected identity, relu, sigmoid or tanh)");
    }
}
