#!/usr/bin/env python3
"""Float64 reference for the `mlm` loss of models/bert.ir (Hugging Face BertForMaskedLM's head and loss).

Run by hand from the repository root (needs PyTorch, any recent version; not needed by the tests or CI):

    python3 bench/mlm_reference.py

It reads ../shared/reference/bert_tiny.safetensors (the BertModel weights) and
../shared/reference/bert_tiny_reference.safetensors (the inputs, and last_hidden_state to check the
hand-written forward against), draws seeded random head weights, and writes
test/fixtures/mlm_reference.safetensors (all float32; test/mlm.test.ts compares `bertc grad --loss mlm`
with it):

- the head weights: cls.predictions.transform.dense.{weight,bias} ([out, in] as nn.Linear),
  cls.predictions.transform.LayerNorm.{weight,bias}, cls.predictions.bias;
  the decoder is tied to embeddings.word_embeddings.weight, as BertForMaskedLM ties it;
- the inputs: input_ids, token_type_ids, attention_mask (those of the shared reference) and
  loss.labels (int32 [B, S]: a seeded third of the positions (14 of 32) hold the token id there,
  the rest -100; padded positions are -100);
- loss: CrossEntropyLoss(ignore_index=-100) over the logits, computed in float64, stored as f32 [1];
- grad.<name>: the float64 gradient of that loss for the cls.predictions.* params, the word
  embeddings (the sum of the lookup's and the tied decoder's gradient) and a few encoder params.

The forward follows Hugging Face: erf GELU, layer norm with biased variance and eps inside the
square root, the word lookup with padding_idx 0 (row 0 gets no gradient from it), padded keys get
float32's most negative value added to their score (as models/bert.ir; exp of it is 0 in float64
too), nn.Linear computes x @ W^T + b; dropout is off. Before writing anything it checks that this
forward reproduces last_hidden_state of the shared reference within 1e-6.
Run it with a Python that has torch (on the development machine: /usr/bin/python3).
Safetensors are parsed and written by hand (the `safetensors` package is not required).
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, '..', 'shared', 'reference')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'mlm_reference.safetensors')

NP_DTYPES = {'F32': np.float32, 'F64': np.float64, 'I32': np.int32, 'I64': np.int64}
ST_DTYPES = {np.dtype(np.float32): 'F32', np.dtype(np.int32): 'I32'}


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        lo, hi = info['data_offsets']
        a = np.frombuffer(raw[base + lo:base + hi], dtype=NP_DTYPES[info['dtype']]).reshape(info['shape'])
        out[name] = a.copy()
    return out


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': metadata}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        b = a.astype(a.dtype.newbyteorder('<'), copy=False).tobytes()
        header[name] = {'dtype': ST_DTYPES[a.dtype], 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


H, NH, L, EPS = 128, 2, 2, 1e-12
D = H // NH
F32_LOWEST = float(np.finfo(np.float32).min)


def linear(x, p, name):
    return x @ p[f'{name}.weight'].T + p[f'{name}.bias']


def layer_norm(x, p, name):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased
    return (x - mean) / torch.sqrt(var + EPS) * p[f'{name}.weight'] + p[f'{name}.bias']


def gelu(x):
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


def bert(p, input_ids, token_type_ids, attention_mask):
    B, S = input_ids.shape
    pos = torch.arange(S)
    # padding_idx 0 (HF's pad_token_id): the lookup gives row 0 no gradient, as nn.Embedding (input_ids holds a 0).
    words = torch.nn.functional.embedding(input_ids, p['embeddings.word_embeddings.weight'], padding_idx=0)
    x = words + p['embeddings.token_type_embeddings.weight'][token_type_ids] \
        + p['embeddings.position_embeddings.weight'][pos]
    x = layer_norm(x, p, 'embeddings.LayerNorm')
    bias = (1.0 - attention_mask.to(torch.float64)).reshape(B, 1, 1, S) * F32_LOWEST
    for l in range(L):
        e = f'encoder.layer.{l}'
        heads = lambda t: t.reshape(B, S, NH, D).permute(0, 2, 1, 3)
        q, k, v = (heads(linear(x, p, f'{e}.attention.self.{n}')) for n in ('query', 'key', 'value'))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + bias, dim=-1)
        ctx = (probs @ v).permute(0, 2, 1, 3).reshape(B, S, H)
        attn = layer_norm(linear(ctx, p, f'{e}.attention.output.dense') + x, p, f'{e}.attention.output.LayerNorm')
        inter = gelu(linear(attn, p, f'{e}.intermediate.dense'))
        x = layer_norm(linear(inter, p, f'{e}.output.dense') + attn, p, f'{e}.output.LayerNorm')
    return x


def mlm_loss(p, hidden, labels):
    h = gelu(linear(hidden, p, 'cls.predictions.transform.dense'))
    h = layer_norm(h, p, 'cls.predictions.transform.LayerNorm')
    logits = h @ p['embeddings.word_embeddings.weight'].T + p['cls.predictions.bias']  # tied decoder
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)


def main():
    weights = read_safetensors(os.path.join(SHARED, 'bert_tiny.safetensors'))
    ref = read_safetensors(os.path.join(SHARED, 'bert_tiny_reference.safetensors'))
    V = weights['embeddings.word_embeddings.weight'].shape[0]

    g = torch.Generator().manual_seed(20240611)
    randn = lambda *shape: torch.randn(*shape, generator=g, dtype=torch.float64)
    head = {
        'cls.predictions.transform.dense.weight': randn(H, H) * 0.08,
        'cls.predictions.transform.dense.bias': randn(H) * 0.1,
        'cls.predictions.transform.LayerNorm.weight': 1.0 + randn(H) * 0.1,
        'cls.predictions.transform.LayerNorm.bias': randn(H) * 0.1,
        'cls.predictions.bias': randn(V) * 0.1,
    }
    # Round the head weights to float32 first, so that bertc (reading the f32 fixture) sees the same values.
    head = {k: v.to(torch.float32).to(torch.float64) for k, v in head.items()}

    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in weights.items()}
    p.update({k: v.clone().requires_grad_(True) for k, v in head.items()})

    input_ids = torch.tensor(ref['input_ids'], dtype=torch.int64)
    token_type_ids = torch.tensor(ref['token_type_ids'], dtype=torch.int64)
    attention_mask = torch.tensor(ref['attention_mask'], dtype=torch.int64)

    hidden = bert(p, input_ids, token_type_ids, attention_mask)
    worst = (hidden.detach() - torch.tensor(ref['last_hidden_state'], dtype=torch.float64)).abs().max().item()
    print(f'hand-written forward vs last_hidden_state of bert_tiny_reference: max abs {worst:.3e}')
    if worst > 1e-6:
        sys.exit('the hand-written forward does not reproduce the reference (> 1e-6): not writing the fixture')

    # About a third of the positions carry the token id found there; the rest, and every padded
    # position, are ignored (-100).
    pick = torch.rand(input_ids.shape, generator=g) < 1 / 3
    labels = torch.where(pick & (attention_mask == 1), input_ids, torch.full_like(input_ids, -100))
    assert (labels[attention_mask == 0] == -100).all() and (attention_mask == 0).any()

    loss = mlm_loss(p, hidden, labels)
    loss.backward()
    counted = int((labels != -100).sum())
    print(f'loss = {loss.item():.10f} over {counted} of {labels.numel()} positions')

    grads = [*head, 'embeddings.word_embeddings.weight', 'embeddings.LayerNorm.weight',
             'encoder.layer.0.attention.self.query.weight', 'encoder.layer.1.output.dense.bias']
    out = {k: v.numpy().astype(np.float32) for k, v in head.items()}
    out.update({k: ref[k].astype(np.int32) for k in ('input_ids', 'token_type_ids', 'attention_mask')})
    out['loss.labels'] = labels.numpy().astype(np.int32)
    out['loss'] = np.array([loss.item()], dtype=np.float32)
    for k in grads:
        out[f'grad.{k}'] = p[k].grad.numpy().astype(np.float32)
    write_safetensors(OUT, out, {'producer': 'bench/mlm_reference.py', 'loss_f64': repr(loss.item()), 'torch': torch.__version__})
    print(f'wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
