#!/usr/bin/env python3
"""Makes the committed ONNX test model: a tiny seeded PyTorch 1D CNN exported to ONNX, its model card, and
PyTorch's probabilities on the first 0.5 s of the real record JS00001 (raw millivolts, no filtering).
Also writes a deliberately wrong card (class count disagrees with the graph) for the error test.
Run: /usr/bin/python3 scripts/make-onnx-fixture.py"""
import json, os
import numpy as np
import scipy.io
import torch

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'tests', 'fixtures', 'ml', 'onnx')
os.makedirs(out, exist_ok=True)
torch.manual_seed(7)
LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']
CLASSES = ['426177001', '426783006', '164889003']
N = 250

model = torch.nn.Sequential(
    torch.nn.Conv1d(12, 8, 7, padding=3), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.MaxPool1d(4),
    torch.nn.Conv1d(8, 8, 5, padding=2), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool1d(1), torch.nn.Flatten(),
    torch.nn.Linear(8, len(CLASSES)), torch.nn.Sigmoid())
with torch.no_grad():  # non-trivial batch-norm statistics
    model[1].running_mean.uniform_(-0.1, 0.1); model[1].running_var.uniform_(0.5, 2.0)
model.eval()

mat = scipy.io.loadmat(os.path.join(root, '..', 'shared', 'data', 'cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010', 'JS00001.mat'))
x = (mat['val'][:, :N].astype(np.float32) / 1000.0)[None]  # gain 1000/mV, baseline 0
torch.onnx.export(model, torch.from_numpy(x), os.path.join(out, 'tiny-cnn.onnx'), input_names=['ecg'], output_names=['prob'],
                  dynamic_axes={'ecg': {0: 'batch'}, 'prob': {0: 'batch'}}, opset_version=13)
with torch.no_grad():
    p = model(torch.from_numpy(x)).numpy()[0]
card = {'name': 'tiny-cnn fixture', 'classes': CLASSES, 'samplingRate': 500, 'inputLength': N, 'leads': LEADS,
        'layout': 'leads-first', 'output': 'probabilities', 'normalisation': {'zscore': False, 'bandpass': None}}
json.dump(card, open(os.path.join(out, 'tiny-cnn.card.json'), 'w'), indent=2)
json.dump({**card, 'classes': CLASSES + ['427084000']}, open(os.path.join(out, 'wrong-classes.card.json'), 'w'), indent=2)
json.dump({'record': 'JS00001', 'probabilities': p.tolist(), 'input00': float(x[0, 0, 0])}, open(os.path.join(out, 'tiny-cnn.expected.json'), 'w'), indent=2)
print('wrote', out, p)
