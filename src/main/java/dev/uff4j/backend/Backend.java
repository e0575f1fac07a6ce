package dev.uff4j.backend;

/**
 * The seam between model code and arithmetic. A backend owns tensor memory and runs coarse, fused ops on it; model
 * code only sequences ops, never loops over elements, and reads memory back ({@link #download}) only to report or
 * save. Everything here is designed so that a GPU backend can keep all training state on the device:
 * <ul>
 *   <li>losses and correct-prediction counts are accumulated into a tensor ({@code acc[slot]}) and read back once
 *       per reporting interval, not per step;</li>
 *   <li>a dense layer is one call: GEMM plus bias, activation, sparsity and normalisation in its epilogue;</li>
 *   <li>a loss is one call that also writes the gradient of its input;</li>
 *   <li>an optimizer step is one call over all of a layer's (or a cell's) parameters held in one buffer.</li>
 * </ul>
 * Shapes are checked by each op; a mismatch is an {@link IllegalArgumentException} naming the op and the shapes,
 * and so is a tensor of another backend. A null tensor where none is documented as optional is a
 * {@link NullPointerException} naming the op and the argument.
 * Label tensors hold class indices as floats (exact below 2^24); a label outside [0, classes) is an
 * {@link IllegalArgumentException} too, which a GPU backend finds on the device and throws at the next
 * {@link #download} or {@link #synchronize} (at once in debug mode).
 */
public interface Backend extends AutoCloseable {

    /**
     * Short name used on the command line and in reports, e.g. {@code cpu}.
     *
     * @return {@code cpu} or {@code cuda} for the built-in backends
     */
    String name();

    /**
     * One line for {@code uff4j info}: the name and how it computes (threads, GEMM kernel).
     *
     * @return e.g. {@code cpu: pure Java, 8 threads, GEMM vector-256}
     */
    String description();

    /**
     * Worker threads used by the ops (1 for a GPU backend's host side).
     *
     * @return the thread count, at least 1
     */
    int threads();

    /**
     * Bytes this backend can still allocate for tensors: the free room of the JVM heap for the CPU backend (after a
     * garbage collection, so that garbage does not cloud the answer), the device's free memory for a GPU backend.
     * Asked before a model is built (see {@code MemoryPlan}), never per step.
     *
     * @return free bytes
     */
    long freeMemory();

    // ---------------------------------------------------------------- memory and transfers

    /**
     * A new zero-filled tensor, held until {@link #free} releases it or the backend closes.
     *
     * @param rows rows, at least 1
     * @param cols columns, at least 1
     * @return a {@code rows x cols} tensor of zeros
     * @throws IllegalArgumentException if a dimension is below 1 or the tensor would exceed
     *                                  {@code Integer.MAX_VALUE - 8} elements (one Java array)
     */
    Tensor zeros(int rows, int cols);

    /**
     * Releases a tensor made by {@link #zeros} now instead of when the backend closes: device memory goes back to
     * the GPU at once. Neither the tensor nor any view of it may be used afterwards. Models free their tensors when
     * they close (see {@link BackendScope}).
     *
     * @param t a tensor this backend's {@link #zeros} returned, not yet freed
     * @throws IllegalArgumentException if {@code t} is a view, belongs to another backend or was freed before
     */
    void free(Tensor t);

    /**
     * Copies {@code dst.size()} floats from {@code src[srcOffset..]} into {@code dst}. The array may be reused as
     * soon as the call returns.
     *
     * @param src       host floats, row-major
     * @param srcOffset index in {@code src} of the first float copied
     * @param dst       the tensor overwritten
     * @throws IllegalArgumentException if {@code src} holds fewer than {@code srcOffset + dst.size()} floats
     */
    void upload(float[] src, int srcOffset, Tensor dst);

    /**
     * Gathers rows of a host matrix into {@code dst}: row r of {@code dst} becomes row {@code rowIndex[from + r]} of
     * {@code src}, whose rows have {@code dst.cols()} floats. This is how shuffled mini-batches reach the backend.
     *
     * @param src      host matrix of whole samples, row after row
     * @param rowIndex row numbers into {@code src}, e.g. a shuffled order of the data set
     * @param from     the entry of {@code rowIndex} that gives row 0 of {@code dst}
     * @param dst      the batch overwritten: n samples of {@code dst.cols()} floats
     * @throws IllegalArgumentException if {@code rowIndex} has fewer than {@code from + dst.rows()} entries or one
     *                                  of them is not a row of {@code src}
     */
    void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst);

    /**
     * Gathers labels: {@code dst[r] = labels[rowIndex[from + r]]} as a float; {@code dst} is n x 1. The values are
     * not checked here but by the ops that read them.
     *
     * @param labels   class index of every sample
     * @param rowIndex sample numbers into {@code labels}, the same order as for {@link #uploadRows}
     * @param from     the entry of {@code rowIndex} that gives row 0 of {@code dst}
     * @param dst      the labels overwritten, n x 1
     * @throws IllegalArgumentException if {@code dst} is not n x 1, {@code rowIndex} has fewer than
     *                                  {@code from + n} entries or one of them is not an index into {@code labels}
     */
    void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst);

    /**
     * Copies {@code src} to {@code dst[dstOffset..]} on the host. For reporting and checkpoints only: a GPU backend
     * waits here for every op issued before, and reports any bad label found since (see the class comment).
     *
     * @param src       the tensor read, row-major
     * @param dst       host array that receives {@code src.size()} floats
     * @param dstOffset index in {@code dst} of the first float written
     * @throws IllegalArgumentException if {@code dst} holds fewer than {@code dstOffset + src.size()} floats
     */
    void download(Tensor src, float[] dst, int dstOffset);

    /**
     * Sets every element of {@code t} to {@code value}.
     *
     * @param t     the tensor overwritten
     * @param value the value of every element
     */
    void fill(Tensor t, float value);

    /**
     * Copies the elements of {@code src} into {@code dst} in row-major order; only the sizes must match, so this
     * also reshapes.
     *
     * @param src the tensor read
     * @param dst the tensor overwritten, of {@code src.size()} elements
     */
    void copy(Tensor src, Tensor dst);

    /**
     * {@code dst[:, col .. col+src.cols) = src}: concatenating latents side by side. The other columns of
     * {@code dst} keep their values.
     *
     * @param src n x k
     * @param dst n x m, with {@code col + k <= m}
     * @param col the first column of {@code dst} written, at least 0
     */
    void copyColumns(Tensor src, Tensor dst, int col);

    /**
     * {@code dst += src[:, col .. col+dst.cols)}: the backward of {@link #copyColumns}.
     *
     * @param src n x m
     * @param col the first column of {@code src} read, at least 0
     * @param dst n x k, with {@code col + k <= m}; added to
     */
    void addColumns(Tensor src, int col, Tensor dst);

    // ---------------------------------------------------------------- dense layers

    /**
     * {@code out = epilogue(x·w + b)} for x: n x in, w: in x out, b: 1 x out, out: n x out. When {@code deriv} is
     * not null it receives the derivative of the activation at each element, zero where top-k dropped the element;
     * when {@code rowScale} (n x 1) is not null and the epilogue normalises, it receives each row's 1/std.
     * Pass null for both in inference.
     *
     * @param x        input, n x in
     * @param w        weights, in x out
     * @param b        bias, {@code out} elements
     * @param epilogue what follows the product; its {@code topK} must not exceed {@code out}
     * @param out      result, n x out, overwritten
     * @param deriv    n x out, or null
     * @param rowScale n elements, or null
     */
    void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv, Tensor rowScale);

    /**
     * Lifetime sparsity (Makhzani and Frey's winner-take-all autoencoders): in each column of {@code out} keep the
     * {@code k} largest values over the rows of the batch (the lower row index wins a tie), zero the others and
     * their entries in {@code deriv}. Applied after a training {@link #denseForward}, it makes every unit win on a
     * few samples of each batch, so no unit dies.
     *
     * @param out   n x m activations, changed in place
     * @param deriv the activation derivatives of {@code out}, same shape, changed in place
     * @param k     values kept per column, at least 1; with {@code k >= n} nothing changes
     */
    void keepTopKPerColumn(Tensor out, Tensor deriv, int k);

    /**
     * Gradient of the pre-activation {@code dz} from the gradient of the epilogue's output {@code dOut}, using what
     * {@link #denseForward} stored ({@code out}, {@code deriv}, {@code rowScale}). {@code dz} may be {@code dOut}.
     *
     * @param dOut     gradient of the epilogue's output, n x m
     * @param out      the epilogue's output, n x m
     * @param deriv    the activation derivatives, n x m
     * @param rowScale the rows' 1/std, n elements; needed only when the epilogue normalises, else may be null
     * @param epilogue the epilogue of the forward pass
     * @param dz       receives the gradient of {@code x·w + b}, n x m
     */
    void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue, Tensor dz);

    /**
     * {@code out = x · mask}, element by element ({@code out} may be {@code x}): e.g. a gradient passed only where a
     * sparsity mask of 1s and 0s kept its value.
     *
     * @param x    n x m
     * @param mask n x m
     * @param out  n x m, overwritten
     */
    void mulMask(Tensor x, Tensor mask, Tensor out);

    /**
     * Parameter and input gradients of {@code z = x·w + b}: {@code dw = xᵀ·dz}, {@code db = Σ_rows dz} and, when
     * {@code dx} is not null, {@code dx = dz·wᵀ}. Gradients are overwritten, not accumulated.
     *
     * @param x  the forward's input, n x in
     * @param w  weights, in x out
     * @param dz gradient of z, n x out
     * @param dw receives the weight gradient, in x out
     * @param db receives the bias gradient, {@code out} elements
     * @param dx receives the input gradient, n x in; null when the input needs no gradient, e.g. a cell's input
     */
    void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx);

    // ---------------------------------------------------------------- convolutional layers

    /**
     * {@code out = act(conv(x, w) + b)}: a 2-D convolution of the images in the rows of {@code x} (n x
     * {@code s.inSize()}, channel-major, see {@link ConvShape}) with zero padding. {@code w} is
     * {@code s.outChannels() x s.patch()}, the weight of output channel o, input channel c and tap (i, j) at
     * {@code w[o][c·k·k + i·k + j]}; {@code b} holds one bias per output channel (size {@code s.outChannels()});
     * {@code out} is n x {@code s.outSize()}. When {@code deriv} (the shape of {@code out}) is not null it receives
     * the derivative of the activation at each element, as in {@link #denseForward}; its backward is
     * {@link #epilogueBackward} with {@code Epilogue.of(act)}.
     *
     * @param x     input images, n x {@code s.inSize()}
     * @param s     the convolution's geometry
     * @param w     weights, {@code s.outChannels() x s.patch()}
     * @param b     bias, {@code s.outChannels()} elements
     * @param act   the activation
     * @param out   result, n x {@code s.outSize()}, overwritten
     * @param deriv the shape of {@code out}, or null (inference)
     */
    void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out, Tensor deriv);

    /**
     * Gradients of {@code z = conv(x, w) + b} given {@code dz} (n x {@code s.outSize()}, the gradient of the
     * pre-activation): {@code dw} (the shape of {@code w}) sums dz times the input patch over samples and output
     * positions, {@code db} (size {@code s.outChannels()}) sums dz over each output channel, and when {@code dx}
     * (the shape of {@code x}) is not null it receives the input gradient. Gradients are overwritten, not
     * accumulated.
     *
     * @param x  the forward's input, n x {@code s.inSize()}
     * @param s  the convolution's geometry
     * @param w  weights, {@code s.outChannels() x s.patch()}
     * @param dz gradient of the pre-activation, n x {@code s.outSize()}
     * @param dw receives the weight gradient, the shape of {@code w}
     * @param db receives the bias gradient, {@code s.outChannels()} elements
     * @param dx receives the input gradient, the shape of {@code x}; null when not needed
     */
    void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx);

    /**
     * Max pooling over {@code size x size} windows with stride {@code size} of the {@code channels x height x width}
     * images in the rows of {@code x}; height and width must be multiples of size. {@code out} and {@code argmax}
     * are n x {@code channels·(height/size)·(width/size)}; {@code argmax} receives, as a float, the index within the
     * input row of each window's maximum (the first in row-major order on ties).
     *
     * @param x        input images, n x {@code channels·height·width}, at most 2^24 floats a row
     * @param channels planes per image, at least 1
     * @param height   rows per plane, a multiple of {@code size}
     * @param width    columns per plane, a multiple of {@code size}
     * @param size     window side and stride, at least 1
     * @param out      the maxima, overwritten
     * @param argmax   the maxima's positions, overwritten; keep it for {@link #maxPool2dBackward}
     */
    void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out, Tensor argmax);

    /**
     * The backward of {@link #maxPool2dForward}: {@code dx} (overwritten, n x the input row size) is zero except
     * {@code dx[r][argmax[r][j]] += dOut[r][j]}. {@code argmax} must be as the forward wrote it, so that each
     * input element is the maximum of at most one window (the windows do not overlap); an entry that is not an
     * index into a row of {@code dx} is an {@link IllegalArgumentException} (on a GPU at the next synchronisation).
     *
     * @param dOut   gradient of the pooled output, n x m
     * @param argmax what {@link #maxPool2dForward} wrote, n x m
     * @param dx     receives the input gradient, n x (input row size, at least m and at most 2^24)
     */
    void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx);

    /**
     * Nearest-neighbour upsampling by an integer {@code factor} (a convolutional decoder's upsampling): each pixel
     * of the {@code channels x height x width} images in the rows of {@code x} becomes a {@code factor x factor}
     * block of {@code out} (n x {@code channels·(height·factor)·(width·factor)}).
     *
     * @param x        input images, n x {@code channels·height·width}
     * @param channels planes per image, at least 1
     * @param height   rows per input plane, at least 1
     * @param width    columns per input plane, at least 1
     * @param factor   the scale, at least 1
     * @param out      the upsampled images, overwritten
     */
    void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out);

    /**
     * The backward of {@link #upsample2dForward}: each element of {@code dx} (overwritten) is the sum of its
     * {@code factor x factor} block of {@code dOut}.
     *
     * @param dOut     gradient of the upsampled images, n x {@code channels·(height·factor)·(width·factor)}
     * @param channels planes per image, at least 1
     * @param height   rows per input plane, at least 1
     * @param width    columns per input plane, at least 1
     * @param factor   the scale, at least 1
     * @param dx       receives the input gradient, n x {@code channels·height·width}
     */
    void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx);

    // ---------------------------------------------------------------- losses and metrics

    /**
     * Mean squared error between {@code out} and {@code target} over all elements, added to {@code acc[slot]},
     * and in the same pass the gradient with respect to the pre-activation of {@code out}:
     * {@code dz = 2 (out - target) / size · deriv}, where {@code deriv} is what {@link #denseForward} stored for
     * {@code out}.
     *
     * @param out    the reconstruction, n x m
     * @param target what it should be, n x m
     * @param deriv  the activation derivatives of {@code out}, n x m
     * @param dz     receives the gradient, n x m
     * @param acc    the loss accumulator
     * @param slot   the element of {@code acc} added to
     */
    void mseLoss(Tensor out, Tensor target, Tensor deriv, Tensor dz, Tensor acc, int slot);

    /**
     * Softmax cross-entropy of {@code logits} (n x classes) against {@code labels} (n x 1): the mean loss is added
     * to {@code acc[slot]}, the number of rows whose arg-max equals the label to {@code acc[slot + 1]}, and
     * {@code dLogits = (softmax - onehot) / n}.
     *
     * @param logits  n x classes
     * @param labels  class indices, n elements
     * @param dLogits receives the gradient, n x classes
     * @param acc     the loss accumulator
     * @param slot    the element of {@code acc} the loss is added to; {@code slot + 1} must lie in {@code acc} too
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot);

    /**
     * Adds the number of rows of {@code logits} whose arg-max equals the label to {@code acc[slot]}.
     *
     * @param logits n x classes
     * @param labels class indices, n elements
     * @param acc    the accumulator
     * @param slot   the element of {@code acc} added to
     */
    void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot);

    /**
     * {@code out[r]} = index of the largest logit of row r (the first on ties); out is n x 1.
     *
     * @param logits n x classes
     * @param out    receives the indices as floats, n elements
     */
    void argmaxRows(Tensor logits, Tensor out);

    /**
     * Sparsity penalty {@code lambda · mean_rows Σ_cols |a|}: adds it to {@code acc[slot]} and its gradient
     * {@code lambda · sign(a) / n} to {@code grad}.
     *
     * @param a      activations, n x m
     * @param lambda the penalty's weight
     * @param grad   the gradient of {@code a}, n x m; added to
     * @param acc    the loss accumulator
     * @param slot   the element of {@code acc} added to
     */
    void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot);

    // ---------------------------------------------------------------- Forward-Forward (Hinton, 2022)

    /**
     * Writes the label into the image: {@code out = x} with its first {@code classes} columns replaced by
     * {@code value} at the label's column and 0 elsewhere. With {@code labels == null} every one of those columns
     * gets {@code value} (a neutral label). {@code out} may be {@code x}.
     *
     * @param x       images, n x m
     * @param labels  class indices, n elements; null for the neutral label
     * @param classes the columns overwritten, 1 to m
     * @param value   the value written at the label's column
     * @param out     n x m, overwritten
     */
    void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out);

    /**
     * Labels for negative data: {@code out[r] = (labels[r] + 1 + u) mod classes} with u uniform in
     * [0, classes - 2] from the counter-based generator of (seed, stream, r), so never the true label.
     *
     * @param labels  the true class indices, n x 1
     * @param classes number of classes, at least 2
     * @param seed    the generator's seed
     * @param stream  the generator's stream, e.g. the step, so that each call draws afresh
     * @param out     receives the wrong labels, n x 1
     */
    void wrongLabels(Tensor labels, int classes, long seed, long stream, Tensor out);

    /**
     * Hard labels for negative data, drawn from the model's own scores ({@code n x classes}, e.g. the goodness of
     * every label): {@code out[r] = j} for a {@code j != labels[r]} drawn with probability proportional to
     * {@code exp(temperature·(scores[r][j] - m))}, m the largest score of a wrong label, using u uniform in [0, 1)
     * from 53 bits of the counter-based generator of (seed, stream, r). Temperature 0 draws uniformly; a large one
     * picks the best-scoring wrong label. Sums and exponentials are doubles.
     *
     * @param scores      n x classes, at least 2 classes
     * @param labels      the true class indices, n x 1
     * @param temperature finite, at least 0
     * @param seed        the generator's seed
     * @param stream      the generator's stream, e.g. the step, so that each call draws afresh
     * @param out         receives the wrong labels, n x 1
     */
    void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long stream, Tensor out);

    /**
     * Length normalisation between Forward-Forward layers, to a root mean square of 1 (the length of the vector
     * divided by the square root of its size, so that inputs stay of order 1 whatever the width):
     * {@code x / (sqrt(mean x²) + 1e-4)}, row by row.
     *
     * @param x   n x m
     * @param out n x m, overwritten
     */
    void normalizeRows(Tensor x, Tensor out);

    /**
     * A Forward-Forward layer's loss on activities {@code h} (n x m) of positive ({@code scale > 0}) or negative
     * ({@code scale < 0}) data: goodness {@code g = mean_j h²}, logit {@code z = scale·(g - threshold)}, loss
     * {@code mean_rows softplus(-z)} added to {@code acc[slot]}, and its gradient
     * {@code dh = -scale·σ(-z)·2h / (m·n)} written. The magnitude of {@code scale} sets how sharply the logistic
     * loss separates goodness from the threshold (1: the plain mean; m: the sum of squares against m·threshold).
     *
     * @param h         the layer's activities, n x m
     * @param scale     finite and not 0: positive for positive data, negative for negative data
     * @param threshold the goodness (mean square) that separates positive from negative
     * @param dh        receives the gradient, n x m
     * @param acc       the loss accumulator
     * @param slot      the element of {@code acc} added to
     */
    void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot);

    /**
     * {@code scores[r][col] += mean_j h[r][j]²}: goodness accumulated over layers to predict a label.
     *
     * @param h      a layer's activities, n x m
     * @param scores n x c; column {@code col} is added to
     * @param col    the column, in [0, c)
     */
    void addGoodness(Tensor h, Tensor scores, int col);

    // ---------------------------------------------------------------- noise and optimisation

    /**
     * {@code out = corrupt(x)} by {@code noise}; the random numbers depend only on (seed, stream, index).
     * {@link Noise#NONE} copies.
     *
     * @param x      the clean input
     * @param noise  the corruption
     * @param seed   the generator's seed
     * @param stream the generator's stream, e.g. the step, so that each call draws afresh
     * @param out    the shape of {@code x}, overwritten
     */
    void corrupt(Tensor x, Noise noise, long seed, long stream, Tensor out);

    /**
     * {@code out = mean + std·N(0, 1)}, the standard normal numbers from the counter-based generator of (seed,
     * stream, element index): the very numbers {@link #corrupt} adds as Gaussian noise for the same seed and stream,
     * so they are the same on every backend and for every thread count.
     *
     * @param out    the tensor overwritten
     * @param mean   finite
     * @param std    finite, at least 0
     * @param seed   the generator's seed
     * @param stream the generator's stream
     */
    void randn(Tensor out, float mean, float std, long seed, long stream);

    /**
     * One AdamW step over a flat parameter buffer: {@code params}, {@code grads}, and the moment buffers {@code m},
     * {@code v} have the same size. Weight decay applies to the first {@code decayCount} elements only (weights
     * come first, biases after). {@code step} counts from 1 and drives the bias correction; {@code lrScale}
     * multiplies the learning rate (a schedule's factor; the decay uses the scaled rate too, as in PyTorch).
     *
     * @param hyper      the hyper-parameters
     * @param lrScale    factor of the learning rate, at least 0
     * @param step       the step number, from 1
     * @param params     the parameters, updated in place
     * @param grads      their gradients
     * @param m          first moments, updated in place (zeros before step 1)
     * @param v          second moments, updated in place (zeros before step 1)
     * @param decayCount how many leading elements are weights, in [0, {@code params.size()}]
     */
    void adamW(AdamW hyper, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v, int decayCount);

    /**
     * Waits until every op issued so far has finished (a no-op on the CPU).
     *
     * @throws IllegalArgumentException on a GPU, for a bad label or arg-max an op found on the device since the
     *                                  last check
     */
    default void synchronize() {
    }

    /**
     * Releases the backend: its worker threads, and on a GPU its stream and every allocation still held. No tensor
     * it made may be used afterwards. A second call does nothing.
     */
    @Override
    void close();
}
