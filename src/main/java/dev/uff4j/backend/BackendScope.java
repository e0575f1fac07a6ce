package dev.uff4j.backend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A backend seen through an owner: every op goes to the parent backend unchanged, and every tensor made through
 * the scope is remembered so that {@link #close} frees them all at once while the parent stays open. A model is
 * built on a scope of its own, so closing the model returns its memory (device memory on a GPU) without closing
 * the backend that other models share.
 *
 * <p>Like the backend it wraps, a scope is driven by one thread at a time.
 */
public final class BackendScope implements Backend {
    private final Backend parent;
    /** The tensors made here and not yet freed, in allocation order (identity: tensors do not define equals). */
    private final Map<Tensor, Boolean> owned = new IdentityHashMap<>();
    private final List<Tensor> order = new ArrayList<>();
    private boolean closed;

    /**
     * A scope over {@code parent}.
     *
     * @param parent the backend that computes and allocates
     */
    public BackendScope(Backend parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /**
     * The backend this scope forwards to.
     *
     * @return the parent backend
     */
    public Backend parent() {
        return parent;
    }

    /**
     * Bytes of the tensors made through this scope and not yet freed.
     *
     * @return the bytes this scope owns
     */
    public long ownedBytes() {
        long bytes = 0;
        for (Tensor t : order) {
            bytes += 4L * t.size();
        }
        return bytes;
    }

    @Override
    public String name() {
        return parent.name();
    }

    @Override
    public String description() {
        return parent.description();
    }

    /**
     * {@inheritDoc} The scope remembers the tensor and frees it when it closes.
     *
     * @throws IllegalStateException if this scope is closed
     */
    @Override
    public Tensor zeros(int rows, int cols) {
        if (closed) {
            throw new IllegalStateException("this backend scope is closed: its model was closed");
        }
        Tensor t = parent.zeros(rows, cols);
        owned.put(t, Boolean.TRUE);
        order.add(t);
        return t;
    }

    @Override
    public void free(Tensor t) {
        if (owned.remove(t) != null) {
            order.remove(t);
        }
        parent.free(t);
    }

    /** Frees every tensor made through this scope, newest first; the parent backend stays open. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (int i = order.size() - 1; i >= 0; i--) {
            try {
                parent.free(order.get(i));
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        order.clear();
        owned.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public int threads() {
        return parent.threads();
    }

    @Override
    public long freeMemory() {
        return parent.freeMemory();
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        parent.upload(src, srcOffset, dst);
    }

    @Override
    public void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        parent.uploadRows(src, rowIndex, from, dst);
    }

    @Override
    public void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        parent.uploadLabels(labels, rowIndex, from, dst);
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        parent.download(src, dst, dstOffset);
    }

    @Override
    public void fill(Tensor t, float value) {
        parent.fill(t, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        parent.copy(src, dst);
    }

    @Override
    public void copyColumns(Tensor src, Tensor dst, int col) {
        parent.copyColumns(src, dst, col);
    }

    @Override
    public void addColumns(Tensor src, int col, Tensor dst) {
        parent.addColumns(src, col, dst);
    }

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv, Tensor rowScale) {
        parent.denseForward(x, w, b, epilogue, out, deriv, rowScale);
    }

    @Override
    public void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        parent.keepTopKPerColumn(out, deriv, k);
    }

    @Override
    public void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue, Tensor dz) {
        parent.epilogueBackward(dOut, out, deriv, rowScale, epilogue, dz);
    }

    @Override
    public void mulMask(Tensor x, Tensor mask, Tensor out) {
        parent.mulMask(x, mask, out);
    }

    @Override
    public void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        parent.denseBackward(x, w, dz, dw, db, dx);
    }

    @Override
    public void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out, Tensor deriv) {
        parent.conv2dForward(x, s, w, b, act, out, deriv);
    }

    @Override
    public void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        parent.conv2dBackward(x, s, w, dz, dw, db, dx);
    }

    @Override
    public void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out, Tensor argmax) {
        parent.maxPool2dForward(x, channels, height, width, size, out, argmax);
    }

    @Override
    public void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx) {
        parent.maxPool2dBackward(dOut, argmax, dx);
    }

    @Override
    public void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out) {
        parent.upsample2dForward(x, channels, height, width, factor, out);
    }

    @Override
    public void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx) {
        parent.upsample2dBackward(dOut, channels, height, width, factor, dx);
    }

    @Override
    public void mseLoss(Tensor out, Tensor target, Tensor deriv, Tensor dz, Tensor acc, int slot) {
        parent.mseLoss(out, target, deriv, dz, acc, slot);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot) {
        parent.softmaxCrossEntropy(logits, labels, dLogits, acc, slot);
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot) {
        parent.countCorrect(logits, labels, acc, slot);
    }

    @Override
    public void argmaxRows(Tensor logits, Tensor out) {
        parent.argmaxRows(logits, out);
    }

    @Override
    public void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot) {
        parent.l1Penalty(a, lambda, grad, acc, slot);
    }

    @Override
    public void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out) {
        parent.overlayLabels(x, labels, classes, value, out);
    }

    @Override
    public void wrongLabels(Tensor labels, int classes, long seed, long stream, Tensor out) {
        parent.wrongLabels(labels, classes, seed, stream, out);
    }

    @Override
    public void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long stream, Tensor out) {
        parent.sampleWrongLabels(scores, labels, temperature, seed, stream, out);
    }

    @Override
    public void normalizeRows(Tensor x, Tensor out) {
        parent.normalizeRows(x, out);
    }

    @Override
    public void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot) {
        parent.goodnessLoss(h, scale, threshold, dh, acc, slot);
    }

    @Override
    public void addGoodness(Tensor h, Tensor scores, int col) {
        parent.addGoodness(h, scores, col);
    }

    @Override
    public void corrupt(Tensor x, Noise noise, long seed, long stream, Tensor out) {
        parent.corrupt(x, noise, seed, stream, out);
    }

    @Override
    public void randn(Tensor out, float mean, float std, long seed, long stream) {
        parent.randn(out, mean, std, seed, stream);
    }

    @Override
    public void adamW(AdamW hyper, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v, int decayCount) {
        parent.adamW(hyper, lrScale, step, params, grads, m, v, decayCount);
    }

    @Override
    public void synchronize() {
        parent.synchronize();
    }
}
