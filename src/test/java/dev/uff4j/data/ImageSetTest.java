package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageSetTest {
    /** 5 samples of 2 channels x 1 x 3; pixel value = index / 100. */
    private static ImageSet five() {
        float[] px = new float[5 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 100f;
        }
        return new ImageSet("t/train", 5, 2, 1, 3, px, new int[] {0, 1, 2, 0, 1}, 3);
    }

    @Test
    void featuresIsChannelsTimesHeightTimesWidth() {
        assertEquals(6, five().features());
    }

    @Test
    void headTakesTheFirstSamplesAsACopy() {
        ImageSet all = five();
        ImageSet two = all.head(2);
        assertEquals(2, two.count());
        assertEquals(12, two.pixels().length);
        assertEquals(11 / 100f, two.pixels()[11]);
        assertArrayEquals(new int[] {0, 1}, two.labels());
        assertEquals(all.name(), two.name());
        assertEquals(all.classes(), two.classes());
        two.pixels()[0] = 42f;
        assertEquals(0f, all.pixels()[0], "head must not share the pixel array");
        assertSame(all, all.head(5));
        assertEquals(1, all.head(1).count());
    }

    @Test
    void headRejectsCountsOutsideOneToCount() {
        ImageSet all = five();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.head(0));
        assertTrue(e.getMessage().contains("expected 1..5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> all.head(-1));
        e = assertThrows(IllegalArgumentException.class, () -> all.head(6));
        assertTrue(e.getMessage().startsWith("t/train: cannot take the first 6 samples of 5"), e.getMessage());
    }

    @Test
    void constructorChecksLengthsAndLabels() {
        float[] px = new float[6];
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", 1, 1, 2, 2, px, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", 2, 1, 1, 3, px, new int[] {0}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("x", 2, 1, 1, 3, px, new int[] {0, 2}, 2));
        assertTrue(e.getMessage().contains("label 2 at index 1 is out of range, expected 0..1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", 2, 1, 1, 3, px, new int[] {0, -1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("x", 0, 1, 1, 3, new float[0], new int[0], 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet("x", 2, 1, 1, 3, px, new int[] {0, 0}, 0));
    }

    @Test
    void classCountsIsTheLabelHistogram() {
        assertArrayEquals(new int[] {2, 2, 1}, five().classCounts());
    }
}
