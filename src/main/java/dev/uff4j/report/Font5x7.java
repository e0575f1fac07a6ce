package dev.uff4j.report;

/**
 * A built-in 5x7 bitmap font, so that text can be drawn without AWT or system fonts (uff4j also runs on a jlinked
 * JRE with only {@code java.base}, and headless machines may have no fonts at all).
 *
 * <p>It covers the digits, upper and lower case ASCII letters (lower case has glyphs of its own, with descenders
 * squeezed into the 7 rows) and {@code . , : ; % - + = _ / ( ) [ ] < > ? ! ' * #} and space. Any other character
 * is drawn as {@code ?}.
 */
final class Font5x7 {
    /** Glyph width in pixels. */
    static final int WIDTH = 5;
    /** Glyph height in pixels. */
    static final int HEIGHT = 7;
    /** Horizontal distance from one glyph to the next: the glyph and one blank column. */
    static final int ADVANCE = WIDTH + 1;

    /**
     * The glyphs, a dozen to a group: a line naming the characters (each above its glyph's first column), then the
     * glyphs' 7 rows side by side, one space apart; {@code #} is ink.
     */
    private static final String TABLE = """
            0     1     2     3     4     5     6     7     8     9     A     B
            .###. ..#.. .###. ##### ...#. ##### ..##. ##### .###. .###. .###. ####.
            #...# .##.. #...# ...#. ..##. #.... .#... ....# #...# #...# #...# #...#
            #..## ..#.. ....# ..#.. .#.#. ####. #.... ...#. #...# #...# #...# #...#
            #.#.# ..#.. ...#. ...#. #..#. ....# ####. ..#.. .###. .#### ##### ####.
            ##..# ..#.. ..#.. ....# ##### ....# #...# .#... #...# ....# #...# #...#
            #...# ..#.. .#... #...# ...#. #...# #...# .#... #...# ...#. #...# #...#
            .###. .###. ##### .###. ...#. .###. .###. .#... .###. .##.. #...# ####.
            C     D     E     F     G     H     I     J     K     L     M     N
            .###. ###.. ##### ##### .###. #...# .###. ..### #...# #.... #...# #...#
            #...# #..#. #.... #.... #...# #...# ..#.. ...#. #..#. #.... ##.## #...#
            #.... #...# #.... #.... #.... #...# ..#.. ...#. #.#.. #.... #.#.# ##..#
            #.... #...# ####. ####. #.### ##### ..#.. ...#. ##... #.... #.#.# #.#.#
            #.... #...# #.... #.... #...# #...# ..#.. ...#. #.#.. #.... #...# #..##
            #...# #..#. #.... #.... #...# #...# ..#.. #..#. #..#. #.... #...# #...#
            .###. ###.. ##### #.... .#### #...# .###. .##.. #...# ##### #...# #...#
            O     P     Q     R     S     T     U     V     W     X     Y     Z
            .###. ####. .###. ####. .#### ##### #...# #...# #...# #...# #...# #####
            #...# #...# #...# #...# #.... ..#.. #...# #...# #...# #...# #...# ....#
            #...# #...# #...# #...# #.... ..#.. #...# #...# #...# .#.#. #...# ...#.
            #...# ####. #...# ####. .###. ..#.. #...# #...# #.#.# ..#.. .#.#. ..#..
            #...# #.... #.#.# #.#.. ....# ..#.. #...# #...# #.#.# .#.#. ..#.. .#...
            #...# #.... #..#. #..#. ....# ..#.. #...# .#.#. #.#.# #...# ..#.. #....
            .###. #.... .##.# #...# ####. ..#.. .###. ..#.. .#.#. #...# ..#.. #####
            a     b     c     d     e     f     g     h     i     j     k     l
            ..... #.... ..... ....# ..... ..##. ..... #.... ..#.. ...#. #.... .##..
            ..... #.... ..... ....# ..... .#..# .#### #.... ..... ..... #.... ..#..
            .###. #.##. .###. .##.# .###. .#... #...# #.##. .##.. ..##. #..#. ..#..
            ....# ##..# #.... #..## #...# ###.. #...# ##..# ..#.. ...#. #.#.. ..#..
            .#### #...# #.... #...# ##### .#... .#### #...# ..#.. ...#. ##... ..#..
            #...# #...# #...# #...# #.... .#... ....# #...# ..#.. #..#. #.#.. ..#..
            .#### ####. .###. .#### .###. .#... .###. #...# .###. .##.. #..#. .###.
            m     n     o     p     q     r     s     t     u     v     w     x
            ..... ..... ..... ..... ..... ..... ..... .#... ..... ..... ..... .....
            ..... ..... ..... ..... ..... ..... ..... .#... ..... ..... ..... .....
            ##.#. #.##. .###. ####. .##.# #.##. .###. ###.. #...# #...# #...# #...#
            #.#.# ##..# #...# #...# #..## ##..# #.... .#... #...# #...# #...# .#.#.
            #.#.# #...# #...# ####. .#### #.... .###. .#... #...# #...# #.#.# ..#..
            #...# #...# #...# #.... ....# #.... ....# .#..# #..## .#.#. #.#.# .#.#.
            #...# #...# .###. #.... ....# #.... ####. ..##. .##.# ..#.. .#.#. #...#
            y     z     .     ,     :     ;     %     -     +     =     _     /
            ..... ..... ..... ..... ..... ..... ##... ..... ..... ..... ..... .....
            ..... ..... ..... ..... .##.. .##.. ##..# ..... ..#.. ..... ..... ....#
            #...# ##### ..... ..... .##.. .##.. ...#. ..... ..#.. ##### ..... ...#.
            #...# ...#. ..... ..... ..... ..... ..#.. ##### ##### ..... ..... ..#..
            .#### ..#.. ..... .##.. .##.. .##.. .#... ..... ..#.. ##### ..... .#...
            ....# .#... .##.. ..#.. .##.. ..#.. #..## ..... ..#.. ..... ..... #....
            .###. ##### .##.. .#... ..... .#... ...## ..... ..... ..... ##### .....
            (     )     [     ]     <     >     ?     !     '     *     #
            ...#. .#... .###. .###. ...#. .#... .###. ..#.. ..#.. ..... .#.#.
            ..#.. ..#.. .#... ...#. ..#.. ..#.. #...# ..#.. ..#.. ..#.. .#.#.
            .#... ...#. .#... ...#. .#... ...#. ....# ..#.. .#... #.#.# #####
            .#... ...#. .#... ...#. #.... ....# ...#. ..#.. ..... .###. .#.#.
            .#... ...#. .#... ...#. .#... ...#. ..#.. ..#.. ..... #.#.# #####
            ..#.. ..#.. .#... ...#. ..#.. ..#.. ..... ..... ..... ..#.. .#.#.
            ...#. .#... .###. .###. ...#. .#... ..#.. ..#.. ..... ..... .#.#.
            """;

    /** Per ASCII code, the glyph's rows as 5-bit masks (bit 4 is the leftmost column); null where there is none. */
    private static final int[][] GLYPHS = parse();

    private static final int[] BLANK = new int[HEIGHT];

    private Font5x7() {
    }

    /** The rows of {@code c}'s glyph as 5-bit masks, bit 4 leftmost: blank for space, {@code ?}'s if unknown. */
    static int[] glyph(char c) {
        if (c == ' ') {
            return BLANK;
        }
        int[] g = c < GLYPHS.length ? GLYPHS[c] : null;
        return g != null ? g : GLYPHS['?'];
    }

    /** Whether {@code c} has a glyph of its own (space counts); any other character is drawn as {@code ?}. */
    static boolean covers(char c) {
        return c == ' ' || (c < GLYPHS.length && GLYPHS[c] != null);
    }

    private static int[][] parse() {
        int[][] glyphs = new int[128][];
        String[] lines = TABLE.strip().split("\n");
        if (lines.length % (HEIGHT + 1) != 0) {
            throw new IllegalStateException("font table: " + lines.length + " lines is not a multiple of 8");
        }
        for (int g = 0; g < lines.length; g += HEIGHT + 1) {
            String header = lines[g];
            int count = (lines[g + 1].length() + 1) / ADVANCE;
            for (int i = 0; i < count; i++) {
                char c = header.charAt(i * ADVANCE);
                int[] rows = new int[HEIGHT];
                for (int r = 0; r < HEIGHT; r++) {
                    String row = lines[g + 1 + r];
                    for (int col = 0; col < WIDTH; col++) {
                        if (row.charAt(i * ADVANCE + col) == '#') {
                            rows[r] |= 1 << (WIDTH - 1 - col);
                        }
                    }
                }
                glyphs[c] = rows;
            }
        }
        return glyphs;
    }
}
