package dev.uff4j.report;

import dev.uff4j.io.OutputException;
import dev.uff4j.report.ImageGrid.Format;
import dev.uff4j.report.ImageGrid.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image grids: where each image lands, colour conversion, and errors. */
class ImageGridTest {
    @TempDir
    Path tmp;

    private static final int WHITE = 0xFFFFFF;
    private static final int BG = ImageGrid.BACKGROUND;

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void whiteImageLandsInsideTheGap() throws IOException {
        Path png = tmp.resolve("grid.png");
        ImageGrid.write(png, List.of(new Row("", List.of(filled(4, 1f)))), new Format(2, 2, 1, 1));
        PngTestReader.Image img = PngTestReader.read(png);
        assertEquals(6, img.width()); // gap, 2 pixels, gap
        assertEquals(6, img.height());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                boolean inside = x >= 2 && x < 4 && y >= 2 && y < 4;
                assertEquals(inside ? WHITE : BG, img.get(x, y), "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void labelledRowsPlaceImagesAfterTheLabelColumn() {
        Format f = new Format(2, 2, 1, 2); // each image 4x4 on screen
        Raster r = ImageGrid.render(List.of(
                new Row("in", List.of(filled(4, 0f), filled(4, 1f))),
                new Row("cell 1", List.of(filled(4, 0.5f)))), f);
        int imagesX = ImageGrid.GAP + Raster.textWidth("cell 1", 1) + ImageGrid.LABEL_GAP;
        int rowH = Raster.TEXT_HEIGHT; // the label is taller than a 4-pixel image
        assertEquals(imagesX + 2 * (4 + ImageGrid.GAP), r.width());
        assertEquals(ImageGrid.GAP + 2 * (rowH + ImageGrid.GAP), r.height());

        // Row 0: black, then white; row 1: mid grey (0.5 -> 128); each 4x4 at its row's top.
        int y1 = ImageGrid.GAP + rowH + ImageGrid.GAP;
        int[][] expect = {
            {imagesX, ImageGrid.GAP, 0x000000},
            {imagesX + 4 + ImageGrid.GAP, ImageGrid.GAP, WHITE},
            {imagesX, y1, 0x808080},
        };
        for (int[] e : expect) {
            for (int dy = -1; dy <= 4; dy++) {
                for (int dx = -1; dx <= 4; dx++) {
                    boolean inside = dx >= 0 && dx < 4 && dy >= 0 && dy < 4;
                    int px = r.get(e[0] + dx, e[1] + dy);
                    if (inside) {
                        assertEquals(e[2], px, "inside image at (" + e[0] + ", " + e[1] + ")");
                    } else {
                        assertEquals(BG, px, "gap around image at (" + e[0] + ", " + e[1] + ")");
                    }
                }
            }
        }
        // The labels are drawn in black in the label column, and nothing spills past it.
        int ink = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < imagesX; x++) {
                ink += r.get(x, y) == 0 ? 1 : 0;
            }
        }
        assertTrue(ink > 20, "label ink: " + ink);
        for (int y = 0; y < r.height(); y++) {
            for (int x = imagesX - ImageGrid.LABEL_GAP; x < imagesX; x++) {
                assertEquals(BG, r.get(x, y), "gap after the labels at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void rgbIsChannelMajorAndValuesAreClamped() {
        // Two pixels: R plane {1, 0}, G plane {0, 1}, B plane {0.5, 0}.
        Raster rgb = ImageGrid.render(List.of(new Row("", List.of(new float[] {1, 0, 0, 1, 0.5f, 0}))),
                new Format(2, 1, 3, 1));
        assertEquals(0xFF0080, rgb.get(2, 2));
        assertEquals(0x00FF00, rgb.get(3, 2));

        Raster grey = ImageGrid.render(List.of(new Row("", List.of(new float[] {-1, 2, Float.NaN, 0.25f}))),
                new Format(4, 1, 1, 1));
        assertEquals(0x000000, grey.get(2, 2));
        assertEquals(0xFFFFFF, grey.get(3, 2));
        assertEquals(0x000000, grey.get(4, 2));
        assertEquals(0x404040, grey.get(5, 2)); // round(0.25 * 255) = 64
    }

    @Test
    void badInputIsRejectedWithAClearMessage() throws IOException {
        Format f = new Format(28, 28, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(List.of(new Row("cell 2", List.of(new float[784], new float[10]))), f));
        assertTrue(e.getMessage().contains("'cell 2', image 1: 10 values; expected 784"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(List.of(), f));
        assertThrows(IllegalArgumentException.class, () -> new Format(28, 28, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Format(28, 28, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(List.of(new Row("", List.of(new float[1]))), new Format(1, 1, 1, 1 << 15)));

        Path dir = Files.createDirectory(tmp.resolve("grids"));
        OutputException io = assertThrows(OutputException.class,
                () -> ImageGrid.write(dir, List.of(new Row("", List.of(new float[4]))), new Format(2, 2, 1, 1)));
        assertTrue(io.getMessage().contains(dir + ": is a folder"), io.getMessage());
        assertEquals(List.of(dir), PngWriterTest.listAll(tmp));
    }
}
