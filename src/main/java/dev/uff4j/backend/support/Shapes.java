package dev.uff4j.backend.support;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;

/**
 * The argument checks every backend applies before an op: shapes, slots and counts. Shared so that the CPU and
 * GPU backends reject exactly the same calls with the same messages ({@code op: what was wrong}). Messages are
 * built only on failure, so the checks allocate nothing on the hot path.
 */
public final class Shapes {
    /** The most elements one tensor holds: what one Java array can (its index is an int). */
    public static final int MAX_TENSOR_FLOATS = Integer.MAX_VALUE - 8;
    /** Largest input row of max pooling: its arg-max indices are floats, exact below 2^24. */
    public static final int MAX_POOL_MAX_ROW = 1 << 24;

    private Shapes() {
    }

    /**
     * An argument an op cannot do without: null is a {@link NullPointerException} that names the op and the
     * argument, as {@code Objects.requireNonNull} would (a check, nothing allocated).
     */
    public static void given(String op, String name, Object value) {
        if (value == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
    }

    public static boolean same(Tensor a, Tensor b) {
        return a.rows() == b.rows() && a.cols() == b.cols();
    }

    public static IllegalArgumentException error(String op, String format, Object... args) {
        return new IllegalArgumentException(op + ": " + String.format(format, args));
    }

    /** A label that is not a class index, as every backend reports it. */
    public static IllegalArgumentException badLabel(String op, float value, int row, int classes) {
        return new IllegalArgumentException(op + ": label " + value + " at row " + row
                + " is not a class index in [0, " + classes + ")");
    }

    /** A max-pooling arg-max that is not an index into its row, as every backend reports it. */
    public static IllegalArgumentException badArgmax(String op, float value, int row, int inCols) {
        return new IllegalArgumentException(op + ": argmax " + value + " at row " + row + " is not an index in [0, "
                + inCols + ")");
    }

    public static void upload(float[] src, int srcOffset, Tensor dst) {
        given("upload", "src", src);
        given("upload", "dst", dst);
        int srcLength = src.length;
        if (srcOffset < 0 || (long) srcOffset + dst.size() > srcLength) {
            throw new IllegalArgumentException("upload: " + dst.size() + " floats at offset " + srcOffset
                    + " exceed a source of " + srcLength);
        }
    }

    public static void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        given("uploadRows", "src", src);
        given("uploadRows", "rowIndex", rowIndex);
        given("uploadRows", "dst", dst);
        long srcRows = src.length / dst.cols();
        if (from < 0 || (long) from + dst.rows() > rowIndex.length) {
            throw error("uploadRows", "%s row indices from %s exceed %s", dst.rows(), from, rowIndex.length);
        }
        for (int r = 0; r < dst.rows(); r++) {
            int i = rowIndex[from + r];
            if (i < 0 || i >= srcRows) {
                throw new IllegalArgumentException("uploadRows: row index " + i + " outside [0, " + srcRows + ")");
            }
        }
    }

    public static void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        given("uploadLabels", "labels", labels);
        given("uploadLabels", "rowIndex", rowIndex);
        given("uploadLabels", "dst", dst);
        if (!(dst.cols() == 1)) {
            throw error("uploadLabels", "labels tensor must be n x 1, got %s", dst);
        }
        if (from < 0 || (long) from + dst.rows() > rowIndex.length) {
            throw error("uploadLabels", "%s row indices from %s exceed %s", dst.rows(), from, rowIndex.length);
        }
        for (int r = 0; r < dst.rows(); r++) {
            int i = rowIndex[from + r];
            if (i < 0 || i >= labels.length) {
                throw new IllegalArgumentException("uploadLabels: row index " + i + " outside [0, " + labels.length
                        + ")");
            }
        }
    }

    public static void download(Tensor src, float[] dst, int dstOffset) {
        given("download", "src", src);
        given("download", "dst", dst);
        if (dstOffset < 0 || (long) dstOffset + src.size() > dst.length) {
            throw new IllegalArgumentException("download: " + src.size() + " floats at offset " + dstOffset
                    + " exceed a destination of " + dst.length);
        }
    }

    public static void fill(Tensor t) {
        given("fill", "t", t);
    }

    public static void copy(Tensor s, Tensor d) {
        given("copy", "src", s);
        given("copy", "dst", d);
        if (!(s.size() == d.size())) {
            throw error("copy", "sizes differ: %s vs %s", s, d);
        }
    }

    public static void copyColumns(Tensor s, Tensor d, int col) {
        given("copyColumns", "src", s);
        given("copyColumns", "dst", d);
        if (!(s.rows() == d.rows() && col >= 0 && col + s.cols() <= d.cols())) {
            throw error("copyColumns", "%s does not fit into %s at column " + col, s, d);
        }
    }

    public static void addColumns(Tensor s, int col, Tensor d) {
        given("addColumns", "src", s);
        given("addColumns", "dst", d);
        if (!(s.rows() == d.rows() && col >= 0 && col + d.cols() <= s.cols())) {
            throw error("addColumns", "columns of %s at " + col + " do not match %s", s, d);
        }
    }

    public static void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv,
                                    Tensor rowScale) {
        given("denseForward", "x", x);
        given("denseForward", "w", w);
        given("denseForward", "b", b);
        given("denseForward", "epilogue", epilogue);
        given("denseForward", "out", out);
        int n = x.rows();
        int outDim = w.cols();
        if (!(w.rows() == x.cols() && b.size() == outDim && out.rows() == n && out.cols() == outDim)) {
            throw error("denseForward", "x %s, w %s, b %s, out %s", x, w, b, out);
        }
        if (!(deriv == null || (deriv.rows() == n && deriv.cols() == outDim))) {
            throw error("denseForward", "deriv %s for out %s", deriv, out);
        }
        if (!(rowScale == null || rowScale.size() == n)) {
            throw error("denseForward", "rowScale %s for %s rows", rowScale, out);
        }
        if (!(epilogue.topK() <= outDim)) {
            throw error("denseForward", "top-k of %s exceeds the %s outputs", epilogue.topK(), outDim);
        }
    }

    public static void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        given("keepTopKPerColumn", "out", out);
        given("keepTopKPerColumn", "deriv", deriv);
        if (!(same(out, deriv) && k >= 1)) {
            throw error("keepTopKPerColumn", "out %s, deriv %s, k %s", out, deriv, k);
        }
    }

    public static void epilogueBackward(Tensor g, Tensor o, Tensor d, Tensor s, Epilogue epilogue, Tensor z) {
        given("epilogueBackward", "dOut", g);
        given("epilogueBackward", "out", o);
        given("epilogueBackward", "deriv", d);
        given("epilogueBackward", "epilogue", epilogue);
        given("epilogueBackward", "dz", z);
        if (!(same(g, o) && same(g, d) && same(g, z))) {
            throw error("epilogueBackward", "dOut %s, out %s, deriv %s, dz %s", g, o, d, z);
        }
        if (!(!epilogue.layerNorm() || (s != null && s.size() == g.rows()))) {
            throw error("epilogueBackward", "layer norm needs rowScale of %s rows, got %s", g.rows(), s);
        }
    }

    public static void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        given("denseBackward", "x", x);
        given("denseBackward", "w", w);
        given("denseBackward", "dz", dz);
        given("denseBackward", "dw", dw);
        given("denseBackward", "db", db);
        int n = x.rows();
        int outDim = w.cols();
        if (!(w.rows() == x.cols() && dz.rows() == n && dz.cols() == outDim && same(w, dw) && db.size() == outDim)) {
            throw error("denseBackward", "x %s, w %s, dz %s, dw %s, db %s", x, w, dz, dw, db);
        }
        if (!(dx == null || same(dx, x))) {
            throw error("denseBackward", "dx %s for x %s", dx, x);
        }
    }

    public static void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out,
                                     Tensor deriv) {
        given("conv2dForward", "x", x);
        given("conv2dForward", "shape", s);
        given("conv2dForward", "w", w);
        given("conv2dForward", "b", b);
        given("conv2dForward", "act", act);
        given("conv2dForward", "out", out);
        if (s == null || act == null) {
            throw error("conv2dForward", "shape %s, activation %s", s, act);
        }
        if (!(x.cols() == s.inSize() && w.rows() == s.outChannels() && w.cols() == s.patch()
                && b.size() == s.outChannels() && out.rows() == x.rows() && out.cols() == s.outSize())) {
            throw error("conv2dForward", "x %s, w %s, b %s, out %s for %s", x, w, b, out, s);
        }
        if (!(deriv == null || same(deriv, out))) {
            throw error("conv2dForward", "deriv %s for out %s", deriv, out);
        }
    }

    public static void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        given("conv2dBackward", "x", x);
        given("conv2dBackward", "shape", s);
        given("conv2dBackward", "w", w);
        given("conv2dBackward", "dz", dz);
        given("conv2dBackward", "dw", dw);
        given("conv2dBackward", "db", db);
        if (s == null) {
            throw error("conv2dBackward", "shape is null");
        }
        if (!(x.cols() == s.inSize() && w.rows() == s.outChannels() && w.cols() == s.patch() && same(w, dw)
                && db.size() == s.outChannels() && dz.rows() == x.rows() && dz.cols() == s.outSize())) {
            throw error("conv2dBackward", "x %s, w %s, dz %s, dw %s, db %s for %s", x, w, dz, dw, db, s);
        }
        if (!(dx == null || same(dx, x))) {
            throw error("conv2dBackward", "dx %s for x %s", dx, x);
        }
    }

    public static void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out,
                                        Tensor argmax) {
        given("maxPool2dForward", "x", x);
        given("maxPool2dForward", "out", out);
        given("maxPool2dForward", "argmax", argmax);
        String op = "maxPool2dForward";
        image(op, x, channels, height, width);
        if (!(size >= 1 && height % size == 0 && width % size == 0)) {
            throw error(op, "window %s does not divide a %sx%s image", size, height, width);
        }
        if (!(x.cols() <= MAX_POOL_MAX_ROW)) {
            throw error(op, "rows of %s floats exceed 2^24 (arg-max indices are floats)", x.cols());
        }
        long outCols = (long) channels * (height / size) * (width / size);
        if (!(out.rows() == x.rows() && out.cols() == outCols && same(out, argmax))) {
            throw error(op, "x %s, out %s, argmax %s for %sx%sx%s and window %s", x, out, argmax, channels, height,
                    width, size);
        }
    }

    public static void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx) {
        given("maxPool2dBackward", "dOut", dOut);
        given("maxPool2dBackward", "argmax", argmax);
        given("maxPool2dBackward", "dx", dx);
        if (!(same(dOut, argmax) && dx.rows() == dOut.rows() && dx.cols() >= dOut.cols()
                && dx.cols() <= MAX_POOL_MAX_ROW)) {
            throw error("maxPool2dBackward", "dOut %s, argmax %s, dx %s", dOut, argmax, dx);
        }
    }

    public static void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out) {
        given("upsample2dForward", "x", x);
        given("upsample2dForward", "out", out);
        upsample("upsample2dForward", x, channels, height, width, factor, out);
    }

    public static void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx) {
        given("upsample2dBackward", "dOut", dOut);
        given("upsample2dBackward", "dx", dx);
        upsample("upsample2dBackward", dx, channels, height, width, factor, dOut);
    }

    /** {@code small} holds channels x height x width images, {@code large} the same upsampled by factor. */
    private static void upsample(String op, Tensor small, int channels, int height, int width, int factor,
                                 Tensor large) {
        image(op, small, channels, height, width);
        if (!(factor >= 1)) {
            throw error(op, "factor %s must be >= 1", factor);
        }
        long largeCols = (long) small.cols() * factor * factor;
        if (!(large.rows() == small.rows() && large.cols() == largeCols)) {
            throw error(op, "%s and %s do not match %sx%sx%s upsampled by %s", small, large, channels, height, width,
                    factor);
        }
    }

    /** The rows of {@code x} hold channels x height x width images. */
    private static void image(String op, Tensor x, int channels, int height, int width) {
        if (!(channels >= 1 && height >= 1 && width >= 1 && (long) channels * height * width == x.cols())) {
            throw error(op, "%s does not hold %sx%sx%s images", x, channels, height, width);
        }
    }

    public static void mseLoss(Tensor o, Tensor t, Tensor d, Tensor z, Tensor acc, int slot) {
        given("mseLoss", "out", o);
        given("mseLoss", "target", t);
        given("mseLoss", "deriv", d);
        given("mseLoss", "dz", z);
        given("mseLoss", "acc", acc);
        if (!(same(o, t) && same(o, d) && same(o, z))) {
            throw error("mseLoss", "out %s, target %s, deriv %s, dz %s", o, t, d, z);
        }
        slot(acc, slot, "mseLoss");
    }

    public static void softmaxCrossEntropy(Tensor z, Tensor y, Tensor g, Tensor acc, int slot) {
        given("softmaxCrossEntropy", "logits", z);
        given("softmaxCrossEntropy", "labels", y);
        given("softmaxCrossEntropy", "dLogits", g);
        given("softmaxCrossEntropy", "acc", acc);
        if (!(y.size() == z.rows() && same(z, g))) {
            throw error("softmaxCrossEntropy", "logits %s, labels %s, dLogits %s", z, y, g);
        }
        slot(acc, slot, "softmaxCrossEntropy");
        slot(acc, slot + 1, "softmaxCrossEntropy");
    }

    public static void countCorrect(Tensor z, Tensor y, Tensor acc, int slot) {
        given("countCorrect", "logits", z);
        given("countCorrect", "labels", y);
        given("countCorrect", "acc", acc);
        if (!(y.size() == z.rows())) {
            throw error("countCorrect", "logits %s, labels %s", z, y);
        }
        slot(acc, slot, "countCorrect");
    }

    public static void argmaxRows(Tensor z, Tensor o) {
        given("argmaxRows", "logits", z);
        given("argmaxRows", "out", o);
        if (!(o.size() == z.rows())) {
            throw error("argmaxRows", "logits %s, out %s", z, o);
        }
    }

    public static void l1Penalty(Tensor a, Tensor g, Tensor acc, int slot) {
        given("l1Penalty", "a", a);
        given("l1Penalty", "grad", g);
        given("l1Penalty", "acc", acc);
        if (!(same(a, g))) {
            throw error("l1Penalty", "a %s, grad %s", a, g);
        }
        slot(acc, slot, "l1Penalty");
    }

    public static void overlayLabels(Tensor x, Tensor labels, int classes, Tensor out) {
        given("overlayLabels", "x", x);
        given("overlayLabels", "out", out);
        if (!(same(x, out) && classes >= 1 && classes <= x.cols() && (labels == null || labels.size() == x.rows()))) {
            throw error("overlayLabels", "x %s, labels %s, classes %s, out %s", x, labels, classes, out);
        }
    }

    public static void wrongLabels(Tensor labels, int classes, Tensor out) {
        given("wrongLabels", "labels", labels);
        given("wrongLabels", "out", out);
        if (!(labels.cols() == 1 && same(labels, out) && classes >= 2)) {
            throw error("wrongLabels", "labels %s, classes %s, out %s", labels, classes, out);
        }
    }

    public static void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, Tensor out) {
        given("sampleWrongLabels", "scores", scores);
        given("sampleWrongLabels", "labels", labels);
        given("sampleWrongLabels", "out", out);
        if (!(labels.cols() == 1 && same(labels, out) && scores.rows() == labels.rows() && scores.cols() >= 2
                && Float.isFinite(temperature) && temperature >= 0f)) {
            throw error("sampleWrongLabels", "scores %s (n x classes, classes >= 2), labels %s, out %s, "
                    + "temperature %s (finite, >= 0)", scores, labels, out, temperature);
        }
    }

    public static void normalizeRows(Tensor x, Tensor out) {
        given("normalizeRows", "x", x);
        given("normalizeRows", "out", out);
        if (!same(x, out)) {
            throw error("normalizeRows", "x %s, out %s", x, out);
        }
    }

    public static void goodnessLoss(Tensor h, float scale, Tensor dh, Tensor acc, int slot) {
        given("goodnessLoss", "h", h);
        given("goodnessLoss", "dh", dh);
        given("goodnessLoss", "acc", acc);
        if (!(same(h, dh) && Float.isFinite(scale) && scale != 0f)) {
            throw error("goodnessLoss", "h %s, dh %s, scale %s (expected finite and non-zero: > 0 for positive "
                    + "data, < 0 for negative data)", h, dh, scale);
        }
        slot(acc, slot, "goodnessLoss");
    }

    public static void addGoodness(Tensor h, Tensor scores, int col) {
        given("addGoodness", "h", h);
        given("addGoodness", "scores", scores);
        if (!(scores.rows() == h.rows() && col >= 0 && col < scores.cols())) {
            throw error("addGoodness", "h %s, scores %s, column %s", h, scores, col);
        }
    }

    public static void mulMask(Tensor x, Tensor mask, Tensor out) {
        given("mulMask", "x", x);
        given("mulMask", "mask", mask);
        given("mulMask", "out", out);
        if (!(same(x, mask) && same(x, out))) {
            throw error("mulMask", "x %s, mask %s, out %s", x, mask, out);
        }
    }

    public static void randn(Tensor out, float mean, float std) {
        given("randn", "out", out);
        if (!(Float.isFinite(mean) && Float.isFinite(std) && std >= 0f)) {
            throw error("randn", "mean %s and std %s (expected finite, std >= 0)", mean, std);
        }
    }

    public static void corrupt(Tensor x, Noise noise, Tensor o) {
        given("corrupt", "x", x);
        given("corrupt", "noise", noise);
        given("corrupt", "out", o);
        if (!(same(x, o))) {
            throw error("corrupt", "x %s, out %s", x, o);
        }
    }

    public static void adamW(AdamW hyper, float lrScale, int step, Tensor p, Tensor g, Tensor m, Tensor v,
                             int decayCount) {
        given("adamW", "hyper", hyper);
        given("adamW", "params", p);
        given("adamW", "grads", g);
        given("adamW", "m", m);
        given("adamW", "v", v);
        if (!(p.size() == g.size() && p.size() == m.size() && p.size() == v.size())) {
            throw error("adamW", "params %s, grads %s, m %s, v %s", p, g, m, v);
        }
        if (!(step >= 1 && decayCount >= 0 && decayCount <= p.size() && lrScale >= 0f)) {
            throw error("adamW", "step %s, decayCount %s", step, decayCount);
        }
    }

    public static void slot(Tensor acc, int slot, String op) {
        if (!(slot >= 0 && slot < acc.size())) {
            throw error(op, "accumulator slot %s outside %s", slot, acc);
        }
    }

    /** The element count of a new tensor, or an error for shapes no backend can hold. */
    public static int allocation(int rows, int cols) {
        long n = (long) rows * cols;
        if (rows < 1 || cols < 1 || n > MAX_TENSOR_FLOATS) {
            throw new IllegalArgumentException("cannot allocate a " + rows + "x" + cols + " tensor");
        }
        return (int) n;
    }

    /** A tensor's own shape: at least 1 x 1. */
    public static void tensor(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("tensor shape must be at least 1x1, got " + rows + "x" + cols);
        }
    }

    /** Rows [first, first + count) must lie inside {@code t}. */
    public static void rowRange(Tensor t, int first, int count) {
        if (first < 0 || count < 1 || (long) first + count > t.rows()) {
            throw new IllegalArgumentException("rows " + first + " to " + ((long) first + count) + " of a " + t.rows()
                    + "x" + t.cols() + " tensor");
        }
    }

    /** A view of {@code rows x cols} elements at {@code offset} must lie inside {@code parent}. */
    public static void view(Tensor parent, int offset, int rows, int cols) {
        if (offset < 0 || (long) offset + (long) rows * cols > parent.size()) {
            throw new IllegalArgumentException("view " + rows + "x" + cols + " at offset " + offset
                    + " does not fit a " + parent.rows() + "x" + parent.cols() + " tensor");
        }
    }
}
