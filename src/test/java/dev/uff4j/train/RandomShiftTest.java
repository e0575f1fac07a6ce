package dev.uff4j.train;

import dev.uff4j.model.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomShiftTest {
    /** Every (dx, dy) within the bound, on a 2-channel 5 x 4 image, against out[c][y][x] = in[c][y - dy][x - dx]. */
    @Test
    void shiftingMovesEveryChannelAndFillsWithZeros() {
        ImageShape image = new ImageShape(2, 5, 4);
        RandomShift shift = new RandomShift(image, 3, 1);
        float[] in = new float[image.size() + 3];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < in.length; i++) {
            in[i] = 1 + r.nextInt(100);
        }
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                float[] expected = new float[image.size() + 1];
                for (int c = 0; c < 2; c++) {
                    for (int y = 0; y < 5; y++) {
                        for (int x = 0; x < 4; x++) {
                            int sy = y - dy;
                            int sx = x - dx;
                            boolean inside = sy >= 0 && sy < 5 && sx >= 0 && sx < 4;
                            expected[1 + c * 20 + y * 4 + x] = inside ? in[3 + c * 20 + sy * 4 + sx] : 0f;
                        }
                    }
                }
                float[] out = new float[image.size() + 1];
                shift.shiftInto(in, 3, out, 1, dx, dy);
                assertArrayEquals(expected, out, "dx " + dx + ", dy " + dy);
            }
        }
    }

    /** A single lit pixel lands within the bound, every offset occurs, and the same seed repeats the shifts. */
    @Test
    void gatheredImagesTakeEveryShiftWithinTheBoundReproducibly() {
        ImageShape image = new ImageShape(1, 9, 9);
        int n = 2000;
        float[] pixels = new float[2 * image.size()];
        pixels[4 * 9 + 4] = 1f; // image 0: the centre pixel
        pixels[image.size() + 4 * 9 + 4] = 2f; // image 1: the same, another value
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i % 2;
        }
        RandomShift shift = new RandomShift(image, 2, 7);
        float[] out = new float[n * image.size()];
        shift.gather(pixels, order, 0, n, out);
        Set<Integer> offsets = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int lit = -1;
            for (int j = 0; j < image.size(); j++) {
                if (out[i * image.size() + j] != 0f) {
                    assertEquals(-1, lit, "one lit pixel in image " + i);
                    lit = j;
                    assertEquals(1 + order[i], out[i * image.size() + j], "the pixel of source image " + order[i]);
                }
            }
            int dy = lit / 9 - 4;
            int dx = lit % 9 - 4;
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "image " + i + " shifted by " + dx + ", " + dy);
            offsets.add(dy * 10 + dx);
        }
        assertEquals(25, offsets.size(), "every (dx, dy) in [-2, 2]^2 occurs in 2000 draws");
        float[] again = new float[n * image.size()];
        new RandomShift(image, 2, 7).gather(pixels, order, 0, n, again);
        assertArrayEquals(out, again, "same seed, same shifts");
        float[] later = new float[n * image.size()];
        shift.gather(pixels, order, 0, n, later);
        assertTrue(!java.util.Arrays.equals(out, later), "the next batch draws new shifts");
    }

    @Test
    void aShiftMustFitTheImage() {
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(new ImageShape(1, 4, 4), 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(new ImageShape(1, 4, 4), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(null, 1, 1));
    }
}
