package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.support.RowViews;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;

import java.io.Serial;
import java.util.Locale;
import java.util.Objects;

/**
 * What a model will allocate, found before anything is: the model is built once on a backend that only counts (every
 * tensor's floats; no memory, no arithmetic) and the total is held against what the real backend has free. A model
 * that cannot fit then fails at once with its size, before data is loaded or weights are drawn, instead of running
 * out of memory part way. Counting stops as soon as the total passes the budget, so even an absurd model is
 * rejected in a moment; its size is then reported as "at least".
 */
public final class MemoryPlan {
    private MemoryPlan() {
    }

    /** A model too large for the memory its backend has free. */
    public static final class TooLarge extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;
        /** What the model needs, in bytes; a lower bound when counting stopped at the budget. */
        private final long neededBytes;
        /** What the backend had for it, in bytes, as the caller gave it. */
        private final long availableBytes;

        TooLarge(String message, long neededBytes, long availableBytes) {
            super(message);
            this.neededBytes = neededBytes;
            this.availableBytes = availableBytes;
        }

        /**
         * What the model needs, or at least needs when counting stopped at the budget.
         *
         * @return bytes, more than {@link #availableBytes}
         */
        public long neededBytes() {
            return neededBytes;
        }

        /**
         * The memory the model was checked against: {@code availableBytes} of {@link MemoryPlan#check}.
         *
         * @return bytes, as passed (possibly negative)
         */
        public long availableBytes() {
            return availableBytes;
        }
    }

    /**
     * Bytes of every tensor the model of {@code spec} allocates: parameters, gradients, AdamW moments, buffers.
     * Builds the model on a counting backend, so it allocates nothing but costs a model's construction on the host
     * (the random draws of its initial weights included).
     *
     * @param spec the model
     * @return 4 bytes per float of every tensor, views not counted
     * @throws IllegalArgumentException if the spec cannot be built, e.g. a part is more than one tensor can hold
     */
    public static long bytes(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Counting counting = new Counting(Long.MAX_VALUE);
        Models.create(counting, spec);
        return 4 * counting.floats;
    }

    /**
     * Checks that the model of {@code spec} fits in {@code availableBytes}.
     *
     * @param spec           the model
     * @param availableBytes the memory it may take, in bytes (a negative value counts as 0)
     * @param where          what the bytes are, for the message, where it follows the size (e.g. "are free on
     *                       the GPU")
     * @param advice         what to do about it, for the message (e.g. "give the JVM more with
     *                       UFF4J_JAVA_OPTS=-Xmx8g")
     * @throws TooLarge                 when it does not fit, with both sizes in the message
     * @throws IllegalArgumentException when a part of it is more than one tensor can hold
     */
    public static void check(ModelSpec spec, long availableBytes, String where, String advice) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(advice, "advice");
        Counting counting = new Counting(Math.max(0, availableBytes) / 4);
        try {
            Models.create(counting, spec);
        } catch (Counting.Exceeded e) {
            long needed = 4 * counting.floats;
            throw new TooLarge(String.format(Locale.ROOT, "the %s model needs at least %s for its parameters, their "
                    + "gradients and optimizer moments and the buffers of a batch of %d, but %s %s; %s, or make it "
                    + "smaller (--hidden, --cells, --batch)", spec.kind().id(), gib(needed),
                    spec.optimization().batch(), gib(availableBytes), where, advice), needed, availableBytes);
        }
    }

    /**
     * Bytes as GiB with two decimals (MiB below one GiB).
     *
     * @param bytes the amount
     * @return e.g. {@code 1.50 GiB}, or {@code 512.0 MiB} (one decimal) below 1 GiB
     */
    public static String gib(long bytes) {
        return bytes < 1L << 30 ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    /**
     * A backend that allocates nothing and computes nothing: it counts the floats of the tensors asked for, and
     * stops the build ({@link Exceeded}) once they pass its budget.
     */
    private static final class Counting implements Backend {
        private final long budgetFloats;
        private long floats;

        /** Thrown, and caught by {@link #check}, once the count passes the budget. */
        private static final class Exceeded extends RuntimeException {
            @Serial
            private static final long serialVersionUID = 1L;

            Exceeded() {
                super(null, null, false, false);
            }
        }

        Counting(long budgetFloats) {
            this.budgetFloats = budgetFloats;
        }

        @Override
        public Tensor zeros(int rows, int cols) {
            floats += Shapes.allocation(rows, cols);
            if (floats > budgetFloats) {
                throw new Exceeded();
            }
            return new Shape(rows, cols);
        }

        /** The plan counts what a model holds at its largest: nothing is freed while a model is built. */
        @Override
        public void free(Tensor t) {
        }

        /** A tensor that is only a shape. */
        private static final class Shape implements Tensor {
            private final int rows;
            private final int cols;
            private RowViews rowViews;

            Shape(int rows, int cols) {
                Shapes.tensor(rows, cols);
                this.rows = rows;
                this.cols = cols;
            }

            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public Tensor view(int offset, int viewRows, int viewCols) {
                Shapes.view(this, offset, viewRows, viewCols);
                return new Shape(viewRows, viewCols);
            }

            @Override
            public Tensor rowRange(int first, int count) {
                if (rowViews == null) {
                    rowViews = new RowViews();
                }
                return rowViews.get(this, first, count);
            }
        }

        @Override
        public String name() {
            return "count";
        }

        @Override
        public String description() {
            return "count: sizes tensors, allocates nothing";
        }

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public long freeMemory() {
            return 4 * (budgetFloats - floats);
        }

        // Every op does nothing: a model's constructor only allocates, fills and uploads.

        @Override
        public void upload(float[] src, int srcOffset, Tensor dst) {
        }

        @Override
        public void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        }

        @Override
        public void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        }

        @Override
        public void download(Tensor src, float[] dst, int dstOffset) {
        }

        @Override
        public void fill(Tensor t, float value) {
        }

        @Override
        public void copy(Tensor src, Tensor dst) {
        }

        @Override
        public void copyColumns(Tensor src, Tensor dst, int col) {
        }

        @Override
        public void addColumns(Tensor src, int col, Tensor dst) {
        }

        @Override
        public void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv,
                                 Tensor rowScale) {
        }

        @Override
        public void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        }

        @Override
        public void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue,
                                     Tensor dz) {
        }

        @Override
        public void mulMask(Tensor x, Tensor mask, Tensor out) {
        }

        @Override
        public void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        }

        @Override
        public void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out,
                                  Tensor deriv) {
        }

        @Override
        public void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        }

        @Override
        public void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out,
                                     Tensor argmax) {
        }

        @Override
        public void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx) {
        }

        @Override
        public void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out) {
        }

        @Override
        public void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx) {
        }

        @Override
        public void mseLoss(Tensor out, Tensor target, Tensor deriv, Tensor dz, Tensor acc, int slot) {
        }

        @Override
        public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot) {
        }

        @Override
        public void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot) {
        }

        @Override
        public void argmaxRows(Tensor logits, Tensor out) {
        }

        @Override
        public void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot) {
        }

        @Override
        public void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out) {
        }

        @Override
        public void wrongLabels(Tensor labels, int classes, long seed, long stream, Tensor out) {
        }

        @Override
        public void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long stream,
                                      Tensor out) {
        }

        @Override
        public void normalizeRows(Tensor x, Tensor out) {
        }

        @Override
        public void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot) {
        }

        @Override
        public void addGoodness(Tensor h, Tensor scores, int col) {
        }

        @Override
        public void corrupt(Tensor x, Noise noise, long seed, long stream, Tensor out) {
        }

        @Override
        public void randn(Tensor out, float mean, float std, long seed, long stream) {
        }

        @Override
        public void adamW(AdamW hyper, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v,
                          int decayCount) {
        }

        @Override
        public void close() {
        }
    }
}
