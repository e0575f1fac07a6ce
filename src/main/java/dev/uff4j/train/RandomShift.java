package dev.uff4j.train;

import dev.uff4j.backend.Noise;
import dev.uff4j.model.ImageShape;

import java.util.Arrays;

/**
 * Training augmentation: each image of a mini-batch is translated by a random whole number of pixels in
 * [-max, max] along each axis, the same for all its channels, with zeros shifted in. The shifts come from the
 * counter-based generator of (seed, sample counter), so a run is reproducible and independent of threads and
 * backends. It works on the host while the batch is gathered, so the GPU path needs no extra kernel.
 */
final class RandomShift {
    private final ImageShape image;
    private final int max;
    private final long key;
    private long counter;

    RandomShift(ImageShape image, int max, long seed) {
        if (image == null || max < 1 || max >= image.width() || max >= image.height()) {
            throw new IllegalArgumentException("a shift needs square images and 0 < shift < their width, got " + max
                    + " for " + image);
        }
        this.image = image;
        this.max = max;
        this.key = Noise.streamKey(seed, 0);
    }

    /**
     * Writes rows {@code order[from .. from + rows)} of {@code pixels} (one image per row), each shifted, into
     * {@code out[0 .. rows · image size)}.
     */
    void gather(float[] pixels, int[] order, int from, int rows, float[] out) {
        int size = image.size();
        Arrays.fill(out, 0, rows * size, 0f);
        int span = 2 * max + 1;
        for (int r = 0; r < rows; r++) {
            long bits = Noise.mix64(key + counter++ * 0xD1B54A32D192ED03L);
            int dx = (int) ((bits & 0xFFFFFFFFL) % span) - max;
            int dy = (int) ((bits >>> 32) % span) - max;
            shiftInto(pixels, order[from + r] * size, out, r * size, dx, dy);
        }
    }

    /** {@code out[y][x] = in[y - dy][x - dx]} per channel where that pixel exists; the rest stays 0. */
    /** Advances past {@code samples} samples' draws, as a resumed run must: the draws are counter-based. */
    void skip(long samples) {
        counter += samples;
    }

    /** The next sample draws what the {@code sample}-th sample of the run draws. */
    void seek(long sample) {
        counter = sample;
    }

    void shiftInto(float[] in, int inOff, float[] out, int outOff, int dx, int dy) {
        int h = image.height();
        int w = image.width();
        int x0 = Math.max(0, dx);
        int x1 = Math.min(w, w + dx);
        for (int c = 0; c < image.channels(); c++) {
            int plane = c * h * w;
            for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                System.arraycopy(in, inOff + plane + (y - dy) * w + x0 - dx, out, outOff + plane + y * w + x0,
                        x1 - x0);
            }
        }
    }
}
