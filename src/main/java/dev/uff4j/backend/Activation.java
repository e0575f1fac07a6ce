package dev.uff4j.backend;

/** Element-wise activations of a dense layer. The derivative is computed from the pre-activation in the forward pass. */
public enum Activation {
    IDENTITY,
    RELU,
    SIGMOID,
    TANH;

    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "' (expected identity, relu, sigmoid or tanh)");
    }
}
