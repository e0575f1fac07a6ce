package dev.uff4j.backend;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Plain float64 implementations of every backend op, written for clarity and nothing else: the reference every
 * backend is tested against, itself checked by finite differences ({@code Reference64Test}).
 * Matrices are row-major double arrays.
 */
public final class Reference64 {
    private Reference64() {
    }

    /** What a dense forward produces. */
    public record Dense(double[] out, double[] deriv, double[] rowScale) {
    }

    public static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    public static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    public static double activate(Activation act, double z) {
        return switch (act) {
            case IDENTITY -> z;
            case RELU -> Math.max(0, z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case TANH -> Math.tanh(z);
        };
    }

    public static double activationDerivative(Activation act, double z) {
        return switch (act) {
            case IDENTITY -> 1;
            case RELU -> z > 0 ? 1 : 0;
            case SIGMOID -> activate(act, z) * (1 - activate(act, z));
            case TANH -> 1 - Math.tanh(z) * Math.tanh(z);
        };
    }

    public static Dense denseForward(double[] x, double[] w, double[] b, int n, int in, int out, Epilogue e) {
        double[] z = matmul(x, w, n, in, out);
        double[] y = new double[n * out];
        double[] d = new double[n * out];
        double[] s = new double[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < out; j++) {
                double v = z[r * out + j] + b[j];
                y[r * out + j] = activate(e.activation(), v);
                d[r * out + j] = activationDerivative(e.activation(), v);
            }
            if (e.topK() > 0 && e.topK() < out) {
                final int row = r;
                // keep the k largest; among equal values the lower index wins
                Integer[] idx = IntStream.range(0, out).boxed().toArray(Integer[]::new);
                Arrays.sort(idx, Comparator.<Integer>comparingDouble(j -> -y[row * out + j]).thenComparingInt(j -> j));
                boolean[] keep = new boolean[out];
                for (int t = 0; t < e.topK(); t++) {
                    keep[idx[t]] = true;
                }
                for (int j = 0; j < out; j++) {
                    if (!keep[j]) {
                        y[r * out + j] = 0;
                        d[r * out + j] = 0;
                    }
                }
            }
            if (e.layerNorm()) {
                double mean = 0;
                for (int j = 0; j < out; j++) {
                    mean += y[r * out + j];
                }
                mean /= out;
                double var = 0;
                for (int j = 0; j < out; j++) {
                    var += (y[r * out + j] - mean) * (y[r * out + j] - mean);
                }
                var /= out;
                double rstd = 1 / Math.sqrt(var + Epilogue.LAYER_NORM_EPS);
                for (int j = 0; j < out; j++) {
                    y[r * out + j] = (y[r * out + j] - mean) * rstd;
                }
                s[r] = rstd;
            }
        }
        return new Dense(y, d, s);
    }

    /** Lifetime sparsity: per column keep the k largest values (lower row wins ties), zero the rest and their deriv. */
    public static void keepTopKPerColumn(double[] out, double[] deriv, int rows, int cols, int k) {
        for (int j = 0; j < cols; j++) {
            final int col = j;
            Integer[] idx = IntStream.range(0, rows).boxed().toArray(Integer[]::new);
            Arrays.sort(idx, Comparator.<Integer>comparingDouble(r -> -out[r * cols + col]).thenComparingInt(r -> r));
            for (int t = k; t < rows; t++) {
                out[idx[t] * cols + j] = 0;
                deriv[idx[t] * cols + j] = 0;
            }
        }
    }

    /** dz from dOut through layer norm (if any) and the activation. */
    public static double[] epilogueBackward(double[] dOut, Dense f, int n, int out, Epilogue e) {
        double[] dz = new double[n * out];
        for (int r = 0; r < n; r++) {
            double[] g = Arrays.copyOfRange(dOut, r * out, (r + 1) * out);
            if (e.layerNorm()) {
                double mg = 0;
                double mgy = 0;
                for (int j = 0; j < out; j++) {
                    mg += g[j];
                    mgy += g[j] * f.out()[r * out + j];
                }
                mg /= out;
                mgy /= out;
                for (int j = 0; j < out; j++) {
                    g[j] = f.rowScale()[r] * (g[j] - mg - f.out()[r * out + j] * mgy);
                }
            }
            for (int j = 0; j < out; j++) {
                dz[r * out + j] = g[j] * f.deriv()[r * out + j];
            }
        }
        return dz;
    }

    /** {dw, db, dx} of z = x w + b. */
    public static double[][] denseBackward(double[] x, double[] w, double[] dz, int n, int in, int out) {
        double[] dw = matmul(transpose(x, n, in), dz, in, n, out);
        double[] db = new double[out];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < out; j++) {
                db[j] += dz[r * out + j];
            }
        }
        double[] dx = matmul(dz, transpose(w, in, out), n, out, in);
        return new double[][] {dw, db, dx};
    }

    /** The pre-activation {@code z = conv(x, w) + b} of n images (zero padding; layout as in {@link ConvShape}). */
    public static double[] conv2d(double[] x, double[] w, double[] b, int n, ConvShape s) {
        int k = s.kernel();
        double[] z = new double[n * s.outSize()];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < s.outChannels(); o++) {
                for (int oh = 0; oh < s.outHeight(); oh++) {
                    for (int ow = 0; ow < s.outWidth(); ow++) {
                        double sum = b[o];
                        for (int c = 0; c < s.inChannels(); c++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int h = oh * s.stride() - s.padding() + i;
                                    int v = ow * s.stride() - s.padding() + j;
                                    if (h >= 0 && h < s.height() && v >= 0 && v < s.width()) {
                                        sum += x[convIn(s, r, c, h, v)] * w[o * s.patch() + (c * k + i) * k + j];
                                    }
                                }
                            }
                        }
                        z[convOut(s, r, o, oh, ow)] = sum;
                    }
                }
            }
        }
        return z;
    }

    private static int convIn(ConvShape s, int r, int c, int h, int w) {
        return r * s.inSize() + (c * s.height() + h) * s.width() + w;
    }

    private static int convOut(ConvShape s, int r, int o, int oh, int ow) {
        return r * s.outSize() + (o * s.outHeight() + oh) * s.outWidth() + ow;
    }

    /** {@code act(conv(x, w) + b)} and the activation's derivative (rowScale is empty). */
    public static Dense conv2dForward(double[] x, double[] w, double[] b, int n, ConvShape s, Activation act) {
        double[] z = conv2d(x, w, b, n, s);
        double[] y = new double[z.length];
        double[] d = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = activate(act, z[i]);
            d[i] = activationDerivative(act, z[i]);
        }
        return new Dense(y, d, new double[0]);
    }

    /** {dw, db, dx} of {@code z = conv(x, w) + b} given dz. */
    public static double[][] conv2dBackward(double[] x, double[] w, double[] dz, int n, ConvShape s) {
        int k = s.kernel();
        double[] dw = new double[w.length];
        double[] db = new double[s.outChannels()];
        double[] dx = new double[x.length];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < s.outChannels(); o++) {
                for (int oh = 0; oh < s.outHeight(); oh++) {
                    for (int ow = 0; ow < s.outWidth(); ow++) {
                        double g = dz[convOut(s, r, o, oh, ow)];
                        db[o] += g;
                        for (int c = 0; c < s.inChannels(); c++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int h = oh * s.stride() - s.padding() + i;
                                    int v = ow * s.stride() - s.padding() + j;
                                    if (h >= 0 && h < s.height() && v >= 0 && v < s.width()) {
                                        int wi = o * s.patch() + (c * k + i) * k + j;
                                        dw[wi] += g * x[convIn(s, r, c, h, v)];
                                        dx[convIn(s, r, c, h, v)] += g * w[wi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dw, db, dx};
    }

    /** {out, argmax}: max over size x size windows with stride size; argmax is the first maximum's index in the row. */
    public static double[][] maxPool2dForward(double[] x, int n, int channels, int height, int width, int size) {
        int outH = height / size;
        int outW = width / size;
        int inSize = channels * height * width;
        int outSize = channels * outH * outW;
        double[] out = new double[n * outSize];
        double[] argmax = new double[n * outSize];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int best = -1;
                        for (int i = 0; i < size; i++) {
                            for (int j = 0; j < size; j++) {
                                int index = (c * height + oh * size + i) * width + ow * size + j;
                                if (best < 0 || x[r * inSize + index] > x[r * inSize + best]) {
                                    best = index;
                                }
                            }
                        }
                        int e = r * outSize + (c * outH + oh) * outW + ow;
                        out[e] = x[r * inSize + best];
                        argmax[e] = best;
                    }
                }
            }
        }
        return new double[][] {out, argmax};
    }

    /** dx (n x inSize) = 0 except dx[r][argmax[r][j]] += dOut[r][j]. */
    public static double[] maxPool2dBackward(double[] dOut, double[] argmax, int n, int inSize) {
        double[] dx = new double[n * inSize];
        int outSize = dOut.length / n;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < outSize; j++) {
                dx[r * inSize + (int) argmax[r * outSize + j]] += dOut[r * outSize + j];
            }
        }
        return dx;
    }

    /** Nearest-neighbour upsampling: out[r][c][h][w] = x[r][c][h / f][w / f]. */
    public static double[] upsample2dForward(double[] x, int n, int channels, int height, int width, int f) {
        int largeH = height * f;
        int largeW = width * f;
        double[] out = new double[n * channels * largeH * largeW];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < largeH; h++) {
                    for (int w = 0; w < largeW; w++) {
                        out[((r * channels + c) * largeH + h) * largeW + w] =
                                x[((r * channels + c) * height + h / f) * width + w / f];
                    }
                }
            }
        }
        return out;
    }

    /** The backward of {@link #upsample2dForward}: each dx is the sum of its f x f block of dOut. */
    public static double[] upsample2dBackward(double[] dOut, int n, int channels, int height, int width, int f) {
        int largeH = height * f;
        int largeW = width * f;
        double[] dx = new double[n * channels * height * width];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < largeH; h++) {
                    for (int w = 0; w < largeW; w++) {
                        dx[((r * channels + c) * height + h / f) * width + w / f] +=
                                dOut[((r * channels + c) * largeH + h) * largeW + w];
                    }
                }
            }
        }
        return dx;
    }

    /** {loss, dz...}: mean squared error and its gradient through {@code deriv}. */
    public static double mseLoss(double[] out, double[] target, double[] deriv, double[] dzOut) {
        double loss = 0;
        int size = out.length;
        for (int i = 0; i < size; i++) {
            double diff = out[i] - target[i];
            loss += diff * diff;
            dzOut[i] = 2 * diff / size * deriv[i];
        }
        return loss / size;
    }

    /** Mean cross-entropy; writes dLogits; returns {loss, correct}. */
    public static double[] softmaxCrossEntropy(double[] logits, int[] labels, int n, int classes, double[] dLogits) {
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int j = 0; j < classes; j++) {
                if (logits[r * classes + j] > max) {
                    max = logits[r * classes + j];
                    best = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[r * classes + j] - max);
            }
            double lse = max + Math.log(sum);
            loss += lse - logits[r * classes + labels[r]];
            if (best == labels[r]) {
                correct++;
            }
            for (int j = 0; j < classes; j++) {
                double p = Math.exp(logits[r * classes + j] - lse);
                dLogits[r * classes + j] = (p - (j == labels[r] ? 1 : 0)) / n;
            }
        }
        return new double[] {loss / n, correct};
    }

    /** lambda * mean_rows sum |a|; adds the gradient to grad. */
    public static double l1Penalty(double[] a, int n, double lambda, double[] grad) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i]);
            grad[i] += lambda * Math.signum(a[i]) / n;
        }
        return lambda * s / n;
    }

    /** The label written into the first {@code classes} columns (labels == null: value in all of them). */
    public static double[] overlayLabels(double[] x, int[] labels, int rows, int cols, int classes, double value) {
        double[] out = x.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < classes; j++) {
                out[r * cols + j] = labels == null || labels[r] == j ? value : 0;
            }
        }
        return out;
    }

    /** Each row divided by its root mean square plus 1e-4. */
    public static double[] normalizeRows(double[] x, int rows, int cols) {
        double[] out = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = 0; j < cols; j++) {
                sq += x[r * cols + j] * x[r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = x[r * cols + j] / (Math.sqrt(sq / cols) + 1e-4);
            }
        }
        return out;
    }

    /** Each row's mean of squares: the Forward-Forward goodness. */
    public static double[] goodness(double[] h, int rows, int cols) {
        double[] g = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                g[r] += h[r * cols + j] * h[r * cols + j] / cols;
            }
        }
        return g;
    }

    /**
     * Hard negative labels: row r's wrong labels j get p_j = exp(t·s_j) / sum over wrong k of exp(t·s_k); the pick
     * is the first j whose cumulative p exceeds {@code u[r]}.
     */
    public static int[] sampleWrongLabels(double[] scores, int[] labels, int rows, int classes, double t,
                                          double[] u) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            double[] p = new double[classes];
            double total = 0;
            for (int j = 0; j < classes; j++) {
                p[j] = j == labels[r] ? 0 : Math.exp(t * scores[r * classes + j]);
                total += p[j];
            }
            double cumulative = 0;
            out[r] = -1;
            for (int j = 0; j < classes && out[r] < 0; j++) {
                cumulative += p[j] / total;
                if (j != labels[r] && (cumulative > u[r] || lastWrong(j, labels[r], classes))) {
                    out[r] = j;
                }
            }
        }
        return out;
    }

    private static boolean lastWrong(int j, int label, int classes) {
        return j == classes - 1 || (j == classes - 2 && label == classes - 1);
    }

    /** mean_rows log(1 + exp(-scale (g - threshold))); dh (if not null) receives its gradient. */
    public static double goodnessLoss(double[] h, int rows, int cols, double scale, double threshold, double[] dh) {
        double[] g = goodness(h, rows, cols);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double z = scale * (g[r] - threshold);
            loss += Math.log1p(Math.exp(-z));
            if (dh != null) {
                double dg = -scale / (1 + Math.exp(z)) / rows;
                for (int j = 0; j < cols; j++) {
                    dh[r * cols + j] = dg * 2 * h[r * cols + j] / cols;
                }
            }
        }
        return loss / rows;
    }

    /** x · mask, element by element. */
    public static double[] mulMask(double[] x, double[] mask) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * mask[i];
        }
        return out;
    }

    /**
     * mean + std·N(0, 1) for elements 0..size-1 by the documented generator: element pair q draws the word
     * {@code w = mix64(key + q·0xD1B54A32D192ED03)} with {@code key = Noise.streamKey(seed, stream)}; Box-Muller
     * with radius {@code sqrt(-2 ln(((w >>> 40) + 1) / 2^24))} and angle {@code 2π (w & 0xFFFFFF) / 2^24}; the even
     * element takes the cosine, the odd one the sine.
     */
    public static double[] randn(int size, double mean, double std, long seed, long stream) {
        long key = Noise.streamKey(seed, stream);
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            long w = Noise.mix64(key + (i / 2) * 0xD1B54A32D192ED03L);
            double radius = Math.sqrt(-2 * Math.log(((w >>> 40) + 1) / (double) (1 << 24)));
            double angle = 2 * Math.PI * (w & 0xFFFFFF) / (double) (1 << 24);
            out[i] = mean + std * radius * (i % 2 == 0 ? Math.cos(angle) : Math.sin(angle));
        }
        return out;
    }

    /** AdamW as in torch.optim.AdamW; updates p, m, v in place. */
    public static void adamW(AdamW h, int step, double[] p, double[] g, double[] m, double[] v, int decayCount) {
        double bc1 = 1 - Math.pow(h.beta1(), step);
        double bc2 = 1 - Math.pow(h.beta2(), step);
        for (int i = 0; i < p.length; i++) {
            if (i < decayCount) {
                p[i] *= 1 - h.lr() * h.weightDecay();
            }
            m[i] = h.beta1() * m[i] + (1 - h.beta1()) * g[i];
            v[i] = h.beta2() * v[i] + (1 - h.beta2()) * g[i] * g[i];
            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + h.eps();
            p[i] -= h.lr() / bc1 * m[i] / denom;
        }
    }
}
