package dev.uff4j.model;

import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static dev.uff4j.backend.TestArrays.toDouble;
import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finite-difference checks of whole layers and losses as the models compose them, in float32 on the CPU backend:
 * the gradient a cell, a head or the BP network writes is compared with central differences of the loss it
 * reports. Each loss is evaluated by a training step from the perturbed parameters (the step reports the loss
 * before it updates). h = 1e-3 on parameters of magnitude ~0.3 (float32 rounding of the loss then moves the
 * difference quotient by about 1e-4); agreement within 2% of the largest gradient
 * component plus 5% relative.
 */
class GradientCheckTest {
    /** About 60 components per check; kinks: one-sided slopes 1% of the largest gradient apart, a tenth at most. */
    private static final FiniteDifferences.Tolerance TOLERANCE =
            new FiniteDifferences.Tolerance(1e-3, 60, 0, 0.05, 0, 0.02, 0, 0.01, 0.1);

    private static void check(String what, float[] theta, float[] analytic, ToDoubleFunction<float[]> loss) {
        FiniteDifferences.check(what, FiniteDifferences.of(theta), toDouble(analytic), () -> loss.applyAsDouble(theta),
                TOLERANCE);
    }

    private static Tensor batch(Backend b, SplittableRandom r, int n, int features, double lo, double hi) {
        return upload(b, uniform(r, n * features, lo, hi), n, features);
    }

    private static Tensor labels(Backend b, SplittableRandom r, int n, int classes) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return upload(b, y, n, 1);
    }

    /** Loss of one training step of {@code cell} from parameters {@code theta}. */
    private static double cellLoss(Cell cell, Tensor x, float[] theta) {
        cell.parameters().writeAll(theta);
        cell.losses().reset();
        cell.trainStep(x);
        float[] sums = cell.losses().read();
        return (double) sums[0] + sums[1];
    }

    private void checkCell(String what, CellSpec spec, double lo, double hi) {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(21);
            AutoencoderCell cell = new AutoencoderCell(b, spec, dev.uff4j.backend.AdamW.DEFAULT, 6, 5);
            Tensor x = batch(b, r, 6, spec.input(), lo, hi);
            float[] theta = cell.parameters().readAll();
            cellLoss(cell, x, theta);
            float[] analytic = cell.parameters().readAllGradients();
            check(what, theta, analytic, t -> cellLoss(cell, x, t));
        }
    }

    @Test
    void autoencoderCellWithSigmoidDecoder() {
        checkCell("AE tanh/sigmoid", new CellSpec(CellKind.AE, 9, 5, Epilogue.of(Activation.TANH), Epilogue.of(Activation.TANH),
                Activation.SIGMOID,
                Noise.NONE, 0f, 0f), 0, 1);
    }

    @Test
    void autoencoderCellWithL1AndIdentityDecoder() {
        checkCell("AE tanh, l1, identity decoder", new CellSpec(CellKind.AE, 9, 5, Epilogue.of(Activation.TANH),
                new Epilogue(Activation.TANH, 0, true), Activation.IDENTITY, Noise.NONE, 0.05f, 0f), 0, 1);
    }

    @Test
    void autoencoderCellWithReluAndTopK() {
        checkCell("AE relu top-2", new CellSpec(CellKind.AE, 7, 6, new Epilogue(Activation.RELU, 2, false),
                Epilogue.of(Activation.RELU), Activation.SIGMOID, Noise.NONE, 0f, 0f), 1, 2);
    }

    @Test
    void autoencoderCellWithLifetimeSparsity() {
        checkCell("AE sigmoid, lifetime 1/3", new CellSpec(CellKind.AE, 7, 6, Epilogue.of(Activation.SIGMOID),
                Epilogue.of(Activation.SIGMOID), Activation.SIGMOID, Noise.NONE, 0f, 0.34f), 0, 1);
    }

    /** 2 x 6 x 6 images -> 3 maps of 3 x 3 -> back. */
    @Test
    void convolutionalAutoencoderCell() {
        checkConvCell("CAE tanh/sigmoid", new ImageShape(2, 6, 6), 27, 0f, 24);
    }

    /** Lifetime sparsity over a batch of 3 (2 winners per latent unit): dropped values pass no gradient. */
    @Test
    void convolutionalAutoencoderCellWithLifetimeSparsity() {
        checkConvCell("CAE lifetime 2 of 3", new ImageShape(2, 6, 6), 27, 0.5f, 25);
    }

    /** 2 x 5 x 3 images, a side odd: no pooling, 3 maps of 5 x 3, no upsampling in the decoder. */
    @Test
    void convolutionalAutoencoderCellOnAnOddSizedInput() {
        CellSpec spec = checkConvCell("CAE on 5x3", new ImageShape(2, 5, 3), 45, 0f, 26);
        assertEquals(1, spec.pool());
        assertEquals(new ImageShape(3, 5, 3), spec.latentImage());
    }

    /** Sigmoid reconstruction, a batch of 3; {@code hidden} is 3 feature maps of the pooled size. */
    private CellSpec checkConvCell(String what, ImageShape image, int hidden, float lifetime, long seed) {
        CellSpec spec = new CellSpec(CellKind.CAE, image.size(), hidden, Epilogue.of(Activation.TANH),
                Epilogue.of(Activation.TANH), Activation.SIGMOID, Noise.NONE, 0f, lifetime, image);
        assertEquals(3, spec.featureMaps());
        assertEquals(lifetime == 0f ? 3 : 2, spec.lifetimeWinners(3));
        try (Backend b = new CpuBackend(2)) {
            ConvCell cell = new ConvCell(b, spec, dev.uff4j.backend.AdamW.DEFAULT, 3, 5);
            Tensor x = batch(b, new SplittableRandom(seed), 3, image.size(), 0, 1);
            float[] theta = cell.parameters().readAll();
            cellLoss(cell, x, theta);
            check(what, theta, cell.parameters().readAllGradients(), t -> cellLoss(cell, x, t));
        }
        return spec;
    }

    /** 1 x 8 x 8 -> cae:3 (3 x 4 x 4) -> cae:2 (2 x 2 x 2), tanh, head on both. */
    @Test
    void convolutionalNetworkTrainedEndToEnd() {
        checkConvNetwork("bp-cnn conv stages", 8, 25);
    }

    /** 1 x 6 x 6 -> cae:3 (3 x 3 x 3) -> cae:2 on an odd size (2 x 3 x 3, not pooled). */
    @Test
    void convolutionalNetworkPastAnOddSize() {
        checkConvNetwork("bp-cnn conv stages past 3x3", 6, 26);
    }

    private void checkConvNetwork(String what, int side, long seed) {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(seed);
            int in = side * side;
            ModelSpec spec = TestSpecs.builder(ModelKind.BP_CNN, in, 3).hidden(1).activation(Activation.TANH)
                    .layerNorm(false).cellList(List.of(new CellDef(CellKind.CAE, 3), new CellDef(CellKind.CAE, 2)))
                    .batch(4).seed(9).build();
            EndToEndModel model = new EndToEndModel(new BackendScope(b), spec);
            Tensor x = batch(b, r, 4, in, 0, 1);
            Tensor y = labels(b, r, 4, 3);
            ParameterSet encoder = model.parameterGroups().get("encoder");
            ParameterSet head = model.parameterGroups().get("head");
            float[] headTheta = head.readAll();
            ToDoubleFunction<float[]> loss = t -> {
                encoder.writeAll(t);
                head.writeAll(headTheta);
                model.trainBatch(0, x, y);
                return model.takeMetrics().losses()[0];
            };
            float[] theta = encoder.readAll();
            loss.applyAsDouble(theta);
            check(what, theta, encoder.readAllGradients(), loss);
        }
    }

    @Test
    void forwardForwardLayerGoodnessLoss() {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(26);
            ModelSpec spec = TestSpecs.builder(ModelKind.FF, 12, 3).cells(1).hidden(5).activation(Activation.TANH)
                    .batch(4).seed(9).build();
            Tensor x = batch(b, r, 4, 12, 0, 1);
            Tensor y = labels(b, r, 4, 3);
            // a fresh model per evaluation: its first step draws the same wrong labels, so the loss is a function
            // of the layer's parameters alone
            ToDoubleFunction<float[]> fixedLoss = t -> {
                FfModel m = new FfModel(new BackendScope(b), spec);
                ParameterSet p = m.parameterGroups().get("layer1");
                p.writeAll(t);
                m.trainBatch(0, x, y);
                double[] l = m.takeMetrics().losses();
                gradients[0] = p.readAllGradients();
                return l[0] + l[1];
            };
            float[] theta = new FfModel(new BackendScope(b), spec).parameterGroups().get("layer1").readAll();
            fixedLoss.applyAsDouble(theta);
            check("ff layer goodness loss", theta, gradients[0], fixedLoss);
        }
    }

    /** The gradients of the last evaluation of a loss that builds its own model. */
    private final float[][] gradients = new float[1][];

    @Test
    void classifierHeadWithHiddenLayer() {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(22);
            ClassifierHead head = new ClassifierHead(b, 8, 6, 4, dev.uff4j.backend.AdamW.DEFAULT, 5, 3);
            Tensor x = batch(b, r, 5, 8, 0.5, 1.5);
            Tensor y = labels(b, r, 5, 4);
            ToDoubleFunction<float[]> loss = t -> {
                head.parameters().writeAll(t);
                head.losses().reset();
                head.trainStep(x, y);
                return head.losses().read()[0];
            };
            float[] theta = head.parameters().readAll();
            loss.applyAsDouble(theta);
            check("head relu hidden", theta, head.parameters().readAllGradients(), loss);
        }
    }

    @Test
    void backPropagationNetworkWithHeadOnAllLayers() {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(23);
            ModelSpec spec = TestSpecs.spec(ModelKind.BP, 7, 3, 2, 5, new Epilogue(Activation.TANH, 0, true),
                    Noise.NONE, 0f, 0, HeadInput.ALL, 4, 9);
            EndToEndModel model = new EndToEndModel(new BackendScope(b), spec);
            Tensor x = batch(b, r, 4, 7, 0, 1);
            Tensor y = labels(b, r, 4, 3);
            ParameterSet encoder = model.parameterGroups().get("encoder");
            ParameterSet head = model.parameterGroups().get("head");
            float[] headTheta = head.readAll();
            ToDoubleFunction<float[]> loss = t -> {
                encoder.writeAll(t);
                head.writeAll(headTheta);
                model.trainBatch(0, x, y);
                return model.takeMetrics().losses()[0];
            };
            float[] theta = encoder.readAll();
            loss.applyAsDouble(theta);
            check("bp encoder layers", theta, encoder.readAllGradients(), loss);
        }
    }
}
