package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetTest {
    /** 5 samples of 2 channels x 1 x 3; pixel value = index / 100. */
    private static Dataset five() {
        float[] px = new float[5 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 100f;
        }
        return Dataset.images("t/train", 5, 2, 1, 3, px, new int[] {0, 1, 2, 0, 1}, 3);
    }

    @Test
    void featuresIsChannelsTimesHeightTimesWidth() {
        assertEquals(6, five().features());
    }

    @Test
    void headTakesTheFirstSamplesAsACopy() {
        Dataset all = five();
        Dataset two = all.head(2);
        assertEquals(2, two.count());
        assertEquals(12, two.values().length);
        assertEquals(11 / 100f, two.values()[11]);
        assertArrayEquals(new int[] {0, 1}, two.labels());
        assertEquals(all.name(), two.name());
        assertEquals(all.classes(), two.classes());
        two.values()[0] = 42f;
        assertEquals(0f, all.values()[0], "head must not share the pixel array");
        assertSame(all, all.head(5));
        assertEquals(1, all.head(1).count());
    }

    @Test
    void headRejectsCountsOutsideOneToCount() {
        Dataset all = five();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.head(0));
        assertTrue(e.getMessage().contains("expected 1..5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> all.head(-1));
        e = assertThrows(IllegalArgumentException.class, () -> all.head(6));
        assertTrue(e.getMessage().startsWith("t/train: cannot take the first 6 samples of 5"), e.getMessage());
    }

    @Test
    void constructorChecksLengthsAndLabels() {
        float[] px = new float[6];
        assertThrows(IllegalArgumentException.class, () -> Dataset.images("x", 1, 1, 2, 2, px, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> Dataset.images("x", 2, 1, 1, 3, px, new int[] {0}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.images("x", 2, 1, 1, 3, px, new int[] {0, 2}, 2));
        assertTrue(e.getMessage().contains("label 2 of sample 1 is out of range, expected 0..1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.images("x", 2, 1, 1, 3, px, new int[] {0, -1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.images("x", 0, 1, 1, 3, new float[0], new int[0], 2));
        assertThrows(IllegalArgumentException.class, () -> Dataset.images("x", 2, 1, 1, 3, px, new int[] {0, 0}, 0));
    }

    @Test
    void classCountsIsTheLabelHistogram() {
        assertArrayEquals(new int[] {2, 2, 1}, five().classCounts());
    }

    @Test
    void rowsAreCopiedAndClassesAreTheLargestLabelPlusOne() {
        float[][] rows = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        Dataset d = Dataset.of(rows, new int[] {0, 4, 1});
        rows[0][0] = 99;
        assertEquals(3, d.count());
        assertEquals(3, d.features());
        assertEquals(5, d.classes());
        assertEquals(1, d.channels());
        assertEquals(1, d.height());
        assertEquals(3, d.width());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, d.values());
        assertArrayEquals(new float[] {4, 5, 6}, d.row(1));
        assertEquals(4, d.label(1));
        assertEquals(7, Dataset.of(rows, new int[] {0, 4, 1}, 7).classes());
        float[][] back = d.rows();
        back[2][2] = -1;
        assertEquals(9f, d.values()[8], "rows() must copy");
        assertEquals("rows (3 x 3, 5 classes)", d.toString());
    }

    @Test
    void unlabelledRowsHaveNoClassesAndSayWhyLabelsAreMissing() {
        Dataset d = Dataset.of(new float[][] {{1, 2}, {3, 4}});
        assertEquals(false, d.labelled());
        assertEquals(0, d.classes());
        IllegalStateException e = assertThrows(IllegalStateException.class, d::labels);
        assertEquals("rows has no labels, so no labels", e.getMessage());
        assertThrows(IllegalStateException.class, d::classCounts);
        assertThrows(IllegalStateException.class, () -> d.label(0));
        assertEquals(false, five().withoutLabels().labelled());
        assertEquals("rows (2 x 2, unlabelled)", d.toString());
    }

    @Test
    void badRowsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new float[][] {{1, 2}, {3}}));
        assertEquals("rows: rows[1] has 1 values, rows[0] has 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[][] {{}}));
        NullPointerException n = assertThrows(NullPointerException.class,
                () -> Dataset.of(new float[][] {{1}, null}));
        assertEquals("rows[1] is null", n.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[][] {{1}, {2}}, new int[] {0}));
        assertEquals("rows: 1 labels for 2 samples", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[][] {{1}}, new int[] {-1}));
    }

    @Test
    void sliceAndSplitKeepOrderShapeAndClasses() {
        Dataset all = five();
        Dataset mid = all.slice(1, 4);
        assertEquals(3, mid.count());
        assertArrayEquals(new int[] {1, 2, 0}, mid.labels());
        assertEquals(6 / 100f, mid.values()[0]);
        assertEquals(3, mid.classes());
        assertEquals(2, mid.channels());
        Dataset.Split parts = all.split(0.6);
        assertEquals(3, parts.first().count());
        assertEquals(2, parts.second().count());
        assertArrayEquals(new int[] {0, 1}, parts.second().labels());
        assertEquals(18 / 100f, parts.second().values()[0]);
        assertThrows(IllegalArgumentException.class, () -> all.slice(3, 3));
        assertThrows(IllegalArgumentException.class, () -> all.slice(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> all.slice(0, 6));
        assertThrows(IllegalArgumentException.class, () -> all.split(0));
        assertThrows(IllegalArgumentException.class, () -> all.split(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.split(0.05));
        assertEquals("t/train: a split of 0.05 of 5 samples leaves a part empty", e.getMessage());
    }

    @Test
    void shuffleIsASeededPermutationOfWholeSamples() {
        float[][] rows = new float[50][];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            rows[i] = new float[] {i, 10 * i};
            labels[i] = i % 7;
        }
        Dataset d = Dataset.of(rows, labels);
        Dataset a = d.shuffle(3);
        Dataset b = d.shuffle(3);
        assertArrayEquals(a.values(), b.values());
        assertArrayEquals(a.labels(), b.labels());
        boolean moved = false;
        boolean[] seen = new boolean[50];
        for (int i = 0; i < 50; i++) {
            int original = (int) a.values()[2 * i];
            assertEquals(10f * original, a.values()[2 * i + 1], "a sample's values stay together");
            assertEquals(original % 7, a.label(i), "a sample keeps its label");
            seen[original] = true;
            moved |= original != i;
        }
        for (boolean s : seen) {
            assertTrue(s, "every sample appears once");
        }
        assertTrue(moved);
        assertTrue(!java.util.Arrays.equals(a.values(), d.shuffle(4).values()), "another seed, another order");
    }

    @Test
    void asImagesReshapesWithoutCopying() {
        Dataset d = Dataset.of(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}, new int[] {0, 1});
        Dataset img = d.asImages(1, 2, 2);
        assertEquals(2, img.height());
        assertSame(d.values(), img.values());
        assertThrows(IllegalArgumentException.class, () -> d.asImages(1, 3, 2));
        assertEquals(java.util.List.of("a", "b"), d.withClassNames(java.util.List.of("a", "b")).classNames());
        assertThrows(IllegalArgumentException.class, () -> d.withClassNames(java.util.List.of("a")));
    }
}
