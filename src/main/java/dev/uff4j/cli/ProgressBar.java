package dev.uff4j.cli;

import dev.uff4j.train.Progress;

import java.io.PrintWriter;

/**
 * Progress on stderr. On a terminal: one line redrawn in place at most five times a second, with samples/s and
 * the ETA of the whole run; elsewhere (a log file, CI): only the one-line summary at the end of each phase.
 * stdout stays free for results.
 */
final class ProgressBar implements Progress {
    enum Mode { BAR, LINES, NONE }

    private static final int WIDTH = 28;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final Mode mode;
    private long planned;
    private long finishedBefore;
    private String label = "";
    private long total;
    private long phaseStart;
    private long runStart;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    static Mode parse(String s, boolean terminal) {
        return switch (s) {
            case "auto" -> terminal ? Mode.BAR : Mode.LINES;
            case "bar" -> Mode.BAR;
            case "lines" -> Mode.LINES;
            case "none" -> Mode.NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + s
                    + "'");
        };
    }

    @Override
    public void plan(long totalSamples) {
        planned = totalSamples;
        finishedBefore = 0;
        runStart = System.nanoTime();
    }

    @Override
    public void start(String phaseLabel, long phaseTotal) {
        label = phaseLabel;
        total = phaseTotal;
        phaseStart = System.nanoTime();
        lastDraw = 0;
        if (runStart == 0) {
            runStart = phaseStart;
        }
    }

    @Override
    public void advance(long done) {
        if (mode != Mode.BAR) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        double seconds = (now - phaseStart) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        int filled = total > 0 ? (int) (WIDTH * done / total) : 0;
        long remaining = Math.max(0, (planned > 0 ? planned - finishedBefore : total) - done);
        String eta = rate > 0 ? duration(remaining / rate) : "?";
        out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total
                + String.format(" %.0f samples/s, ETA %s ", rate, eta));
        out.flush();
        drawn = true;
    }

    @Override
    public void end(String summary) {
        finishedBefore += total;
        if (mode == Mode.NONE) {
            return;
        }
        if (drawn) {
            out.print("\r\033[K");
            drawn = false;
        }
        out.println(summary);
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
