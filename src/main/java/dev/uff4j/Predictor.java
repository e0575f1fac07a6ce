package dev.uff4j;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;

import java.util.Objects;

/**
 * Inference with a trained model on plain Java arrays: the features its cells compute (to feed another learner),
 * its class probabilities and its predicted classes. Any number of rows may be passed; they are split into batches
 * of the model's batch size inside, and every result is a fresh array that later calls do not touch.
 *
 * <pre>{@code
 * try (Predictor predictor = Uff4j.load(Path.of("model.uff"))) {
 *     int digit = predictor.predict(image);              // image: 784 floats in [0, 1]
 *     float[][] latents = predictor.features(images);    // one row of featureSize() floats per image
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A predictor is thread-safe: calls from several threads are serialized on the predictor (the
 * model reuses its buffers on every call, so two calls cannot overlap). For inference in parallel, open one
 * predictor per thread; each holds its own copy of the model.
 *
 * <p>Close a predictor to free its model and, when it opened one, its backend (device memory on a GPU).
 */
public final class Predictor implements AutoCloseable {
    private final Backend backend;
    private final boolean ownsBackend;
    private final Model model;
    private final boolean ownsModel;
    private final ModelSpec spec;
    private final BackendScope buffers;
    private final Tensor x;
    private final float[] in;
    private final float[] out;
    private boolean closed;

    private Predictor(Backend backend, boolean ownsBackend, Model model, boolean ownsModel) {
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.model = model;
        this.ownsModel = ownsModel;
        this.spec = model.spec();
        int batch = spec.optimization().batch();
        this.buffers = new BackendScope(backend);
        this.x = buffers.zeros(batch, spec.inputSize());
        this.in = new float[batch * spec.inputSize()];
        this.out = new float[batch * Math.max(model.featureSize(), spec.classes())];
    }

    /**
     * A predictor that owns {@code model} and {@code backend}: closing it closes both.
     *
     * @param backend the backend the model lives on
     * @param model   a model loaded for this predictor
     * @return the predictor
     */
    static Predictor owning(Backend backend, Model model) {
        return new Predictor(backend, true, model, true);
    }

    /**
     * A predictor over a model trained in this process; closing the predictor frees its own buffers only, and the
     * model and backend stay open (the caller closes them).
     *
     * @param backend the backend the model was created on
     * @param model   the trained model
     * @return the predictor
     */
    public static Predictor of(Backend backend, Model model) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        return new Predictor(backend, false, model, false);
    }

    /**
     * The model's specification (kind, sizes, hyper-parameters).
     *
     * @return the spec
     */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * Values each input row must have.
     *
     * @return the model's input size, e.g. 784 for MNIST
     */
    public int inputSize() {
        return spec.inputSize();
    }

    /**
     * Values of each row {@link #features} returns: what the model's classifier head reads (the cells' latents).
     *
     * @return the feature size
     */
    public int featureSize() {
        return model.featureSize();
    }

    /**
     * The number of classes the model tells apart.
     *
     * @return the class count
     */
    public int classes() {
        return spec.classes();
    }

    /**
     * The features of each row: the concatenated (or last) latents of the cells, what the model's head reads.
     *
     * @param rows any number of rows of {@link #inputSize()} values
     * @return one array of {@link #featureSize()} values per row
     * @throws IllegalArgumentException if a row has the wrong length
     */
    public synchronized float[][] features(float[][] rows) {
        return run(rows, false);
    }

    /**
     * The features of one row.
     *
     * @param row {@link #inputSize()} values
     * @return {@link #featureSize()} values
     */
    public float[] features(float[] row) {
        return features(new float[][] {row})[0];
    }

    /**
     * Class probabilities of each row: the softmax of the model's class scores.
     *
     * @param rows any number of rows of {@link #inputSize()} values
     * @return one array of {@link #classes()} probabilities (summing to 1) per row
     */
    public synchronized float[][] probabilities(float[][] rows) {
        float[][] scores = run(rows, true);
        for (float[] s : scores) {
            softmax(s);
        }
        return scores;
    }

    /**
     * Class probabilities of one row.
     *
     * @param row {@link #inputSize()} values
     * @return {@link #classes()} probabilities summing to 1
     */
    public float[] probabilities(float[] row) {
        return probabilities(new float[][] {row})[0];
    }

    /**
     * The most likely class of each row (the first, on a tie).
     *
     * @param rows any number of rows of {@link #inputSize()} values
     * @return one class index per row, in {@code [0, classes())}
     */
    public synchronized int[] predict(float[][] rows) {
        float[][] scores = run(rows, true);
        int[] classes = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            classes[i] = argmax(scores[i]);
        }
        return classes;
    }

    /**
     * The most likely class of one row.
     *
     * @param row {@link #inputSize()} values
     * @return a class index in {@code [0, classes())}
     */
    public int predict(float[] row) {
        return predict(new float[][] {row})[0];
    }

    /** Frees the predictor's buffers, and the model and backend when it loaded them. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            buffers.close();
            if (ownsModel) {
                model.close();
            }
        } finally {
            if (ownsBackend) {
                backend.close();
            }
        }
    }

    /** Class scores ({@code logits}) or features of every row, a batch at a time. Callers hold the lock. */
    private float[][] run(float[][] rows, boolean logits) {
        Objects.requireNonNull(rows, "rows");
        if (closed) {
            throw new IllegalStateException("this predictor is closed");
        }
        int size = spec.inputSize();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new NullPointerException("rows[" + i + "] is null");
            }
            if (rows[i].length != size) {
                throw new IllegalArgumentException("rows[" + i + "] has " + rows[i].length + " values; the model takes "
                        + size);
            }
        }
        int width = logits ? spec.classes() : model.featureSize();
        float[][] result = new float[rows.length][];
        int batch = spec.optimization().batch();
        for (int from = 0; from < rows.length; from += batch) {
            int n = Math.min(batch, rows.length - from);
            for (int r = 0; r < n; r++) {
                System.arraycopy(rows[from + r], 0, in, r * size, size);
            }
            Tensor xb = x.firstRows(n);
            backend.upload(in, 0, xb);
            Tensor y = logits ? model.logits(xb) : model.features(xb);
            backend.download(y, out, 0);
            for (int r = 0; r < n; r++) {
                float[] row = new float[width];
                System.arraycopy(out, r * width, row, 0, width);
                result[from + r] = row;
            }
        }
        return result;
    }

    private static void softmax(float[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            e[i] = Math.exp(s[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (e[i] / sum);
        }
    }

    private static int argmax(float[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }
}
