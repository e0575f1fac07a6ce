package dev.uff4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a cell list ({@code --cells cae:32,cae:64,ae:500}): the kind of cell and its width, which is the number
 * of latent units for a dense cell (ae, dae, gan) and the number of feature maps for a convolutional one (cae).
 */
public record CellDef(CellKind kind, int width) {
    public CellDef {
        if (kind == null || width < 1 || width > 1 << 16) {
            throw new IllegalArgumentException("a cell needs a kind and a width in [1, 65536], got " + kind + ":"
                    + width);
        }
    }

    public String id() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + width;
    }

    /** Parses {@code kind:width[,kind:width...]}, e.g. {@code cae:32,cae:64,ae:500}. */
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

    /** The inverse of {@link #parseList}. */
    public static String format(List<CellDef> cells) {
        StringBuilder b = new StringBuilder();
        for (CellDef c : cells) {
            b.append(b.length() == 0 ? "" : ",").append(c.id());
        }
        return b.toString();
    }
}
