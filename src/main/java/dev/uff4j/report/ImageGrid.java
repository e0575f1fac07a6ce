package dev.uff4j.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A grid of small images, one labelled row per source (such as the inputs, then each cell's reconstructions of
 * them): the label on the left, then the row's images left to right, each enlarged by an integer factor.
 *
 * <p>Layout: a {@value #GAP}-pixel gap around and between all images, on a light grey background so that both
 * white and black images keep visible edges; the labels (black, at double size once images are at least 32 pixels
 * tall) take a column as wide as the longest, followed by {@value #LABEL_GAP} pixels. A row is as tall as its
 * images or its label, whichever is taller; images sit at the top of their row and labels are centred on it. Rows
 * may hold different numbers of images.
 */
public final class ImageGrid {
    /** Pixels around and between images. */
    static final int GAP = 2;
    /** Pixels between the label column and the first image. */
    static final int LABEL_GAP = 6;
    static final int BACKGROUND = 0xC8C8C8;
    private static final int INK = 0x000000;

    /**
     * The size and colour layout shared by all images of a grid.
     *
     * @param width    pixels per image row
     * @param height   pixel rows per image
     * @param channels 1 for grey, or 3 for RGB stored channel-major as CIFAR-10 does: all red values
     *                 ({@code width * height} of them, row by row), then all green, then all blue
     * @param scale    how many screen pixels, across and down, each image pixel becomes
     */
    public record Format(int width, int height, int channels, int scale) {
        public Format {
            if (width < 1 || height < 1 || scale < 1 || (channels != 1 && channels != 3)) {
                throw new IllegalArgumentException("image format " + width + "x" + height + "x" + channels
                        + " at scale " + scale + " is invalid; expected positive sizes and scale, and 1 (grey) or"
                        + " 3 (RGB) channels");
            }
            if ((long) width * height * channels > Integer.MAX_VALUE || (long) width * scale > Integer.MAX_VALUE
                    || (long) height * scale > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("image format " + width + "x" + height + "x" + channels
                        + " at scale " + scale + " is too large");
            }
        }

        /** Values per image: {@code width * height * channels}. */
        public int values() {
            return width * height * channels;
        }
    }

    /**
     * One row: a label and its images, each {@link Format#values()} floats in [0, 1]. Values outside [0, 1] are
     * clamped and NaN is drawn as 0. The list is copied; the arrays are not (they are only read).
     */
    public record Row(String label, List<float[]> images) {
        public Row {
            Objects.requireNonNull(label, "label");
            images = List.copyOf(images); // also rejects null images
        }
    }

    private ImageGrid() {
    }

    /**
     * Draws the grid and writes it to {@code png} atomically (see {@link PngWriter#write}).
     *
     * @throws IllegalArgumentException when there are no rows, or an image's length is not {@link Format#values()}
     * @throws dev.uff4j.io.OutputException when {@code png} is a folder or cannot be written
     */
    public static void write(Path png, List<Row> rows, Format format) {
        PngWriter.write(png, render(rows, format));
    }

    /**
     * Draws the grid into a new raster just large enough for it.
     *
     * @throws IllegalArgumentException when there are no rows, an image's length is not {@link Format#values()},
     *                                  or the grid would exceed the largest raster
     */
    public static Raster render(List<Row> rows, Format format) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("image grid: no rows; expected at least one row of images");
        }
        int cellW = format.width() * format.scale();
        int cellH = format.height() * format.scale();
        int textScale = cellH >= 32 ? 2 : 1;
        int labelWidth = 0;
        int columns = 0;
        for (Row row : rows) {
            labelWidth = Math.max(labelWidth, Raster.textWidth(row.label(), textScale));
            columns = Math.max(columns, row.images().size());
            for (int i = 0; i < row.images().size(); i++) {
                int n = row.images().get(i).length;
                if (n != format.values()) {
                    throw new IllegalArgumentException("image grid: row '" + row.label() + "', image " + i + ": "
                            + n + " values; expected " + format.values() + " (" + format.width() + "x"
                            + format.height() + "x" + format.channels() + ")");
                }
            }
        }
        int textH = labelWidth > 0 ? Raster.TEXT_HEIGHT * textScale : 0; // no labels: rows as tall as images
        int rowH = Math.max(cellH, textH);
        int imagesX = GAP + (labelWidth > 0 ? labelWidth + LABEL_GAP : 0);
        long width = imagesX + (long) columns * (cellW + GAP);
        long height = GAP + (long) rows.size() * (rowH + GAP);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE || width * height > Raster.MAX_PIXELS) {
            throw new IllegalArgumentException("image grid: " + width + "x" + height + " pixels is too large; "
                    + "expected at most " + Raster.MAX_PIXELS + " (use fewer images or a smaller scale)");
        }
        Raster r = new Raster((int) width, (int) height, BACKGROUND);
        for (int ri = 0; ri < rows.size(); ri++) {
            Row row = rows.get(ri);
            int y = GAP + ri * (rowH + GAP);
            r.text(GAP, y + (rowH - textH) / 2, row.label(), INK, textScale);
            for (int i = 0; i < row.images().size(); i++) {
                drawImage(r, imagesX + i * (cellW + GAP), y, row.images().get(i), format);
            }
        }
        return r;
    }

    private static void drawImage(Raster r, int x0, int y0, float[] image, Format f) {
        int plane = f.width() * f.height();
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int p = y * f.width() + x;
                int rgb;
                if (f.channels() == 1) {
                    int v = level(image[p]);
                    rgb = v << 16 | v << 8 | v;
                } else {
                    rgb = level(image[p]) << 16 | level(image[plane + p]) << 8 | level(image[2 * plane + p]);
                }
                r.fillRect(x0 + x * f.scale(), y0 + y * f.scale(), f.scale(), f.scale(), rgb);
            }
        }
    }

    /** {@code v} in [0, 1] as 0..255; clamped, and NaN as 0. */
    static int level(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255);
    }
}
