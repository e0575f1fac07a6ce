package dev.uff4j.report;

import java.util.Arrays;

/**
 * An RGB canvas: {@code width * height} pixels, each an {@code 0xRRGGBB} int, row by row from the top left. Drawing
 * is clipped: pixels outside the canvas are silently skipped, so callers need not clip lines or text themselves.
 *
 * <p>Text uses the built-in 5x7 bitmap font (see {@link #text}), scaled by an integer factor; no AWT is involved.
 */
final class Raster {
    /** Largest canvas, in pixels: 1 GiB of ints, far beyond any plot, but well short of array-size overflow. */
    static final long MAX_PIXELS = 1L << 28;

    /** Height of a line of text at scale 1, in pixels. */
    public static final int TEXT_HEIGHT = Font5x7.HEIGHT;

    private final int width;
    private final int height;
    private final int[] pixels;

    /** A {@code width x height} canvas filled with white. */
    public Raster(int width, int height) {
        this(width, height, 0xFFFFFF);
    }

    /**
     * A {@code width x height} canvas filled with {@code background} ({@code 0xRRGGBB}).
     *
     * @throws IllegalArgumentException when a dimension is below 1 or the canvas would exceed 2^28 pixels
     */
    public Raster(int width, int height, int background) {
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("raster size " + width + "x" + height
                    + " is invalid; expected both dimensions at least 1 and at most " + MAX_PIXELS + " pixels");
        }
        this.width = width;
        this.height = height;
        this.pixels = new int[width * height];
        fill(background);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels, row-major; the live array, so that the encoder need not copy it. */
    int[] pixels() {
        return pixels;
    }

    /**
     * The colour at {@code (x, y)} as {@code 0xRRGGBB}.
     *
     * @throws IndexOutOfBoundsException outside the canvas
     */
    public int get(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside the " + width + "x"
                    + height + " raster");
        }
        return pixels[y * width + x];
    }

    /** Sets {@code (x, y)} to {@code rgb} ({@code 0xRRGGBB}; higher bits are ignored); nothing outside the canvas. */
    public void set(int x, int y, int rgb) {
        if (x >= 0 && y >= 0 && x < width && y < height) {
            pixels[y * width + x] = rgb & 0xFFFFFF;
        }
    }

    public void fill(int rgb) {
        Arrays.fill(pixels, rgb & 0xFFFFFF);
    }

    /** Fills the {@code w x h} rectangle whose top left corner is {@code (x, y)}. */
    public void fillRect(int x, int y, int w, int h, int rgb) {
        int x0 = Math.max(x, 0);
        int y0 = Math.max(y, 0);
        int x1 = (int) Math.min((long) x + w, width); // long: x + w may overflow for huge w
        int y1 = (int) Math.min((long) y + h, height);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        for (int yy = y0; yy < y1; yy++) {
            Arrays.fill(pixels, yy * width + x0, yy * width + x1, rgb & 0xFFFFFF);
        }
    }

    /** Draws the 1-pixel outline of the {@code w x h} rectangle whose top left corner is {@code (x, y)}. */
    public void drawRect(int x, int y, int w, int h, int rgb) {
        if (w < 1 || h < 1) {
            return;
        }
        fillRect(x, y, w, 1, rgb);
        fillRect(x, y + h - 1, w, 1, rgb);
        fillRect(x, y, 1, h, rgb);
        fillRect(x + w - 1, y, 1, h, rgb);
    }

    /** A 1-pixel line from {@code (x0, y0)} to {@code (x1, y1)}, both ends included (Bresenham). */
    public void line(int x0, int y0, int x1, int y1, int rgb) {
        line(x0, y0, x1, y1, rgb, 1);
    }

    /**
     * A line from {@code (x0, y0)} to {@code (x1, y1)}, both ends included (Bresenham). At thickness {@code t > 1}
     * each point of the line is a {@code t x t} square extending right and down, which keeps steep and shallow
     * lines equally heavy.
     *
     * @throws IllegalArgumentException when {@code thickness} is below 1
     */
    public void line(int x0, int y0, int x1, int y1, int rgb, int thickness) {
        if (thickness < 1) {
            throw new IllegalArgumentException("line thickness " + thickness + " is invalid; expected at least 1");
        }
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int x = x0;
        int y = y0;
        while (true) {
            if (thickness == 1) {
                set(x, y, rgb);
            } else {
                fillRect(x, y, thickness, thickness, rgb);
            }
            if (x == x1 && y == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y += sy;
            }
        }
    }

    /** The width in pixels of {@code s} drawn at {@code scale}: 6 per character less the last blank column. */
    public static int textWidth(String s, int scale) {
        return s.isEmpty() ? 0 : (s.length() * Font5x7.ADVANCE - 1) * scale;
    }

    /**
     * Draws {@code s} left to right with its top left corner at {@code (x, y)}, each font pixel a
     * {@code scale x scale} square. The font is 5x7 with one blank column between characters; it covers digits,
     * ASCII letters of both cases, space and {@code . , : ; % - + = _ / ( ) [ ] < > ? ! ' * #}; any other character
     * is drawn as {@code ?}.
     *
     * @return the x just past the text (where the next character would start, less its blank column)
     */
    public int text(int x, int y, String s, int rgb, int scale) {
        checkScale(scale);
        for (int i = 0; i < s.length(); i++) {
            int[] rows = Font5x7.glyph(s.charAt(i));
            int gx = x + i * Font5x7.ADVANCE * scale;
            for (int r = 0; r < Font5x7.HEIGHT; r++) {
                for (int c = 0; c < Font5x7.WIDTH; c++) {
                    if ((rows[r] >> (Font5x7.WIDTH - 1 - c) & 1) != 0) {
                        fillRect(gx + c * scale, y + r * scale, scale, scale, rgb);
                    }
                }
            }
        }
        return x + textWidth(s, scale);
    }

    /**
     * Draws {@code s} turned 90 degrees counter-clockwise (reading upwards, as a y-axis label), within the box whose
     * top left corner is {@code (x, y)}, {@code 7 * scale} wide and {@link #textWidth} tall.
     */
    public void textUp(int x, int y, String s, int rgb, int scale) {
        checkScale(scale);
        int bottom = y + textWidth(s, scale) - 1; // the first character's left edge lands here
        for (int i = 0; i < s.length(); i++) {
            int[] rows = Font5x7.glyph(s.charAt(i));
            int gy = bottom - i * Font5x7.ADVANCE * scale;
            for (int r = 0; r < Font5x7.HEIGHT; r++) {
                for (int c = 0; c < Font5x7.WIDTH; c++) {
                    if ((rows[r] >> (Font5x7.WIDTH - 1 - c) & 1) != 0) {
                        // glyph column c goes up from the bottom, glyph row r goes right from x
                        fillRect(x + r * scale, gy - (c + 1) * scale + 1, scale, scale, rgb);
                    }
                }
            }
        }
    }

    private static void checkScale(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("text scale " + scale + " is invalid; expected at least 1");
        }
    }
}
