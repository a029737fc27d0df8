#!/usr/bin/env python3
"""One BERT training step in PyTorch eager, float32: the peer of `bertc bench --step --loss probe`.

The model is written by hand (no `transformers`), op for op what models/bert.ir computes for
`--config base --set L=1,V=1024`: embeddings (word, position, token type, layer norm), L encoder
layers (hidden 768, 12 heads, intermediate 3072, erf GELU, layer-norm eps 1e-12, attention mask
added as (1 - mask) * the lowest float32), and the pooler (dense + tanh on token 0). Then the
`probe` loss of models/bert.ir, sum(last_hidden_state * R) + sum(pooler_output * R2), its
backward, and one torch.optim.AdamW step (lr 1e-3, weight decay 0.01, default betas and eps).
Dropout is off, as in `bertc grad` without --train (the reference's training check uses p = 0).
The word embeddings have padding_idx 0 (no gradient to row 0), as the IR's gather and nn.Embedding.

Usage (Debian: apt-get install -y python3-torch libopenblas0-pthread):
  python3 train_step_torch.py --batch 8 [--seq 128] [--threads 2] [--steps 10]
      one JSON line on stdout: {"B", "S", "threads", "median_ms", "runs", "torch", ...};
      the BLAS torch uses (from torch.__config__.show() and OpenBLAS itself) on stderr
  python3 train_step_torch.py --params
      the parameters as JSON [[name, shape], ...] (for comparing with `bertc print`)
  python3 train_step_torch.py --check-reference ../../shared/reference
      the hand-written model on bert_tiny's weights against the float64 Hugging Face reference:
      outputs, the probe loss and every parameter's gradient
"""
import argparse
import json
import os
import re
import struct
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batch', type=int, default=1, help='B (default 1)')
    p.add_argument('--seq', type=int, default=128, help='S (default 128)')
    p.add_argument('--threads', type=int, default=2, help='torch.set_num_threads and OpenBLAS threads (default 2)')
    p.add_argument('--steps', type=int, default=10, help='timed steps after 3 warm-ups (default 10)')
    p.add_argument('--warmup', type=int, default=3, help='untimed steps first (default 3)')
    p.add_argument('--layers', type=int, default=1, help='L (default 1)')
    p.add_argument('--vocab', type=int, default=1024, help='V (default 1024)')
    p.add_argument('--seed', type=int, default=0, help='seed of the random weights and inputs')
    p.add_argument('--params', action='store_true', help='print the parameters [[name, shape], ...] and exit')
    p.add_argument('--check-reference', metavar='DIR', help='check against DIR/bert_tiny*.safetensors and exit')
    a = p.parse_args()
    for k in ('batch', 'seq', 'threads', 'steps', 'layers', 'vocab'):
        if getattr(a, k) <= 0:
            p.error(f'--{k} wants a positive integer, got {getattr(a, k)}')
    return a


args = parse_args()
# OpenBLAS (Debian's libopenblas0-pthread) keeps its own thread pool, which torch.set_num_threads
# does not size: set it before torch loads the library.
os.environ['OPENBLAS_NUM_THREADS'] = str(args.threads)
os.environ['OMP_NUM_THREADS'] = str(args.threads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# config base of models/bert.ir
BASE = dict(V=30522, P=512, T=2, H=768, NH=12, I=3072, L=12, eps=1e-12)


def param_shapes(c):
    """[(HF state-dict name, shape)] in the order models/bert.ir declares them."""
    H, I = c['H'], c['I']
    out = [
        ('embeddings.word_embeddings.weight', (c['V'], H)),
        ('embeddings.position_embeddings.weight', (c['P'], H)),
        ('embeddings.token_type_embeddings.weight', (c['T'], H)),
        ('embeddings.LayerNorm.weight', (H,)),
        ('embeddings.LayerNorm.bias', (H,)),
    ]
    for l in range(c['L']):
        p = f'encoder.layer.{l}.'
        for n in ('attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense'):
            out += [(p + n + '.weight', (H, H)), (p + n + '.bias', (H,))]
        out += [(p + 'attention.output.LayerNorm.weight', (H,)), (p + 'attention.output.LayerNorm.bias', (H,))]
        out += [(p + 'intermediate.dense.weight', (I, H)), (p + 'intermediate.dense.bias', (I,))]
        out += [(p + 'output.dense.weight', (H, I)), (p + 'output.dense.bias', (H,))]
        out += [(p + 'output.LayerNorm.weight', (H,)), (p + 'output.LayerNorm.bias', (H,))]
    out += [('pooler.dense.weight', (H, H)), ('pooler.dense.bias', (H,))]
    return out


def bert(w, c, input_ids, token_type_ids, attention_mask):
    """models/bert.ir's `model bert`: returns (last_hidden_state [B,S,H], pooler_output [B,H])."""
    B, S = input_ids.shape
    H, NH, eps = c['H'], c['NH'], c['eps']
    D = H // NH
    dtype = w['pooler.dense.weight'].dtype
    # mask_bias = (1 - keep) * lowest: [B, 1, 1, S]
    keep = attention_mask.reshape(B, 1, 1, S).to(dtype)
    mask_bias = (1.0 - keep) * torch.finfo(dtype).min

    def ln(x, p):
        return F.layer_norm(x, (H,), w[p + '.weight'], w[p + '.bias'], eps)

    def lin(x, p):
        return F.linear(x, w[p + '.weight'], w[p + '.bias'])

    def split(x):  # [B, S, H] -> [B, NH, S, D]
        return x.reshape(B, S, NH, D).permute(0, 2, 1, 3)

    position_ids = torch.arange(S, dtype=input_ids.dtype)
    x = (F.embedding(input_ids, w['embeddings.word_embeddings.weight'], padding_idx=0)
         + F.embedding(token_type_ids, w['embeddings.token_type_embeddings.weight'])
         + F.embedding(position_ids, w['embeddings.position_embeddings.weight']))
    hidden = ln(x, 'embeddings.LayerNorm')  # dropout: identity
    for l in range(c['L']):
        p = f'encoder.layer.{l}.'
        q = split(lin(hidden, p + 'attention.self.query'))
        k = split(lin(hidden, p + 'attention.self.key'))
        v = split(lin(hidden, p + 'attention.self.value'))
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1 / D ** 0.5) + mask_bias
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(B, S, H)
        attn = ln(lin(ctx, p + 'attention.output.dense') + hidden, p + 'attention.output.LayerNorm')
        inter = F.gelu(lin(attn, p + 'intermediate.dense'))  # erf GELU (approximate='none')
        hidden = ln(lin(inter, p + 'output.dense') + attn, p + 'output.LayerNorm')
    first = hidden[:, 0]
    pooled = torch.tanh(lin(first, 'pooler.dense'))
    return hidden, pooled


def probe(last, pooled, R, R2):
    """models/bert.ir's `loss probe`."""
    return (last * R).sum() + (pooled * R2).sum()


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    body = memoryview(data)[8 + n:]
    dtypes = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'I64': torch.int64}
    out = {}
    for name, t in header.items():
        if name == '__metadata__':
            continue
        a, b = t['data_offsets']
        out[name] = torch.frombuffer(bytearray(body[a:b]), dtype=dtypes[t['dtype']]).reshape(t['shape'])
    return out


def check_reference(folder):
    """Float32 forward, probe loss and gradients on bert_tiny against the float64 HF reference."""
    cfg = json.load(open(os.path.join(folder, 'bert_tiny_config.json')))
    c = dict(V=cfg['vocab_size'], P=cfg['max_position_embeddings'], T=cfg['type_vocab_size'], H=cfg['hidden_size'],
             NH=cfg['num_attention_heads'], I=cfg['intermediate_size'], L=cfg['num_hidden_layers'], eps=cfg['layer_norm_eps'])
    weights = read_safetensors(os.path.join(folder, 'bert_tiny.safetensors'))
    ref = read_safetensors(os.path.join(folder, 'bert_tiny_reference.safetensors'))
    names = [n for n, _ in param_shapes(c)]
    if sorted(names) != sorted(weights):
        raise SystemExit(f'parameter names differ from bert_tiny.safetensors: {sorted(set(names) ^ set(weights))}')
    w = {n: torch.nn.Parameter(weights[n].clone()) for n in names}
    ids, tt, mask = (ref[k].long() for k in ('input_ids', 'token_type_ids', 'attention_mask'))
    last, pooled = bert(w, c, ids, tt, mask)
    loss = probe(last, pooled, ref['loss.R'], ref['loss.R2'])
    loss.backward()

    def err(a, b):
        return (a.double() - b.double()).abs().max().item()

    rows = [('last_hidden_state', err(last, ref['last_hidden_state']), 1.0),
            ('pooler_output', err(pooled, ref['pooler_output']), 1.0),
            ('loss', err(loss.reshape(1), ref['loss']), ref['loss'].abs().max().item())]
    for n in names:
        g, r = w[n].grad, ref['grad.' + n]
        rows.append(('grad.' + n, err(g, r), r.abs().max().item()))
    # Gradients are compared relative to their tensor's largest magnitude, floored at 1e-3: the
    # attention key biases' gradient is exactly 0 (softmax ignores the per-query shift q.b_k).
    worst = 0.0
    for name, e, scale in rows:
        rel = e if name in ('last_hidden_state', 'pooler_output') else e / max(scale, 1e-3)
        worst = max(worst, rel)
        print(f'{name:60s} max abs err {e:.3e}' + (f'  (max |ref| {scale:.3e}: {rel:.2e})' if scale != 1.0 else ''))
    ok = worst < 1e-4
    print(f'reference check: {"ok" if ok else "FAILED"}: worst {worst:.2e} (outputs absolute; loss and gradients '
          'relative to their largest magnitude, floored at 1e-3; bound 1e-4)')
    return 0 if ok else 1


def blas_summary(threads):
    """Which BLAS torch calls for float32 GEMMs, and with how many threads."""
    show = torch.__config__.show()
    m = re.search(r'BLAS_INFO=([^,\s]+)', show)
    parts = [f'torch BLAS_INFO={m.group(1) if m else "?"}']
    if 'MKL-DNN' in show:
        parts.append('float32 mm calls sgemm_ of libblas.so.3, not oneDNN')
    try:
        import ctypes
        # torch's libblas.so.3 resolves to the libopenblas loaded with it; dlopen returns that copy.
        ob = ctypes.CDLL('libopenblas.so.0')
        ob.openblas_get_config.restype = ctypes.c_char_p
        ob.openblas_get_corename.restype = ctypes.c_char_p
        parts.append(f'{ob.openblas_get_config().decode().strip()} (core {ob.openblas_get_corename().decode()}, '
                     f'parallel={ob.openblas_get_parallel()} [1 pthreads, 2 OpenMP], {ob.openblas_get_num_threads()} threads)')
    except (OSError, AttributeError) as e:
        parts.append(f'OpenBLAS not found ({e})')
    try:
        libblas = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
        parts.append(f'libblas.so.3 -> {libblas}')
    except OSError:
        pass
    parts.append(f'at::get_num_threads()={torch.get_num_threads()} of {threads} asked')
    return '; '.join(parts)


def bench(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    c = dict(BASE, L=a.layers, V=a.vocab)
    if a.seq > c['P']:
        raise SystemExit(f'--seq {a.seq} is longer than the {c["P"]} position embeddings')
    B, S, H = a.batch, a.seq, c['H']
    w = {}
    for n, shape in param_shapes(c):
        t = 0.02 * torch.randn(shape)  # BERT's initializer range; layer-norm scales around 1
        w[n] = torch.nn.Parameter(t + 1 if n.endswith('LayerNorm.weight') else t)
    input_ids = torch.randint(0, c['V'], (B, S))
    token_type_ids = torch.randint(0, c['T'], (B, S))
    attention_mask = torch.ones(B, S, dtype=torch.long)
    R = torch.randn(B, S, H)
    R2 = torch.randn(B, H)
    params = list(w.values())
    try:
        opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01, foreach=False)
        adamw = 'AdamW foreach=False (the single-tensor loop)'
    except TypeError:
        opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)
        adamw = 'AdamW default (this torch has no foreach argument)'

    def step():
        opt.zero_grad(set_to_none=True)
        last, pooled = bert(w, c, input_ids, token_type_ids, attention_mask)
        loss = probe(last, pooled, R, R2)
        loss.backward()
        opt.step()
        return loss

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    blas = blas_summary(a.threads)
    print(f'torch {torch.__version__}: {blas}; {adamw}', file=sys.stderr)
    print(json.dumps({
        'B': B, 'S': S, 'threads': a.threads,
        'median_ms': times[len(times) // 2],  # the upper median of an even count, as bench/options.mjs
        'min_ms': times[0], 'runs': a.steps, 'torch': torch.__version__,
        'params': sum(p.numel() for p in params), 'blas': blas, 'optimizer': adamw,
    }))
    return 0


def main():
    if args.params:
        c = dict(BASE, L=args.layers, V=args.vocab)
        print(json.dumps([[n, list(s)] for n, s in param_shapes(c)]))
        return 0
    if args.check_reference:
        torch.set_num_threads(args.threads)
        return check_reference(args.check_reference)
    return bench(args)


if __name__ == '__main__':
    sys.exit(main())
