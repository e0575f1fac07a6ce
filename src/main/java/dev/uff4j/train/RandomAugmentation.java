package dev.uff4j.train;

import dev.uff4j.backend.Noise;
import dev.uff4j.model.ImageShape;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Seeds;

import java.util.Arrays;

/**
 * Training augmentation: each image of a mini-batch is translated by a random whole number of pixels in
 * [-max, max] along each axis, the same for all its channels, with zeros shifted in, and, when asked, mirrored left to
 * right with probability 1/2. The draws come from counter-based generators of (seed, sample counter), so a run is
 * reproducible and independent of threads and backends; the mirror has a stream of its own, so a run that only shifts
 * draws the same shifts as before the mirror existed. It works on the host while the batch is gathered, so the GPU
 * path needs no extra kernel.
 */
final class RandomAugmentation {
    private static final long GOLDEN = 0xD1B54A32D192ED03L;
    private final ImageShape image;
    private final int max;
    private final boolean mirror;
    private final long shiftKey;
    private final long mirrorKey;
    private long counter;

    RandomAugmentation(ImageShape image, int max, boolean mirror, long seed) {
        if (image == null || max < 0 || max >= image.width() || max >= image.height() || (max == 0 && !mirror)) {
            throw new IllegalArgumentException("an augmentation needs square images and 0 <= shift < their width, "
                    + "with a shift or a mirror, got shift " + max + (mirror ? " and mirror" : "") + " for " + image);
        }
        this.image = image;
        this.max = max;
        this.mirror = mirror;
        this.shiftKey = Noise.streamKey(seed, 0);
        this.mirrorKey = Noise.streamKey(seed, 1);
    }

    /**
     * The augmentation a spec asks for, or null when it asks for none.
     *
     * @param spec the model's spec
     * @return a new augmentation at sample 0, or null
     */
    static RandomAugmentation of(ModelSpec spec) {
        ModelSpec.Augmentation a = spec.augmentation();
        if (a.shift() == 0 && !a.mirror()) {
            return null;
        }
        return new RandomAugmentation(ImageShape.square(spec.inputSize(), spec.channels()), a.shift(), a.mirror(),
                Seeds.derive(spec.seed(), "shift", 0));
    }

    /**
     * Writes rows {@code order[from .. from + rows)} of {@code pixels} (one image per row), each augmented, into
     * {@code out[0 .. rows · image size)}.
     */
    void gather(float[] pixels, int[] order, int from, int rows, float[] out) {
        int size = image.size();
        Arrays.fill(out, 0, rows * size, 0f);
        int span = 2 * max + 1;
        for (int r = 0; r < rows; r++) {
            long n = counter++;
            int dx = 0;
            int dy = 0;
            if (max > 0) {
                long bits = Noise.mix64(shiftKey + n * GOLDEN);
                dx = (int) ((bits & 0xFFFFFFFFL) % span) - max;
                dy = (int) ((bits >>> 32) % span) - max;
            }
            boolean flip = mirror && Noise.mix64(mirrorKey + n * GOLDEN) < 0;
            shiftInto(pixels, order[from + r] * size, out, r * size, dx, dy, flip);
        }
    }

    /** Advances past {@code samples} samples' draws, as a resumed run must: the draws are counter-based. */
    void skip(long samples) {
        counter += samples;
    }

    /** The next sample draws what the {@code sample}-th sample of the run draws. */
    void seek(long sample) {
        counter = sample;
    }

    /**
     * {@code out[y][x] = in[y - dy][x - dx]}, or {@code in[y - dy][w - 1 - (x - dx)]} when mirrored, per channel where
     * that pixel exists; the rest stays 0 (the caller zeroes it). The mirror is applied before the shift.
     */
    void shiftInto(float[] in, int inOff, float[] out, int outOff, int dx, int dy, boolean mirrored) {
        int h = image.height();
        int w = image.width();
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        for (int c = 0; c < image.channels(); c++) {
            int plane = c * h * w;
            for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                int src = inOff + plane + (y - dy) * w;
                int dst = outOff + plane + y * w;
                if (mirrored) {
                    for (int x = x0; x < x1; x++) {
                        out[dst + x] = in[src + w - 1 - (x - dx)];
                    }
                } else {
                    System.arraycopy(in, src + x0 - dx, out, dst + x0, x1 - x0);
                }
            }
        }
    }
}
