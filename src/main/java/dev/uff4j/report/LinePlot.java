package dev.uff4j.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An 800x500 line chart of one or more series (such as test accuracy per epoch, one line per model): a title, both
 * axes with round-numbered ticks and grid lines, axis labels, and a legend to the right of the plot.
 *
 * <p>Axis ranges cover every finite point with 5% padding on each side; a range of a single value is widened by 10%
 * of the value (or by 1 around zero) so that it still has extent. Points with a NaN or infinite coordinate are
 * skipped and break the line there. Each point also gets a small square marker while there are few enough of them
 * to tell apart, and always where it has no neighbour to draw a line to.
 */
public final class LinePlot {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    /** Tableau's ten categorical colours: distinguishable, and the first few survive common colour blindness. */
    private static final int[] PALETTE = {
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    };

    private static final int INK = 0x000000;
    private static final int GRID = 0xE5E5E5;
    private static final int MARGIN = 12;
    /** Pixels between a tick label and the axis, and between stacked labels. */
    private static final int PAD = 6;
    private static final int TICK = 4;
    private static final int MARKER = 5;
    private static final int SWATCH = 24;
    private static final int MAX_LEGEND_WIDTH = 220;
    /** About this many ticks per axis; the nice step makes it between roughly half and twice as many. */
    private static final int TARGET_TICKS = 8;

    /**
     * One line of the plot: {@code y[i]} against {@code x[i]}. The arrays are copied; arrays that differ in length
     * are an {@link IllegalArgumentException}.
     */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values; expected one of each per point");
            }
            x = x.clone();
            y = y.clone();
        }

        /** The same copy semantics going out: the record stays immutable. */
        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /** An axis range and its tick positions, with the {@link String#format} pattern of their labels. */
    record Axis(double lo, double hi, double[] ticks, String format) {
        String label(double v) {
            return String.format(Locale.ROOT, format, v + 0.0); // + 0.0 turns -0.0 into 0.0
        }
    }

    private LinePlot() {
    }

    /** The colour of the {@code i}-th series (the palette repeats after ten). */
    public static int seriesColor(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * Draws the plot and writes it to {@code png} atomically (see {@link PngWriter#write}).
     *
     * @throws dev.uff4j.io.OutputException when {@code png} is a folder or cannot be written
     */
    public static void write(Path png, String title, String xLabel, String yLabel, List<Series> series) {
        PngWriter.write(png, render(title, xLabel, yLabel, series));
    }

    /** Draws the plot into a new {@value #WIDTH}x{@value #HEIGHT} raster. An empty series list gives empty axes. */
    public static Raster render(String title, String xLabel, String yLabel, List<Series> series) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        List<Series> all = List.copyOf(series);
        Axis xAxis = axis(all, true);
        Axis yAxis = axis(all, false);
        Raster r = new Raster(WIDTH, HEIGHT);

        // Title on top, at double size unless it would not fit.
        int titleScale = Raster.textWidth(title, 2) <= WIDTH - 2 * MARGIN ? 2 : 1;
        r.text((WIDTH - Raster.textWidth(title, titleScale)) / 2, MARGIN, title, INK, titleScale);
        int top = MARGIN + Raster.TEXT_HEIGHT * titleScale + 2 * MARGIN;

        // The legend column on the right: as wide as the longest name, within reason.
        List<String> names = new ArrayList<>();
        int legendText = 0;
        for (Series s : all) {
            String name = fit(s.name(), MAX_LEGEND_WIDTH);
            names.add(name);
            legendText = Math.max(legendText, Raster.textWidth(name, 1));
        }
        int legendWidth = all.isEmpty() ? 0 : SWATCH + PAD + legendText + MARGIN;

        // Left: the y label (turned upwards), then the y tick labels; bottom: x tick labels, then the x label.
        int yTickWidth = 0;
        for (double t : yAxis.ticks()) {
            yTickWidth = Math.max(yTickWidth, Raster.textWidth(yAxis.label(t), 1));
        }
        int yLabelWidth = yLabel.isEmpty() ? 0 : Raster.TEXT_HEIGHT + PAD;
        int left = MARGIN + yLabelWidth + yTickWidth + PAD + TICK;
        int right = WIDTH - MARGIN - legendWidth;
        int xLabelHeight = xLabel.isEmpty() ? 0 : Raster.TEXT_HEIGHT + PAD;
        int bottom = HEIGHT - MARGIN - xLabelHeight - Raster.TEXT_HEIGHT - PAD - TICK;
        int plotW = right - left;
        int plotH = bottom - top;

        // Grid lines and ticks with their labels.
        double[] xTicks = xAxis.ticks();
        int every = labelEvery(xAxis, plotW);
        for (int k = 0; k < xTicks.length; k++) {
            int px = left + scale(xTicks[k], xAxis, plotW);
            r.line(px, top, px, bottom, GRID);
            r.line(px, bottom, px, bottom + TICK, INK);
            if (k % every == 0) {
                String label = xAxis.label(xTicks[k]);
                r.text(px - Raster.textWidth(label, 1) / 2, bottom + TICK + PAD, label, INK, 1);
            }
        }
        for (double t : yAxis.ticks()) {
            int py = bottom - scale(t, yAxis, plotH);
            r.line(left, py, right, py, GRID);
            r.line(left - TICK, py, left, py, INK);
            String label = yAxis.label(t);
            r.text(left - TICK - PAD - Raster.textWidth(label, 1), py - Raster.TEXT_HEIGHT / 2, label, INK, 1);
        }
        r.drawRect(left, top, plotW + 1, plotH + 1, INK);
        r.text(left + (plotW - Raster.textWidth(xLabel, 1)) / 2, HEIGHT - MARGIN - Raster.TEXT_HEIGHT, xLabel, INK, 1);
        r.textUp(MARGIN, top + (plotH - Raster.textWidth(yLabel, 1)) / 2, yLabel, INK, 1);

        // The series, in order, so that later ones are drawn over earlier ones.
        for (int i = 0; i < all.size(); i++) {
            drawSeries(r, all.get(i), seriesColor(i), xAxis, yAxis, left, bottom, plotW, plotH);
        }

        // The legend: a line with a marker in the series' colour, then its name.
        int lx = right + MARGIN;
        for (int i = 0; i < names.size(); i++) {
            int ly = top + i * (Raster.TEXT_HEIGHT + 2 * PAD);
            int mid = ly + Raster.TEXT_HEIGHT / 2;
            r.line(lx, mid, lx + SWATCH - 2, mid, seriesColor(i), 2);
            marker(r, lx + SWATCH / 2 - 1, mid, seriesColor(i));
            r.text(lx + SWATCH + PAD, ly, names.get(i), INK, 1);
        }
        return r;
    }

    private static void drawSeries(Raster r, Series s, int color, Axis xAxis, Axis yAxis, int left, int bottom,
                                   int plotW, int plotH) {
        double[] x = s.x();
        double[] y = s.y();
        int n = x.length;
        boolean markAll = n <= plotW / (4 * MARKER);
        for (int i = 0; i < n; i++) {
            if (!finite(x[i], y[i])) {
                continue;
            }
            int px = left + scale(x[i], xAxis, plotW);
            int py = bottom - scale(y[i], yAxis, plotH);
            boolean prev = i > 0 && finite(x[i - 1], y[i - 1]);
            boolean next = i + 1 < n && finite(x[i + 1], y[i + 1]);
            if (prev) {
                int qx = left + scale(x[i - 1], xAxis, plotW);
                int qy = bottom - scale(y[i - 1], yAxis, plotH);
                r.line(qx, qy, px, py, color, 2);
            }
            if (markAll || (!prev && !next)) {
                marker(r, px, py, color);
            }
        }
    }

    /** A filled square centred on {@code (x, y)}; centred on the 2-pixel line, which extends right and down. */
    private static void marker(Raster r, int x, int y, int color) {
        r.fillRect(x - MARKER / 2, y - MARKER / 2, MARKER + 1, MARKER + 1, color);
    }

    /** Pixel offset of {@code v} along an axis {@code length} pixels long. */
    private static int scale(double v, Axis a, int length) {
        return (int) Math.round((v - a.lo()) / (a.hi() - a.lo()) * length);
    }

    /** Label every n-th x tick, n the smallest that keeps the labels from touching. */
    private static int labelEvery(Axis a, int plotW) {
        double[] t = a.ticks();
        if (t.length < 2) {
            return 1;
        }
        int widest = 0;
        for (double v : t) {
            widest = Math.max(widest, Raster.textWidth(a.label(v), 1));
        }
        double spacing = (double) plotW * (t[1] - t[0]) / (a.hi() - a.lo());
        return Math.max(1, (int) Math.ceil((widest + 2 * PAD) / spacing));
    }

    private static boolean finite(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y);
    }

    /** {@code s}, cut and ended with ".." where it is wider than {@code maxWidth} at scale 1. */
    private static String fit(String s, int maxWidth) {
        int maxChars = (maxWidth + 1) / Font5x7.ADVANCE;
        return s.length() <= maxChars ? s : s.substring(0, Math.max(0, maxChars - 2)) + "..";
    }

    /** The range of every finite point's x (or y) with padding, and round-numbered ticks within it. */
    static Axis axis(List<Series> series, boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] xs = s.x();
            double[] ys = s.y();
            for (int i = 0; i < xs.length; i++) {
                if (finite(xs[i], ys[i])) {
                    double v = x ? xs[i] : ys[i];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo;
        double hi;
        if (min > max) { // no finite point at all
            lo = 0;
            hi = 1;
        } else if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            lo = min - pad;
            hi = max + pad;
        } else {
            double pad = (max - min) * 0.05;
            lo = min - pad;
            hi = max + pad;
        }
        return ticks(lo, hi);
    }

    /** Ticks at multiples of a step of 1, 2 or 5 times a power of ten, about {@link #TARGET_TICKS} within range. */
    static Axis ticks(double lo, double hi) {
        double raw = (hi - lo) / TARGET_TICKS;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
        if (!(step > 0) || !Double.isFinite(step)) { // a range at the ends of double's scale: no ticks
            return new Axis(lo, hi, new double[0], "%g");
        }
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        if (last - first > 4L * TARGET_TICKS) { // the range is lost in the values' precision
            return new Axis(lo, hi, new double[0], "%g");
        }
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        double largest = 0;
        for (int k = 0; k < ticks.length; k++) {
            ticks[k] = (first + k) * step; // multiples, not a running sum, so no rounding drift
            largest = Math.max(largest, Math.abs(ticks[k]));
        }
        // Plain decimals, as many as the step needs, unless they would be long: then 3 significant digits.
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        String format = decimals <= 4 && largest < 1e7 ? "%." + decimals + "f" : "%.3g";
        return new Axis(lo, hi, ticks, format);
    }
}
