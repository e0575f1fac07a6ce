package dev.uff4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a cell list ({@code --cells cae:32,cae:64,ae:500}): the kind of cell and its width, which is the number
 * of latent units for a dense cell (ae, dae, gan) and the number of feature maps for a convolutional one (cae).
 *
 * @param kind  the kind of cell
 * @param width latent units (ae, dae, gan) or feature maps (cae), in [1, 65536]
 */
public record CellDef(CellKind kind, int width) {
    /**
     * Checks the entry.
     *
     * @param kind  the kind of cell
     * @param width latent units or feature maps
     * @throws IllegalArgumentException if {@code kind} is null or {@code width} is outside [1, 65536]
     */
    public CellDef {
        if (kind == null || width < 1 || width > 1 << 16) {
            throw new IllegalArgumentException("a cell needs a kind and a width in [1, 65536], got " + kind + ":"
                    + width);
        }
    }

    /**
     * The entry as the command line writes it.
     *
     * @return {@code kind:width} with the kind in lower case, e.g. {@code cae:32}
     */
    public String id() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + width;
    }

    /**
     * Parses {@code kind:width[,kind:width...]}, e.g. {@code cae:32,cae:64,ae:500}.
     *
     * @param text the list; spaces around an entry are ignored, kinds are lower case
     * @return the entries in order, an unmodifiable list
     * @throws IllegalArgumentException if an entry is not {@code kind:width}, names an unknown kind or has a width
     *                                  that is not an integer in [1, 65536]
     * @throws NullPointerException     if {@code text} is null
     */
    public static List<CellDef> parseList(String text) {
        Objects.requireNonNull(text, "text");
        List<CellDef> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int colon = p.indexOf(':');
            if (colon < 1 || colon == p.length() - 1) {
                throw new IllegalArgumentException("cell '" + p + "' is not kind:width (e.g. cae:32,cae:64,ae:500)");
            }
            CellKind kind = CellKind.parse(p.substring(0, colon));
            int width;
            try {
                width = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cell '" + p + "': width '" + p.substring(colon + 1)
                        + "' is not an integer");
            }
            list.add(new CellDef(kind, width));
        }
        return List.copyOf(list);
    }

    /**
     * The inverse of {@link #parseList}.
     *
     * @param cells the entries
     * @return their {@link #id}s joined by commas; empty for no entries
     */
    public static String format(List<CellDef> cells) {
        StringBuilder b = new StringBuilder();
        for (CellDef c : cells) {
            b.append(b.length() == 0 ? "" : ",").append(c.id());
        }
        return b.toString();
    }
}
