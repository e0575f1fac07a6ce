package dev.uff4j.bench;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The convolutional ops of one step of the default cae model's first cell, at its shapes: batch 128 of 1 x 28 x 28
 * images; the encoder's 3x3 convolution to 32 maps (padding 1), ReLU and 2x2 max pooling to 32 x 14 x 14; the
 * decoder's 2x nearest-neighbour upsampling back to 32 x 28 x 28 and 3x3 convolution to 1 map, sigmoid.
 *
 * <p>Units and conventions are {@link OpsBenchmark}'s: the primary score is calls per second, the secondary
 * {@code :gflop} row counts the convolution's multiply-adds as a GEMM would (2 · samples · outChannels · positions ·
 * inChannels · 9 per product; 57.8 MFLOP for either convolution here; a backward with dx does two products), the
 * {@code :gbyte} row the distinct float arrays read and written; every call ends with {@code synchronize()}.
 * Parameters: {@code backend} and {@code threads} as in {@link OpsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvOpsBenchmark {
    static final int BATCH = 128;
    static final int SIDE = 28;
    static final int MAPS = 32;
    /** The encoder: 1 x 28 x 28 -> 32 x 28 x 28. */
    static final ConvShape ENCODER = new ConvShape(1, SIDE, SIDE, MAPS, 3, 1, 1);
    /** The decoder: 32 x 28 x 28 -> 1 x 28 x 28. */
    static final ConvShape DECODER = new ConvShape(MAPS, SIDE, SIDE, 1, 3, 1, 1);
    /** Either convolution: 2 · 128 · 784 positions · 288 multiply-adds per output = 57,802,752 FLOP. */
    static final long CONV_FLOP = 2L * BATCH * SIDE * SIDE * MAPS * 9;
    /** The full-size maps: 128 x 32 x 28 x 28 floats. */
    static final long MAPS_FLOATS = (long) BATCH * MAPS * SIDE * SIDE;
    /** Pooling forward: read the maps, write the pooled maps and their arg-max (a quarter each). */
    static final long POOL_FORWARD_BYTES = 4L * MAPS_FLOATS * 3 / 2;
    /** Pooling backward: read dOut and arg-max (a quarter each), write dx. */
    static final long POOL_BACKWARD_BYTES = 4L * MAPS_FLOATS * 3 / 2;
    /** Upsampling either way: read a quarter, write the whole (or the reverse). */
    static final long UPSAMPLE_BYTES = 4L * MAPS_FLOATS * 5 / 4;
    private static final double GIGA = 1e-9;

    @Param({"cpu"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend be;
    private Tensor images;
    private Tensor wEncoder;
    private Tensor bEncoder;
    private Tensor maps;
    private Tensor mapsDeriv;
    private Tensor pooled;
    private Tensor argmax;
    private Tensor dPooled;
    private Tensor dMaps;
    private Tensor upsampled;
    private Tensor wDecoder;
    private Tensor bDecoder;
    private Tensor reconstruction;
    private Tensor reconstructionDeriv;
    private Tensor dReconstruction;
    private Tensor dwEncoder;
    private Tensor dbEncoder;
    private Tensor dwDecoder;
    private Tensor dbDecoder;
    private Tensor dUpsampled;

    @Setup(Level.Trial)
    public void setup() {
        be = BenchBackends.open(backend, threads);
        SplittableRandom rnd = new SplittableRandom(42);
        images = uniform(rnd, BATCH, ENCODER.inSize(), 0f, 1f);
        wEncoder = uniform(rnd, MAPS, ENCODER.patch(), -0.3f, 0.3f);
        bEncoder = uniform(rnd, 1, MAPS, -0.1f, 0.1f);
        maps = be.zeros(BATCH, ENCODER.outSize());
        mapsDeriv = be.zeros(BATCH, ENCODER.outSize());
        pooled = be.zeros(BATCH, ENCODER.outSize() / 4);
        argmax = be.zeros(BATCH, ENCODER.outSize() / 4);
        // a training forward leaves maps, deriv and arg-max as the backward ops find them
        be.conv2dForward(images, ENCODER, wEncoder, bEncoder, Activation.RELU, maps, mapsDeriv);
        be.maxPool2dForward(maps, MAPS, SIDE, SIDE, 2, pooled, argmax);
        dPooled = uniform(rnd, BATCH, ENCODER.outSize() / 4, -1f, 1f);
        dMaps = be.zeros(BATCH, ENCODER.outSize());
        upsampled = be.zeros(BATCH, DECODER.inSize());
        wDecoder = uniform(rnd, 1, DECODER.patch(), -0.06f, 0.06f);
        bDecoder = uniform(rnd, 1, 1, -0.06f, 0.06f);
        reconstruction = be.zeros(BATCH, DECODER.outSize());
        reconstructionDeriv = be.zeros(BATCH, DECODER.outSize());
        dReconstruction = uniform(rnd, BATCH, DECODER.outSize(), -1f, 1f);
        dwEncoder = be.zeros(MAPS, ENCODER.patch());
        dbEncoder = be.zeros(1, MAPS);
        dwDecoder = be.zeros(1, DECODER.patch());
        dbDecoder = be.zeros(1, 1);
        dUpsampled = be.zeros(BATCH, DECODER.inSize());
        be.upsample2dForward(pooled, MAPS, SIDE / 2, SIDE / 2, 2, upsampled);
        be.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** The encoder's training forward: 1 -> 32 maps, ReLU, writing the derivative. */
    @Benchmark
    public Tensor conv2dForwardEncoder(OpsBenchmark.Flops f) {
        be.conv2dForward(images, ENCODER, wEncoder, bEncoder, Activation.RELU, maps, mapsDeriv);
        be.synchronize();
        f.gflop += CONV_FLOP * GIGA;
        return maps;
    }

    /** The decoder's training forward: 32 maps -> 1, sigmoid, writing the derivative. */
    @Benchmark
    public Tensor conv2dForwardDecoder(OpsBenchmark.Flops f) {
        be.conv2dForward(upsampled, DECODER, wDecoder, bDecoder, Activation.SIGMOID, reconstruction,
                reconstructionDeriv);
        be.synchronize();
        f.gflop += CONV_FLOP * GIGA;
        return reconstruction;
    }

    /** The encoder's backward: dw and db only (a first layer needs no input gradient). */
    @Benchmark
    public Tensor conv2dBackwardEncoder(OpsBenchmark.Flops f) {
        be.conv2dBackward(images, ENCODER, wEncoder, dMaps, dwEncoder, dbEncoder, null);
        be.synchronize();
        f.gflop += CONV_FLOP * GIGA;
        return dwEncoder;
    }

    /** The decoder's backward: dw, db and the gradient of the upsampled maps. */
    @Benchmark
    public Tensor conv2dBackwardDecoder(OpsBenchmark.Flops f) {
        be.conv2dBackward(upsampled, DECODER, wDecoder, dReconstruction, dwDecoder, dbDecoder, dUpsampled);
        be.synchronize();
        f.gflop += 2 * CONV_FLOP * GIGA;
        return dUpsampled;
    }

    /** 2x2 max pooling of the 32 x 28 x 28 maps, with the arg-max. */
    @Benchmark
    public Tensor maxPool2dForward(OpsBenchmark.Bytes c) {
        be.maxPool2dForward(maps, MAPS, SIDE, SIDE, 2, pooled, argmax);
        be.synchronize();
        c.gbyte += POOL_FORWARD_BYTES * GIGA;
        return pooled;
    }

    /** Its backward: each window's gradient at its arg-max. */
    @Benchmark
    public Tensor maxPool2dBackward(OpsBenchmark.Bytes c) {
        be.maxPool2dBackward(dPooled, argmax, dMaps);
        be.synchronize();
        c.gbyte += POOL_BACKWARD_BYTES * GIGA;
        return dMaps;
    }

    /** The decoder's 2x upsampling of the 32 x 14 x 14 latent. */
    @Benchmark
    public Tensor upsample2dForward(OpsBenchmark.Bytes c) {
        be.upsample2dForward(pooled, MAPS, SIDE / 2, SIDE / 2, 2, upsampled);
        be.synchronize();
        c.gbyte += UPSAMPLE_BYTES * GIGA;
        return upsampled;
    }

    /** Its backward: each latent element sums its 2x2 block. */
    @Benchmark
    public Tensor upsample2dBackward(OpsBenchmark.Bytes c) {
        be.upsample2dBackward(dUpsampled, MAPS, SIDE / 2, SIDE / 2, 2, dPooled);
        be.synchronize();
        c.gbyte += UPSAMPLE_BYTES * GIGA;
        return dPooled;
    }

    private Tensor uniform(SplittableRandom rnd, int rows, int cols, float lo, float hi) {
        return OpsBenchmark.uniform(be, rnd, rows, cols, lo, hi);
    }
}
