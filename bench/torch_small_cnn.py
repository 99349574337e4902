#!/usr/bin/env python3
"""PyTorch CPU (2 threads) reference for bench/ml.bench.ts: the same small CNN as src-main/ml/models/small-cnn.ts
(3 x [conv k7 no bias + BN + ReLU + max-pool 4/4/2], global average pool, 16-unit head), input 12 x 1000, batch 32.
Usage: torch_small_cnn.py SECONDS [EXPORT.onnx]. Prints one JSON line {trainSps, inferSps, params}."""
import json, sys, time
import torch
from torch import nn

torch.set_num_threads(2)
torch.manual_seed(0)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
CLASSES, BATCH = 4, 32

def block(cin, cout, pool):
    return [nn.Conv1d(cin, cout, 7, padding=3, bias=False), nn.BatchNorm1d(cout), nn.ReLU(), nn.MaxPool1d(pool)]

model = nn.Sequential(*block(12, 32, 4), *block(32, 64, 4), *block(64, 64, 2), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                      nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, CLASSES))
params = sum(p.numel() for p in model.parameters())
x = torch.randn(BATCH, 12, 1000)
y = (torch.rand(BATCH, CLASSES) < 0.3).float()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, amsgrad=True)
loss_fn = nn.BCEWithLogitsLoss()

def train_step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()

def timed(fn, secs):
    for _ in range(3):
        fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < secs:
        fn(); n += 1
    return n * BATCH / (time.perf_counter() - t0)

model.train()
train_sps = timed(train_step, seconds)
model.eval()
with torch.no_grad():
    infer_sps = timed(lambda: model(x), seconds)
if len(sys.argv) > 2:
    torch.onnx.export(nn.Sequential(model, nn.Sigmoid()), x, sys.argv[2], input_names=['ecg'], output_names=['prob'],
                      dynamic_axes={'ecg': {0: 'batch'}, 'prob': {0: 'batch'}}, opset_version=13)
print(json.dumps({'trainSps': train_sps, 'inferSps': infer_sps, 'params': params}))
