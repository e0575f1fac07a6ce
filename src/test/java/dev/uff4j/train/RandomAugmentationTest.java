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

class RandomAugmentationTest {
    /** Every (dx, dy) within the bound, on a 2-channel 5 x 4 image, against out[c][y][x] = in[c][y - dy][x - dx]. */
    @Test
    void shiftingMovesEveryChannelAndFillsWithZeros() {
        checkEveryShift(false);
    }

    /** Mirrored then shifted, on a 2-channel 5 x 4 image: out[c][y][x] = in[c][y - dy][w - 1 - (x - dx)]. */
    @Test
    void mirroringReversesEveryRowBeforeTheShift() {
        checkEveryShift(true);
    }

    /** Every shift within 3 pixels, against the formula pixel by pixel, reading at offset 3 and writing at 1. */
    private static void checkEveryShift(boolean mirrored) {
        ImageShape image = new ImageShape(2, 5, 4);
        RandomAugmentation a = new RandomAugmentation(image, 3, mirrored, 1);
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
                            int from = 3 + c * 20 + sy * 4 + (mirrored ? 3 - sx : sx);
                            expected[1 + c * 20 + y * 4 + x] = inside ? in[from] : 0f;
                        }
                    }
                }
                float[] out = new float[image.size() + 1];
                a.shiftInto(in, 3, out, 1, dx, dy, mirrored);
                assertArrayEquals(expected, out, (mirrored ? "mirrored, " : "") + "dx " + dx + ", dy " + dy);
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
        RandomAugmentation shift = new RandomAugmentation(image, 2, false, 7);
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
        new RandomAugmentation(image, 2, false, 7).gather(pixels, order, 0, n, again);
        assertArrayEquals(out, again, "same seed, same shifts");
        float[] later = new float[n * image.size()];
        shift.gather(pixels, order, 0, n, later);
        assertTrue(!java.util.Arrays.equals(out, later), "the next batch draws new shifts");
    }

    /**
     * With the mirror on, every image is the shift-only run's image or that image's mirror (the shifts are the same
     * draws, so runs that only shift keep their results), and about half are mirrored.
     */
    @Test
    void theMirrorKeepsTheShiftsAndFlipsAboutHalfTheImages() {
        ImageShape image = new ImageShape(1, 6, 6);
        int n = 4000;
        float[] pixels = new float[image.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 1 + i; // no two pixels alike, so an image and its mirror differ
        }
        int[] order = new int[n];
        float[] shifted = new float[n * image.size()];
        new RandomAugmentation(image, 1, false, 5).gather(pixels, order, 0, n, shifted);
        float[] both = new float[n * image.size()];
        RandomAugmentation a = new RandomAugmentation(image, 1, true, 5);
        a.gather(pixels, order, 0, n, both);
        int mirrored = 0;
        for (int i = 0; i < n; i++) {
            float[] s = java.util.Arrays.copyOfRange(shifted, i * 36, (i + 1) * 36);
            float[] b = java.util.Arrays.copyOfRange(both, i * 36, (i + 1) * 36);
            // the shift of image i, read off the shift-only image: pixel (y, x) holds source pixel (y - dy, x - dx)
            int lit = 0;
            while (s[lit] == 0f) {
                lit++;
            }
            int dx = lit % 6 - (int) (s[lit] - 1) % 6;
            int dy = lit / 6 - (int) (s[lit] - 1) / 6;
            float[] flipped = new float[36];
            a.shiftInto(pixels, 0, flipped, 0, dx, dy, true);
            boolean same = java.util.Arrays.equals(s, b);
            assertTrue(same || java.util.Arrays.equals(flipped, b), "image " + i + ": its shift, mirrored or not");
            mirrored += same ? 0 : 1;
        }
        assertTrue(mirrored > 1850 && mirrored < 2150, "about half of " + n + " mirrored, got " + mirrored);
        float[] only = new float[n * image.size()];
        new RandomAugmentation(image, 0, true, 5).gather(pixels, order, 0, n, only);
        int flips = 0;
        for (int i = 0; i < n; i++) {
            boolean same = java.util.Arrays.equals(java.util.Arrays.copyOfRange(only, i * 36, (i + 1) * 36), pixels);
            boolean flipped = only[i * 36] == 6f && only[i * 36 + 5] == 1f;
            assertTrue(same || flipped, "image " + i + " is the input or its mirror");
            flips += flipped ? 1 : 0;
        }
        assertEquals(mirrored, flips, "the mirror alone draws the same coin as with the shift");
    }

    @Test
    void anAugmentationMustFitTheImageAndDoSomething() {
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(new ImageShape(1, 4, 4), 4, false,
                1));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(new ImageShape(1, 4, 4), 0, false,
                1));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(new ImageShape(1, 4, 4), -1, true,
                1));
        assertThrows(IllegalArgumentException.class, () -> new RandomAugmentation(null, 1, false, 1));
    }
}
