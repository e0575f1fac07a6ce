package dev.uff4j.model;

/** The geometry of images stored one per row, channel-major: {@code channels} planes of {@code height x width}. */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be at least 1x1x1, got " + channels + "x" + height
                    + "x" + width);
        }
    }

    public int size() {
        return channels * height * width;
    }

    /**
     * The shape of {@code size} inputs with {@code channels} square planes (28 x 28 for MNIST, 3 x 32 x 32 for
     * CIFAR-10), or null when they are not square planes.
     */
    public static ImageShape square(int size, int channels) {
        if (channels < 1 || size % channels != 0) {
            return null;
        }
        int side = (int) Math.round(Math.sqrt(size / (double) channels));
        return side * side * channels == size ? new ImageShape(channels, side, side) : null;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
