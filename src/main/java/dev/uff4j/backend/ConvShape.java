package dev.uff4j.backend;

/**
 * Geometry of a 2-D convolution on {@code C x H x W} images stored one per row, channel-major: a row of an
 * {@code n x inSize()} tensor is C planes of H x W, each row-major. The output has {@code outChannels} planes of
 * {@code outHeight() x outWidth()}, stored the same way; the input is zero-padded by {@code padding} on every side.
 * The weights of output channel o form row o of an {@code outChannels x patch()} matrix, input channel c and tap
 * (i, j) at column {@code c·k·k + i·k + j}.
 *
 * @param inChannels  C, at least 1
 * @param height      H, at least 1
 * @param width       W, at least 1
 * @param outChannels output planes, at least 1
 * @param kernel      k: the taps are k x k, at least 1
 * @param stride      at least 1
 * @param padding     zeros added on each side, at least 0
 */
public record ConvShape(int inChannels, int height, int width, int outChannels, int kernel, int stride, int padding) {

    /**
     * A geometry, checked against the ranges below and for a size one tensor row can hold.
     *
     * @param inChannels  C, at least 1
     * @param height      H, at least 1
     * @param width       W, at least 1
     * @param outChannels output planes, at least 1
     * @param kernel      k: the taps are k x k, at least 1
     * @param stride      at least 1
     * @param padding     zeros added on each side, at least 0
     * @throws IllegalArgumentException if a component is out of its range, the kernel is larger than the padded
     *                                  image, or an input row, an output row, one sample's patch matrix or the
     *                                  weights would exceed {@code Integer.MAX_VALUE - 8} floats
     */
    public ConvShape {
        if (inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("ConvShape: channels, sizes, kernel and stride must be >= 1 and "
                    + "padding >= 0, got " + describe(inChannels, height, width, outChannels, kernel, stride, padding));
        }
        if ((long) height + 2L * padding < kernel || (long) width + 2L * padding < kernel) {
            throw new IllegalArgumentException("ConvShape: a " + kernel + "x" + kernel + " kernel does not fit a "
                    + height + "x" + width + " image with padding " + padding);
        }
        if ((long) height + 2L * padding > Integer.MAX_VALUE || (long) width + 2L * padding > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ConvShape: padding " + padding + " is too large");
        }
        long outH = ((long) height + 2L * padding - kernel) / stride + 1;
        long outW = ((long) width + 2L * padding - kernel) / stride + 1;
        long patch = (long) inChannels * kernel * kernel;
        long limit = Integer.MAX_VALUE - 8;
        if ((long) inChannels * height * width > limit || outChannels * outH * outW > limit
                || patch * outH * outW > limit || outChannels * patch > limit) {
            throw new IllegalArgumentException("ConvShape: too large for one tensor row: "
                    + describe(inChannels, height, width, outChannels, kernel, stride, padding));
        }
    }

    private static String describe(int c, int h, int w, int o, int k, int s, int p) {
        return c + "x" + h + "x" + w + " -> " + o + " channels, kernel " + k + ", stride " + s + ", padding " + p;
    }

    /**
     * Output rows per plane: {@code (H + 2·padding - k) / stride + 1}.
     *
     * @return the output height, at least 1
     */
    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    /**
     * Output columns per plane: {@code (W + 2·padding - k) / stride + 1}.
     *
     * @return the output width, at least 1
     */
    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /**
     * Floats per input row: C·H·W.
     *
     * @return the input row length
     */
    public int inSize() {
        return inChannels * height * width;
    }

    /**
     * Floats per output row: outChannels·outHeight·outWidth.
     *
     * @return the output row length
     */
    public int outSize() {
        return outChannels * outHeight() * outWidth();
    }

    /**
     * Weights per output channel: C·k·k.
     *
     * @return the columns of the weight matrix
     */
    public int patch() {
        return inChannels * kernel * kernel;
    }

    /**
     * How many of {@code n} samples a backend lowers at once when its scratch for one sample's patch matrix and
     * product ({@code (patch() + outChannels) · outHeight · outWidth} floats) may take at most {@code maxFloats}
     * in all: at least 1, at most n. It depends on the shape alone, so chunked sums do not depend on the threads.
     *
     * @param n         samples in the batch, at least 1
     * @param maxFloats the scratch budget in floats
     * @return samples per chunk, in [1, n]
     */
    public int samplesPerChunk(int n, long maxFloats) {
        long perSample = ((long) patch() + outChannels) * outHeight() * outWidth();
        return (int) Math.max(1, Math.min(n, maxFloats / perSample));
    }

    @Override
    public String toString() {
        return describe(inChannels, height, width, outChannels, kernel, stride, padding);
    }
}
