package dev.uff4j.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drawing primitives and the bitmap font, checked pixel by pixel. */
class RasterTest {
    private static final int WHITE = 0xFFFFFF;
    private static final int RED = 0xFF0000;

    /** The "H" glyph as drawn: {@code #} is ink. */
    private static final String[] H = {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"};

    /** Every pixel of {@code r} is {@code color} where {@code ink}, placed at {@code (x0, y0)}, has '#'; else white. */
    private static void assertOnly(Raster r, int x0, int y0, String[] ink, int color, int scale) {
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int gx = Math.floorDiv(x - x0, scale);
                int gy = Math.floorDiv(y - y0, scale);
                boolean inked = gy >= 0 && gy < ink.length && gx >= 0 && gx < ink[gy].length()
                        && ink[gy].charAt(gx) == '#';
                assertEquals(inked ? color : WHITE, r.get(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void diagonalLineSetsExactlyTheDiagonal() {
        for (boolean reversed : new boolean[] {false, true}) {
            Raster r = new Raster(10, 10);
            if (reversed) {
                r.line(9, 9, 0, 0, RED);
            } else {
                r.line(0, 0, 9, 9, RED);
            }
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    assertEquals(x == y ? RED : WHITE, r.get(x, y), "(" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void shallowLineHasOnePixelPerColumnAndBothEnds() {
        Raster r = new Raster(10, 4);
        r.line(0, 0, 9, 3, RED);
        assertEquals(RED, r.get(0, 0));
        assertEquals(RED, r.get(9, 3));
        for (int x = 0; x < 10; x++) {
            int inColumn = 0;
            for (int y = 0; y < 4; y++) {
                inColumn += r.get(x, y) == RED ? 1 : 0;
            }
            assertEquals(1, inColumn, "column " + x);
        }
    }

    @Test
    void thickLineIsTwoPixelsHeavy() {
        Raster r = new Raster(10, 4);
        r.line(1, 1, 6, 1, RED, 2);
        assertOnly(r, 1, 1, new String[] {"#######", "#######"}, RED, 1);
        assertThrows(IllegalArgumentException.class, () -> r.line(0, 0, 1, 1, RED, 0));
    }

    @Test
    void rectanglesFillAndOutlineAndClip() {
        Raster r = new Raster(8, 8);
        r.fillRect(2, 3, 4, 2, RED);
        assertOnly(r, 2, 3, new String[] {"####", "####"}, RED, 1);

        Raster o = new Raster(6, 6);
        o.drawRect(1, 1, 4, 3, RED);
        assertOnly(o, 1, 1, new String[] {"####", "#..#", "####"}, RED, 1);

        Raster c = new Raster(4, 4);
        c.fillRect(-5, 2, 100, Integer.MAX_VALUE, RED); // partly outside, huge: clipped, no overflow
        c.fillRect(10, 10, 3, 3, RED);                  // wholly outside: nothing
        c.set(-1, 0, RED);
        c.set(4, 0, RED);
        assertOnly(c, 0, 2, new String[] {"####", "####"}, RED, 1);
    }

    @Test
    void fillSetAndBounds() {
        Raster r = new Raster(3, 2, 0x123456);
        assertEquals(0x123456, r.get(2, 1));
        r.set(1, 1, 0xFFABCDEF); // bits above RGB are dropped
        assertEquals(0xABCDEF, r.get(1, 1));
        r.fill(0x000000);
        assertEquals(0, r.get(1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Raster(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Raster(1 << 15, 1 << 15));
    }

    @Test
    void textDrawsTheGlyphAtItsCorner() {
        Raster r = new Raster(9, 11);
        int end = r.text(2, 3, "H", RED, 1);
        assertOnly(r, 2, 3, H, RED, 1);
        assertEquals(2 + 5, end);

        Raster big = new Raster(14, 16);
        big.text(1, 1, "H", RED, 2);
        assertOnly(big, 1, 1, H, RED, 2);
    }

    @Test
    void textAdvancesSixPixelsPerCharacter() {
        Raster r = new Raster(20, 9);
        assertEquals(11, Raster.textWidth("HH", 1));
        assertEquals(22, Raster.textWidth("HH", 2));
        assertEquals(0, Raster.textWidth("", 3));
        r.text(1, 1, "HH", RED, 1);
        String[] twoH = new String[H.length];
        for (int i = 0; i < H.length; i++) {
            twoH[i] = H[i] + "." + H[i];
        }
        assertOnly(r, 1, 1, twoH, RED, 1);
    }

    @Test
    void textUpTurnsGlyphsCounterClockwise() {
        // "L": its stem becomes the bottom row, its foot the right column.
        Raster r = new Raster(7, 5);
        r.textUp(0, 0, "L", RED, 1);
        assertOnly(r, 0, 0, new String[] {"......#", "......#", "......#", "......#", "#######"}, RED, 1);
    }

    @Test
    void fontCoversWhatLabelsNeed() {
        String needed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,:%-+()/_= ";
        for (char c : needed.toCharArray()) {
            assertTrue(Font5x7.covers(c), "no glyph for '" + c + "'");
            int ink = 0;
            for (int row : Font5x7.glyph(c)) {
                ink |= row;
            }
            assertEquals(c == ' ', ink == 0, "'" + c + "' should have ink unless it is a space");
        }
        // Lower case has glyphs of its own; unknown characters fall back to '?'.
        for (char c = 'a'; c <= 'z'; c++) {
            assertNotEquals(Arrays.toString(Font5x7.glyph(Character.toUpperCase(c))),
                    Arrays.toString(Font5x7.glyph(c)), "'" + c + "'");
        }
        assertFalse(Font5x7.covers('\u00e9'));
        assertEquals(Arrays.toString(Font5x7.glyph('?')), Arrays.toString(Font5x7.glyph('\u00e9')));
    }
}
