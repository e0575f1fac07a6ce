package dev.uff4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three progress modes: a redrawn bar with rate and ETA, one line per phase, nothing. */
class ProgressBarTest {
    private static String drive(ProgressBar.Mode mode) {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s, true), mode);
        bar.plan(200);
        bar.start("epoch 1/2", 100);
        bar.advance(100);
        bar.end("epoch 1: done");
        return s.toString();
    }

    @Test
    void barModeDrawsBarRateAndEtaThenTheSummary() {
        String out = drive(ProgressBar.Mode.BAR);
        assertTrue(out.startsWith("\repoch 1/2 [" + "#".repeat(28) + "] 100/100 "), out);
        assertTrue(out.contains(" samples/s, ETA "), out);
        assertTrue(out.endsWith("\r\033[Kepoch 1: done" + System.lineSeparator()), out);
    }

    @Test
    void linesModePrintsOnlyTheSummaryAndNoneModeNothing() {
        assertEquals("epoch 1: done" + System.lineSeparator(), drive(ProgressBar.Mode.LINES));
        assertEquals("", drive(ProgressBar.Mode.NONE));
    }

    @Test
    void autoPicksTheBarOnATerminalOnly() {
        assertEquals(ProgressBar.Mode.BAR, ProgressBar.parse("auto", true));
        assertEquals(ProgressBar.Mode.LINES, ProgressBar.parse("auto", false));
        assertEquals("1m05s", ProgressBar.duration(65));
        assertEquals("2h01m", ProgressBar.duration(7260));
    }
}
