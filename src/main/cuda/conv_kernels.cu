// Convolution, max pooling and nearest-neighbour upsampling on images stored one per row, channel-major (C planes
// of H x W, row-major). CPU reference: ConvKernels in dev.uff4j.backend.cpu, kernel by kernel. A convolution is
// lowered per chunk of m samples: im2col builds cols (patch x m·P, P = outH·outW, sample-major columns), the
// backend's GEMM gives Z = w·cols (outC x m·P), conv_bias_activation copies Z into the output rows. The backward
// lays dz out as Zd (outC x m·P, conv_gather_dz), takes dw = Zd·colsᵀ and dcols = wᵀ·Zd through the GEMM, and
// col2im gathers dcols into dx. Every sum runs in a fixed order; no atomics.
#pragma once
#include "common.cuh"
#include "dense_kernels.cu"

// ConvKernels.Im2col. One thread per element of cols (taps x m·P): cols[r][s·P + oh·outW + ow] is the input of
// chunk sample s under tap r = (c, i, j) at (oh·stride - pad + i, ow·stride - pad + j), 0 in the padding. x points
// at the chunk's first sample.
UFF_KERNEL void im2col(const float* __restrict__ x, float* __restrict__ cols, int samples, int channels, int height,
                       int width, int kernel, int stride, int pad, int outH, int outW) {
    const long long positions = (long long) outH * outW;
    const long long columns = positions * samples;
    const long long total = columns * channels * kernel * kernel;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= total) {
        return;
    }
    const int r = (int) (e / columns);
    const long long q = e - (long long) r * columns;
    const int s = (int) (q / positions);
    const int p = (int) (q - (long long) s * positions);
    const int oh = p / outW;
    const int ow = p - oh * outW;
    const int c = r / (kernel * kernel);
    const int i = (r / kernel) % kernel;
    const int j = r % kernel;
    const int h = oh * stride - pad + i;
    const int w = ow * stride - pad + j;
    float v = 0.0f;
    if (h >= 0 && h < height && w >= 0 && w < width) {
        v = x[((long long) s * channels + c) * height * width + (long long) h * width + w];
    }
    cols[e] = v;
}

// ConvKernels.BiasActivation. One thread per output element of the chunk (m x outC·P): out = act(z + b[o]) and
// d = act'(.) from Z (outC x m·P); out and d point at the chunk's first sample, d may be null.
UFF_KERNEL void conv_bias_activation(const float* __restrict__ z, const float* __restrict__ b, float* __restrict__ out,
                                     float* __restrict__ d, int samples, int outChannels, int positions, int act) {
    const long long outSize = (long long) outChannels * positions;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= outSize * samples) {
        return;
    }
    const int s = (int) (e / outSize);
    const long long rem = e - (long long) s * outSize;
    const int o = (int) (rem / positions);
    const int p = (int) (rem - (long long) o * positions);
    const long long columns = (long long) samples * positions;
    float deriv;
    const float y = activate(act, z[o * columns + (long long) s * positions + p] + b[o], &deriv);
    out[e] = y;
    if (d != nullptr) {
        d[e] = deriv;
    }
}

// ConvKernels.GatherDz. One thread per element: zd[o][s·P + p] = dz[s][o·P + p] for the chunk's m samples
// (dz points at the chunk's first sample).
UFF_KERNEL void conv_gather_dz(const float* __restrict__ dz, float* __restrict__ zd, int samples, int outChannels,
                               int positions) {
    const long long outSize = (long long) outChannels * positions;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= outSize * samples) {
        return;
    }
    const int s = (int) (e / outSize);
    const long long rem = e - (long long) s * outSize;
    const int o = (int) (rem / positions);
    const int p = (int) (rem - (long long) o * positions);
    zd[o * ((long long) samples * positions) + (long long) s * positions + p] = dz[e];
}

// ConvKernels.Col2im, as a gather. One thread per element of dx for the chunk (m x C·H·W; dx points at the chunk's
// first sample): the sum, over taps (i, j) in that order, of dcols[(c, i, j)][s·P + oh·outW + ow] for the output
// position (oh, ow) whose tap (i, j) lies on (h, w), started from 0 as the CPU's zeroed plane.
UFF_KERNEL void col2im(const float* __restrict__ dcols, float* __restrict__ dx, int samples, int channels,
                       int height, int width, int kernel, int stride, int pad, int outH, int outW) {
    const long long plane = (long long) height * width;
    const long long inSize = plane * channels;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= inSize * samples) {
        return;
    }
    const int s = (int) (e / inSize);
    const long long rem = e - (long long) s * inSize;
    const int c = (int) (rem / plane);
    const int hw = (int) (rem - (long long) c * plane);
    const int h = hw / width;
    const int w = hw - h * width;
    const long long positions = (long long) outH * outW;
    const long long columns = positions * samples;
    float sum = 0.0f;
    for (int i = 0; i < kernel; ++i) {
        const int th = h + pad - i;  // = oh·stride
        if (th < 0 || th % stride != 0 || th / stride >= outH) {
            continue;
        }
        const int oh = th / stride;
        for (int j = 0; j < kernel; ++j) {
            const int tw = w + pad - j;  // = ow·stride
            if (tw < 0 || tw % stride != 0 || tw / stride >= outW) {
                continue;
            }
            const int ow = tw / stride;
            const long long r = ((long long) c * kernel + i) * kernel + j;
            sum += dcols[r * columns + (long long) s * positions + (long long) oh * outW + ow];
        }
    }
    dx[e] = sum;
}

// ConvKernels.BiasGrad. One block per output channel o (blockDim.x = 256): db[o] = Σ over rows and positions of
// dz[r][o·P + p], summed in double in a fixed tree (block_sum) and rounded once.
UFF_KERNEL void conv_bias_grad(const float* __restrict__ dz, float* __restrict__ db, int rows, int outChannels,
                               int positions) {
    __shared__ double scratch[32];
    const int o = blockIdx.x;
    const long long outSize = (long long) outChannels * positions;
    const long long total = (long long) rows * positions;
    double sum = 0.0;
    for (long long t = threadIdx.x; t < total; t += blockDim.x) {
        const long long r = t / positions;
        const long long p = t - r * positions;
        sum += dz[r * outSize + (long long) o * positions + p];
    }
    sum = block_sum(sum, scratch);
    if (threadIdx.x == 0) {
        db[o] = (float) sum;
    }
}

// ConvKernels.MaxPoolForward. One thread per output element (rows x C·(H/size)·(W/size)): the window's largest
// input, the first in row-major order on ties, and its index within the input row as a float.
UFF_KERNEL void max_pool_forward(const float* __restrict__ x, float* __restrict__ out, float* __restrict__ argmax,
                                 int rows, int channels, int height, int width, int size) {
    const int outH = height / size;
    const int outW = width / size;
    const long long outPlane = (long long) outH * outW;
    const long long outSize = outPlane * channels;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= outSize * rows) {
        return;
    }
    const long long s = e / outSize;
    const long long rem = e - s * outSize;
    const int c = (int) (rem / outPlane);
    const int p = (int) (rem - (long long) c * outPlane);
    const int oh = p / outW;
    const int ow = p - oh * outW;
    const float* row = x + s * ((long long) channels * height * width);
    const int planeIndex = c * height * width;
    int best = planeIndex + oh * size * width + ow * size;
    float max = row[best];
    for (int i = 0; i < size; ++i) {
        const int rowIndex = planeIndex + (oh * size + i) * width + ow * size;
        for (int j = 0; j < size; ++j) {
            const float v = row[rowIndex + j];
            if (v > max) {
                max = v;
                best = rowIndex + j;
            }
        }
    }
    out[e] = max;
    argmax[e] = (float) best;
}

// ConvKernels.MaxPoolBackward. dx must be zeroed first (the host does, on the stream). One thread per element of
// dOut: dx[r][argmax[r][j]] = dOut[r][j]. The forward's windows do not overlap, so each element of dx is written by
// at most one thread: no race, and the same values as the CPU's +=. An arg-max that is not an index into the row
// is not written; the first found goes to the error record {set, row, bits of the value, inCols, op}.
UFF_KERNEL void max_pool_backward(const float* __restrict__ dOut, const float* __restrict__ argmax,
                                  float* __restrict__ dx, int rows, int outCols, int inCols, int* error) {
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= (long long) rows * outCols) {
        return;
    }
    const int r = (int) (e / outCols);
    const float v = argmax[e];
    const int index = (int) v;
    if ((float) index != v || index < 0 || index >= inCols) {
        record_error(error, r, v, inCols, OP_MAX_POOL_BACKWARD);
        return;
    }
    dx[(long long) r * inCols + index] = dOut[e];
}

// ConvKernels.Upsample, forward. One thread per element of out (rows x C·(H·f)·(W·f)): the input pixel whose
// f x f block it lies in.
UFF_KERNEL void upsample_forward(const float* __restrict__ x, float* __restrict__ out, int rows, int channels,
                                 int height, int width, int factor) {
    const int largeW = width * factor;
    const long long largePlane = (long long) height * factor * largeW;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= largePlane * channels * rows) {
        return;
    }
    const long long planeIndex = e / largePlane;  // sample · channels + channel
    const int q = (int) (e - planeIndex * largePlane);
    const int lh = q / largeW;
    const int lw = q - lh * largeW;
    out[e] = x[planeIndex * height * width + (long long) (lh / factor) * width + lw / factor];
}

// ConvKernels.Upsample, backward. One thread per element of dx (rows x C·H·W): the sum of its f x f block of dOut
// in (i, j) order, started from 0 as on the CPU.
UFF_KERNEL void upsample_backward(const float* __restrict__ dOut, float* __restrict__ dx, int rows, int channels,
                                  int height, int width, int factor) {
    const long long plane = (long long) height * width;
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= plane * channels * rows) {
        return;
    }
    const long long planeIndex = e / plane;
    const int q = (int) (e - planeIndex * plane);
    const int h = q / width;
    const int w = q - h * width;
    const int largeW = width * factor;
    const float* top = dOut + planeIndex * plane * factor * factor + (long long) h * factor * largeW
                       + (long long) w * factor;
    float sum = 0.0f;
    for (int i = 0; i < factor; ++i) {
        for (int j = 0; j < factor; ++j) {
            sum += top[(long long) i * largeW + j];
        }
    }
    dx[e] = sum;
}
