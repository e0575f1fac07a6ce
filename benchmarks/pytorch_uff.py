#!/usr/bin/env python3
"""PyTorch reference of uff4j's models, to compare training speed on the same GPU or CPU (and accuracy as a check).

It mirrors, step by step, what uff4j does with its defaults (ModelSpecBuilder):

  dae (UFF, the default): one denoising-autoencoder cell 784 -> 1000 -> 784.
    corruption   each input element is zeroed with probability 0.1, the survivors get Gaussian noise of std 0.1
    encoder      ReLU(x_corrupted W + b)
    lifetime     while training, each unit (column) keeps its k largest activations over the mini-batch, the others
                 are zeroed; k = max(1, ceil(0.05 * rows)) computed in float32 (7 of 128, 5 of the last 96)
    decoder      sigmoid(h W' + b'), mean squared error against the clean input (mean over all elements)
    one AdamW step of the cell; then the latent of the CLEAN input through the updated encoder, ReLU then layer norm
    without affine parameters (eps 1e-5), detached, feeds a linear head trained with softmax cross-entropy (batch
    mean) and its own AdamW step.
  bp: the same encoder layer (ReLU, layer norm) and the same head trained end to end by back-propagation.

  AdamW lr 3e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 on weights only (uff4j decays no bias); cosine decay
  of the rate per step: step s of S (s from 0, S = epochs * ceil(n / batch)) uses lr * 0.5 * (1 + cos(pi * s / S)).
  Weights and biases start uniform in +-1/sqrt(fan_in) (nn.Linear's default, which uff4j copies). Batch 128, the last
  batch of an epoch is partial (60000 = 468 * 128 + 96); pixels are byte / 255 in float32; a new seeded shuffle
  each epoch. uff4j's own random streams (SplittableRandom, its counter-based noise) are not reproduced: runs agree in
  distribution, not bit for bit.

Speed: float32 throughout (TF32 off), the whole training set resident on the device, one timed region per epoch
(training only, synchronized before the clock is read); test accuracy after the last epoch. samples_per_second is
the training samples divided by the median epoch time.

Usage: python3 benchmarks/pytorch_uff.py --data DIR [--model ae|dae|bp] [--cells N] [--hidden H] [--batch B]
                                        [--epochs 10] [--device auto|cuda|cpu] [--threads T] [--json FILE]
       (--cells N: N cells of H units, each on the detached latent of the one below, the head on all latents; bp: N
       layers end to end; the ae cell is the dae without corruption. python3 benchmarks/pytorch_uff.py --help lists
       the rest; scripts/compare-cpu.sh runs it beside uff4j.)
       python3 benchmarks/pytorch_uff.py --data DIR --check-data     (reads the IDX files only; needs no PyTorch)
DIR is uff4j's data directory (holding mnist/) or the mnist folder itself; each file may be raw or .gz.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


class DataError(Exception):
    pass


def read_idx(path):
    """An IDX file (raw, or gzipped when the name ends in .gz) as a numpy uint8 array of its dimensions."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise DataError("%s: cannot read (%s)" % (path, e))
    if len(data) < 4:
        raise DataError("%s: %d bytes, too short for an IDX header" % (path, len(data)))
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08 or not 1 <= ndim <= 4:
        raise DataError("%s: not an unsigned-byte IDX file (header %s)" % (path, data[:4].hex()))
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError("%s: truncated header" % path)
    dims = struct.unpack(">" + "I" * ndim, data[4:header])
    expected = int(np.prod(dims, dtype=np.int64))
    if len(data) - header != expected:
        raise DataError("%s: %d data bytes, the header %s says %d" % (path, len(data) - header, dims, expected))
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def find_file(folder, name):
    for candidate in (os.path.join(folder, name), os.path.join(folder, name + ".gz")):
        if os.path.isfile(candidate):
            return candidate
    raise DataError("%s: missing (nor %s.gz); fetch MNIST with 'bin/uff4j data fetch --dataset mnist' or pass --data"
                    % (os.path.join(folder, name), name))


def load_mnist(data_dir, limit=0):
    """(train_x, train_y, test_x, test_y): pixels as float32 byte / 255, rows of 784; labels as int64."""
    folder = os.path.join(data_dir, "mnist") if os.path.isdir(os.path.join(data_dir, "mnist")) else data_dir
    arrays = {key: read_idx(find_file(folder, name)) for key, name in MNIST_FILES.items()}
    out = []
    for split in ("train", "test"):
        images, labels = arrays[split + "_images"], arrays[split + "_labels"]
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise DataError("%s: %s images do not match %s labels" % (folder, images.shape, labels.shape))
        if labels.max() > 9:
            raise DataError("%s: label %d outside 0..9" % (folder, labels.max()))
        x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255)  # exactly Java's b / 255f
        y = labels.astype(np.int64)
        if split == "train" and limit > 0:
            x, y = x[:limit], y[:limit]
        out += [x, y]
    return tuple(out)


def lifetime_winners(lifetime, rows):
    """uff4j's CellSpec.lifetimeWinners: max(1, (int) Math.ceil(lifetime * rows)) with a float32 product."""
    if lifetime == 0:
        return rows
    return max(1, math.ceil(float(np.float32(lifetime) * np.float32(rows))))


def cosine_scale(done, total):
    """uff4j's LrSchedule.COSINE.scale(done, total)."""
    if total <= 0:
        return 1.0
    t = min(1.0, done / total)
    return 0.5 * (1 + math.cos(math.pi * t))


def parse_args(argv):
    p = argparse.ArgumentParser(description="PyTorch reference of uff4j's default UFF (dae) and BP models on MNIST.")
    p.add_argument("--data", default=os.environ.get("UFF4J_DATA") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data"),
                   help="uff4j data directory (holding mnist/) or the mnist folder (default: $UFF4J_DATA, else data/)")
    p.add_argument("--model", choices=("ae", "dae", "bp"), default="dae",
                   help="ae, dae: UFF with --cells such cells; bp: the same encoders and head by back-propagation")
    p.add_argument("--cells", type=int, default=1, help="cells (bp: layers) of --hidden units")
    p.add_argument("--order", choices=("uff4j", "torch"), default="uff4j",
                   help="uff4j: the same shuffled order as uff4j's trainer (its seeded stream, replayed); torch: randperm")
    p.add_argument("--print-order", action="store_true", help="print the first 8 indices of the first epoch and stop")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--hidden", type=int, default=1000)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--lr-schedule", choices=("cosine", "constant"), default="cosine")
    p.add_argument("--lifetime-sparsity", type=float, default=0.05)
    p.add_argument("--noise-std", type=float, default=0.1)
    p.add_argument("--mask-prob", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--limit", type=int, default=0, help="train on the first N training samples only")
    p.add_argument("--device", default="auto", help="auto (cuda when available), cuda, cuda:N or cpu")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for --device cpu (default: PyTorch's)")
    p.add_argument("--no-fused", action="store_true", help="use the foreach AdamW instead of the fused one (CUDA)")
    p.add_argument("--json", help="write the results to this JSON file")
    p.add_argument("--check-data", action="store_true", help="only read and check the IDX files (no PyTorch needed)")
    a = p.parse_args(argv)
    for name in ("epochs", "batch", "hidden", "cells"):
        if getattr(a, name) < 1:
            p.error("--%s must be >= 1, got %d" % (name, getattr(a, name)))
    if not 0 <= a.lifetime_sparsity <= 1 or not 0 <= a.mask_prob < 1 or a.noise_std < 0 or a.limit < 0:
        p.error("need --lifetime-sparsity in [0, 1], --mask-prob in [0, 1), --noise-std >= 0, --limit >= 0")
    return a


def import_torch():
    try:
        import torch
    except ImportError as e:
        sys.exit("pytorch_uff.py: PyTorch is not installed for %s (%s); run it with a python3 that has torch"
                 % (sys.executable, e))
    return torch


def disable_tf32(torch):
    """Full float32 matrix products, as uff4j's cuBLAS path uses by default. Recent PyTorch refuses a mix of its
    new per-backend precision setting and the legacy flags, so only one of the two is touched."""
    matmul = torch.backends.cuda.matmul
    if hasattr(matmul, "fp32_precision"):
        matmul.fp32_precision = "ieee"
    else:
        matmul.allow_tf32 = False


def build(torch, args, device):
    """The layers and optimizers; returns (step, features_logits, optimizers, parameter_count).

    UFF (ae, dae): --cells cells, each an encoder 784 (then hidden) -> hidden and a decoder back, with its own AdamW;
    each trains on the latent of the cell below computed after that cell's step (the pipelined schedule), the latent
    being ReLU then layer norm of the clean input through the updated encoder, detached. The first cell reconstructs
    with a sigmoid, later ones with the identity (uff4j's defaults). A linear head reads every cell's latent side by
    side (with one cell, its latent) and has its own AdamW. bp: the same encoders (ReLU, layer norm) and head trained
    end to end."""
    nn, F = torch.nn, torch.nn.functional
    gen = torch.Generator().manual_seed(args.seed)

    def linear(n_in, n_out):
        layer = nn.Linear(n_in, n_out)
        bound = 1.0 / math.sqrt(n_in)
        with torch.no_grad():
            layer.weight.copy_(torch.empty(n_out, n_in).uniform_(-bound, bound, generator=gen))
            layer.bias.copy_(torch.empty(n_out).uniform_(-bound, bound, generator=gen))
        return layer.to(device)

    def adamw(layers):
        weights = [l.weight for l in layers]
        biases = [l.bias for l in layers]
        groups = [{"params": weights, "weight_decay": args.weight_decay}, {"params": biases, "weight_decay": 0.0}]
        kwargs = dict(lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
        if device.type == "cuda" and not args.no_fused:
            kwargs["fused"] = True
        elif "foreach" in torch.optim.AdamW.__init__.__code__.co_varnames:
            kwargs["foreach"] = True
        return torch.optim.AdamW(groups, **kwargs)

    def latent(encoder, x):
        return F.layer_norm(F.relu(encoder(x)), (args.hidden,), eps=1e-5)

    widths = [784] + [args.hidden] * args.cells
    encoders = [linear(widths[i], widths[i + 1]) for i in range(args.cells)]
    head = linear(args.hidden * args.cells, 10)
    layers = list(encoders) + [head]
    if args.model in ("ae", "dae"):
        decoders = [linear(widths[i + 1], widths[i]) for i in range(args.cells)]
        layers += decoders
        cell_opts = [adamw([encoders[i], decoders[i]]) for i in range(args.cells)]
        head_opt = adamw([head])
        optimizers = cell_opts + [head_opt]
        noisy_cells = args.model == "dae"

        def cell_step(i, x):
            n = x.shape[0]
            inp = x
            if noisy_cells:
                noisy = x + args.noise_std * torch.randn_like(x) if args.noise_std > 0 else x
                inp = torch.where(torch.rand_like(x) < args.mask_prob, torch.zeros_like(x), noisy)
            h = F.relu(encoders[i](inp))
            k = lifetime_winners(args.lifetime_sparsity, n)
            if k < n:
                winners = h.detach().topk(k, dim=0).indices
                h = h * torch.zeros_like(h).scatter_(0, winners, 1.0)
            out = decoders[i](h)
            reconstruction = torch.sigmoid(out) if i == 0 else out
            loss = F.mse_loss(reconstruction, x)
            cell_opts[i].zero_grad(set_to_none=True)
            loss.backward()
            cell_opts[i].step()
            return loss.detach()

        def step(x, y):
            latents = []
            inp = x
            cell_loss = None
            for i in range(args.cells):
                loss = cell_step(i, inp)
                cell_loss = loss if cell_loss is None else cell_loss + loss
                with torch.no_grad():
                    inp = latent(encoders[i], inp)
                latents.append(inp)
            z = latents[0] if args.cells == 1 else torch.cat(latents, dim=1)
            logits = head(z)
            head_loss = F.cross_entropy(logits, y)
            head_opt.zero_grad(set_to_none=True)
            head_loss.backward()
            head_opt.step()
            return cell_loss, head_loss.detach(), logits.detach()
    else:
        opt = adamw(layers)
        optimizers = [opt]

        def step(x, y):
            logits = features_logits(x)
            head_loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            head_loss.backward()
            opt.step()
            return None, head_loss.detach(), logits.detach()

    def features_logits(x):
        latents = []
        inp = x
        for e in encoders:
            inp = latent(e, inp)
            latents.append(inp)
        return head(latents[0] if args.cells == 1 else torch.cat(latents, dim=1))

    parameters = sum(p.numel() for l in layers for p in l.parameters())
    return step, features_logits, optimizers, parameters


MASK64 = (1 << 64) - 1


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def _mix32(z):
    z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
    return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32


def uff4j_seed(seed, part, index):
    """uff4j's Seeds.derive(seed, part, index), on 64-bit two's complement."""
    h = (seed ^ 0x9E3779B97F4A7C15) & MASK64
    for ch in part:
        h = _mix64((h + ord(ch)) & MASK64)
    return _mix64((h + index) & MASK64)


class JavaSplittableRandom:
    """java.util.SplittableRandom(seed): nextInt(bound) as JDK 17 draws it, so the shuffles equal uff4j's."""

    def __init__(self, seed):
        self.seed = seed & MASK64

    def next_int(self):
        self.seed = (self.seed + 0x9E3779B97F4A7C15) & MASK64
        r = _mix32(self.seed)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_bounded(self, bound):
        r = self.next_int()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # no int overflow in Java's u + m - r
                return r
            u = (self.next_int() & 0xFFFFFFFF) >> 1


def uff4j_orders(seed, n):
    """uff4j's epoch orders (Trainer, data.Shuffle): one Fisher-Yates per epoch from one seeded stream."""
    stream = JavaSplittableRandom(uff4j_seed(seed, "shuffle", 0))
    while True:
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = stream.next_bounded(i + 1)
            order[i], order[j] = order[j], order[i]
        yield order


def main(argv):
    args = parse_args(argv)
    try:
        train_x, train_y, test_x, test_y = load_mnist(args.data, args.limit)
    except DataError as e:
        sys.exit("pytorch_uff.py: %s" % e)
    if args.check_data:
        print("mnist: train %s %s, test %s %s, pixel mean %.6f, label counts %s" % (
            train_x.shape, train_x.dtype, test_x.shape, test_x.dtype, float(train_x.mean()),
            np.bincount(train_y, minlength=10).tolist()))
        return 0

    if args.print_order:
        print("order %s" % " ".join(str(i) for i in next(uff4j_orders(args.seed, train_x.shape[0]))[:8]))
        return 0
    torch = import_torch()
    if args.device == "auto":
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            device = torch.device(args.device)
        except RuntimeError as e:
            sys.exit("pytorch_uff.py: bad --device '%s': %s" % (args.device, e))
        if device.type == "cuda" and not torch.cuda.is_available():
            sys.exit("pytorch_uff.py: --device %s asked for, but PyTorch %s sees no CUDA device (built for CUDA %s)"
                     % (args.device, torch.__version__, torch.version.cuda))
    if device.type == "cpu" and args.threads > 0:
        torch.set_num_threads(args.threads)
    if device.type == "cuda" and device.index is None:
        device = torch.device("cuda", torch.cuda.current_device())
    if device.type == "cuda":
        torch.cuda.set_device(device)
        disable_tf32(torch)
        device_name = torch.cuda.get_device_name(device)
    else:
        device_name = "cpu, %d threads" % torch.get_num_threads()
    torch.manual_seed(args.seed)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    xs = torch.from_numpy(train_x).to(device)
    ys = torch.from_numpy(train_y).to(device)
    xt = torch.from_numpy(test_x).to(device)
    yt = torch.from_numpy(test_y).to(device)
    step, logits_of, optimizers, parameters = build(torch, args, device)
    shuffle = torch.Generator(device=device).manual_seed(args.seed + 1)
    orders = uff4j_orders(args.seed, xs.shape[0]) if args.order == "uff4j" else None

    n = xs.shape[0]
    steps_per_epoch = (n + args.batch - 1) // args.batch
    total_steps = args.epochs * steps_per_epoch
    print("pytorch %s: %s, %d cell(s) of %d, %d parameters, on mnist (%d train, %d test samples), %d epochs, batch %d, "
          "%s (%s)" % (torch.__version__, args.model, args.cells, args.hidden, parameters, n, xt.shape[0], args.epochs,
                       args.batch, device, device_name), flush=True)
    epoch_seconds = []
    done = 0
    for epoch in range(1, args.epochs + 1):
        cell_sum = torch.zeros((), device=device)
        head_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.int64)
        sync()
        t0 = time.perf_counter()
        if orders is not None:
            order = torch.tensor(next(orders), device=device)
        else:
            order = torch.randperm(n, device=device, generator=shuffle)
        for start in range(0, n, args.batch):
            scale = cosine_scale(done, total_steps) if args.lr_schedule == "cosine" else 1.0
            done += 1
            for opt in optimizers:
                for group in opt.param_groups:
                    group["lr"] = args.lr * scale
            idx = order[start:start + args.batch]
            xb, yb = xs[idx], ys[idx]
            cell_loss, head_loss, logits = step(xb, yb)
            if cell_loss is not None:
                cell_sum += cell_loss
            head_sum += head_loss
            correct += (logits.argmax(dim=1) == yb).sum()
        sync()
        seconds = time.perf_counter() - t0
        epoch_seconds.append(seconds)
        losses = ("cells %.4f " % (cell_sum.item() / steps_per_epoch)) if args.model != "bp" else ""
        print("epoch %d: %shead %.4f | train %.2f%% | %.3f s, %.0f samples/s" % (
            epoch, losses, head_sum.item() / steps_per_epoch, 100.0 * correct.item() / n, seconds, n / seconds),
            flush=True)

    with torch.no_grad():
        right = 0
        for start in range(0, xt.shape[0], 1000):
            right += int((logits_of(xt[start:start + 1000]).argmax(dim=1) == yt[start:start + 1000]).sum().item())
    accuracy = right / xt.shape[0]
    median = statistics.median(epoch_seconds)
    result = {
        "model": args.model,
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "epochs": args.epochs,
        "batch": args.batch,
        "hidden": args.hidden,
        "cells": args.cells,
        "parameters": parameters,
        "order": args.order,
        "threads": torch.get_num_threads(),
        "seed": args.seed,
        "train_samples": n,
        "test_samples": int(xt.shape[0]),
        "epoch_seconds": epoch_seconds,
        "median_epoch_seconds": median,
        "train_seconds": sum(epoch_seconds),
        "samples_per_second": n / median,
        "test_accuracy": accuracy,
        "device": str(device),
        "device_name": device_name,
        "fused_adamw": device.type == "cuda" and not args.no_fused,
        "tf32": False,
    }
    print("test accuracy: %.2f%% (%d test samples)" % (100 * accuracy, xt.shape[0]))
    print("train time: %.1f s, median epoch %.3f s, %.0f samples/s (median)" % (sum(epoch_seconds), median, n / median))
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        os.replace(args.json + ".tmp", args.json)
        print("wrote %s" % args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
