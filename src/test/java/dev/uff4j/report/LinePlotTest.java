package dev.uff4j.report;

import dev.uff4j.io.OutputException;
import dev.uff4j.report.LinePlot.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Line plots: size, colours, axis ranges and ticks, and degenerate data. */
class LinePlotTest {
    @TempDir
    Path tmp;

    private static final double[] EPOCHS = {1, 2, 3, 4, 5};

    /** Pixels of colour {@code c} in the columns from {@code x0} on. */
    private static int countFrom(PngTestReader.Image img, int x0, int c) {
        int n = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = x0; x < img.width(); x++) {
                n += img.get(x, y) == c ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void twoSeriesMakeAnImageOfTheStatedSizeWithBothLegendColours() throws IOException {
        Path png = tmp.resolve("accuracy.png");
        LinePlot.write(png, "Test accuracy", "epoch", "accuracy", List.of(
                new Series("uff", EPOCHS, new double[] {0.90, 0.93, 0.95, 0.96, 0.965}),
                new Series("bp", EPOCHS, new double[] {0.92, 0.95, 0.97, 0.975, 0.98})));
        PngTestReader.Image img = PngTestReader.read(png);
        assertEquals(LinePlot.WIDTH, img.width());
        assertEquals(LinePlot.HEIGHT, img.height());
        assertEquals(800, img.width());
        assertEquals(500, img.height());
        // The legend is the rightmost thing drawn: both colours appear there, far right of every data point.
        int legendX = LinePlot.WIDTH - 100;
        assertTrue(countFrom(img, legendX, LinePlot.seriesColor(0)) > 20, "first series' legend colour");
        assertTrue(countFrom(img, legendX, LinePlot.seriesColor(1)) > 20, "second series' legend colour");
        assertEquals(0, img.count(LinePlot.seriesColor(2)), "no third series, so no third colour");
        // The lines themselves add many more pixels of each colour left of the legend.
        assertTrue(img.count(LinePlot.seriesColor(0)) > 300 + countFrom(img, legendX, LinePlot.seriesColor(0)));
        assertTrue(img.count(0x000000) > 500, "axes and text are black");
    }

    @Test
    void paletteColoursAreDistinct() {
        int[] colours = new int[10];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = LinePlot.seriesColor(i);
        }
        assertEquals(colours.length, Arrays.stream(colours).distinct().count());
        assertEquals(LinePlot.seriesColor(0), LinePlot.seriesColor(10), "the palette repeats");
    }

    @Test
    void degenerateDataStillPlots() {
        double nan = Double.NaN;
        List<List<Series>> cases = List.of(
                List.of(),
                List.of(new Series("one point", new double[] {3}, new double[] {0.5})),
                List.of(new Series("flat", EPOCHS, new double[] {0.9, 0.9, 0.9, 0.9, 0.9})),
                List.of(new Series("zero", EPOCHS, new double[5])),
                List.of(new Series("all nan", new double[] {nan, 1}, new double[] {1, nan})),
                List.of(new Series("gaps", EPOCHS, new double[] {0.1, nan, 0.3, Double.POSITIVE_INFINITY, 0.5})),
                List.of(new Series("", new double[0], new double[0])),
                List.of(new Series("huge", new double[] {-Double.MAX_VALUE, Double.MAX_VALUE}, new double[] {0, 1})),
                List.of(new Series("tiny", new double[] {0, Double.MIN_VALUE}, new double[] {1e300, 1e300})));
        for (List<Series> series : cases) {
            Raster r = LinePlot.render("", "", "", series);
            assertEquals(LinePlot.WIDTH, r.width());
            assertEquals(LinePlot.HEIGHT, r.height());
        }
        // A lone point has no line to neighbours, so it gets a marker of its colour.
        Raster r = LinePlot.render("t", "x", "y", List.of(
                new Series("a", new double[] {1, 2}, new double[] {5, 6}),
                new Series("lone", new double[] {1.5, 2}, new double[] {5.5, nan})));
        int lone = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < LinePlot.WIDTH - 100; x++) {
                lone += r.get(x, y) == LinePlot.seriesColor(1) ? 1 : 0;
            }
        }
        assertTrue(lone >= 25, "the lone point's marker: " + lone + " pixels");
    }

    @Test
    void axisRangePadsFiniteDataAndSkipsNaN() {
        LinePlot.Axis x = LinePlot.axis(List.of(
                new Series("s", new double[] {1, 2, 1000}, new double[] {0, 1, Double.NaN})), true);
        assertTrue(x.lo() < 1 && x.lo() > 0.9 && x.hi() > 2 && x.hi() < 2.1, x.toString());

        LinePlot.Axis flat = LinePlot.axis(List.of(new Series("s", EPOCHS, new double[] {98, 98, 98, 98, 98})), false);
        assertTrue(flat.lo() < 98 && flat.hi() > 98 && flat.ticks().length >= 2, flat.toString());

        LinePlot.Axis none = LinePlot.axis(List.of(), false);
        assertEquals(0, none.lo());
        assertEquals(1, none.hi());
    }

    @Test
    void ticksAreRoundAndLabelledWithTheDigitsTheyNeed() {
        LinePlot.Axis epochs = LinePlot.ticks(0.55, 10.45);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, epochs.ticks());
        assertEquals("7", epochs.label(7));

        LinePlot.Axis unit = LinePlot.ticks(-0.05, 1.05);
        assertEquals("0.0", unit.label(unit.ticks()[0]), "no -0.0");
        assertEquals(List.of("0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"),
                Arrays.stream(unit.ticks()).mapToObj(unit::label).toList());

        LinePlot.Axis fine = LinePlot.ticks(0.9412, 0.9861);
        for (double t : fine.ticks()) {
            assertTrue(t >= 0.9412 && t <= 0.9861, "tick " + t + " within range");
            assertEquals(t, Double.parseDouble(fine.label(t)), 1e-12, "label " + fine.label(t) + " is exact");
        }
        assertTrue(fine.ticks().length >= 4 && fine.ticks().length <= 16, Arrays.toString(fine.ticks()));

        LinePlot.Axis large = LinePlot.ticks(0, 3e9);
        assertTrue(large.label(large.ticks()[1]).contains("e+"), "large numbers in 3 significant digits");
    }

    @Test
    void seriesValidatesAndCopies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("uff", new double[2], new double[3]));
        assertTrue(e.getMessage().contains("uff"), e.getMessage());
        double[] y = {1, 2};
        Series s = new Series("s", new double[] {0, 1}, y);
        y[0] = 9;
        s.y()[1] = 9;
        assertArrayEquals(new double[] {1, 2}, s.y());
    }

    @Test
    void writingToADirectoryFailsAndLeavesNothing() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("out"));
        OutputException e = assertThrows(OutputException.class,
                () -> LinePlot.write(dir, "t", "x", "y", List.of(new Series("a", EPOCHS, EPOCHS))));
        assertTrue(e.getMessage().contains(dir + ": is a folder"), e.getMessage());
        assertEquals(List.of(dir), PngWriterTest.listAll(tmp));
    }
}
