package dev.uff4j.model;

/**
 * The geometry of images stored one per row, channel-major: {@code channels} planes of {@code height x width}.
 *
 * @param channels planes per image (1 for gray images, 3 for RGB; the feature maps of a cae cell's latent)
 * @param height   rows of each plane, in pixels
 * @param width    columns of each plane, in pixels
 */
public record ImageShape(int channels, int height, int width) {
    /**
     * Checks the shape.
     *
     * @param channels planes per image, at least 1
     * @param height   rows of each plane, at least 1
     * @param width    columns of each plane, at least 1
     * @throws IllegalArgumentException if any is below 1
     */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be at least 1x1x1, got " + channels + "x" + height
                    + "x" + width);
        }
    }

    /**
     * Values per image: the width of a row that holds one.
     *
     * @return {@code channels * height * width}
     */
    public int size() {
        return channels * height * width;
    }

    /**
     * The shape of {@code size} inputs with {@code channels} square planes (28 x 28 for MNIST, 3 x 32 x 32 for
     * CIFAR-10), or null when they are not square planes.
     *
     * @param size     values per sample
     * @param channels planes per sample
     * @return the shape, or null when {@code channels} is below 1, does not divide {@code size}, or leaves planes
     *         that are not square
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
