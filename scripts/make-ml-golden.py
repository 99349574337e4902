#!/usr/bin/env python3
"""Writes tests/fixtures/ml/golden.json: reference values from scikit-learn, PyTorch and the official
CinC 2021 scoring formula for LeadLens's ML metrics, losses and optimiser. Run: /usr/bin/python3 scripts/make-ml-golden.py"""
import json, os
import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score, average_precision_score
from sklearn.calibration import calibration_curve

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rng = np.random.default_rng(20211)
out = {}

# --- classification metrics on 120 records x 5 classes (scores rounded to 2 decimals so ties occur)
n, k = 120, 5
labels = (rng.random((n, k)) < np.array([0.1, 0.3, 0.5, 0.2, 0.08])).astype(int)
probs = np.clip(labels * 0.35 + rng.random((n, k)) * 0.65, 0, 1).round(2)
outputs = (probs >= 0.5).astype(int)
out['classification'] = {
    'labels': labels.tolist(), 'probs': probs.tolist(), 'outputs': outputs.tolist(),
    'f1PerClass': f1_score(labels, outputs, average=None, zero_division=0).tolist(),
    'macroF1': f1_score(labels, outputs, average='macro', zero_division=0),
    'microF1': f1_score(labels, outputs, average='micro', zero_division=0),
    'rocAuc': [roc_auc_score(labels[:, c], probs[:, c]) for c in range(k)],
    'prAuc': [average_precision_score(labels[:, c], probs[:, c]) for c in range(k)],
}
prob_true, prob_pred = calibration_curve(labels[:, 2], probs[:, 2], n_bins=10, strategy='uniform')
out['classification']['calibrationClass2'] = {'fractionPositive': prob_true.tolist(), 'meanPredicted': prob_pred.tolist()}

# --- challenge metric, the official evaluate_model.py formulas, on the real weights table
wpath = os.path.join(root, '..', 'shared', 'data', 'cinc', 'scoring-2021', 'weights.csv')
rows = [l.strip().split(',') for l in open(wpath) if l.strip()]
classes = [set(c.split('|')) for c in rows[0][1:]]
W = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
def confusion(L, O):
    A = np.zeros((L.shape[1], L.shape[1]))
    for i in range(L.shape[0]):
        norm = float(max(np.sum(np.any((L[i], O[i]), axis=0)), 1))
        for j in range(L.shape[1]):
            if L[i, j]:
                for m in range(L.shape[1]):
                    if O[i, m]:
                        A[j, m] += 1.0 / norm
    return A
m = len(classes)
normal = [i for i, c in enumerate(classes) if '426783006' in c][0]
L = (rng.random((60, m)) < 0.08).astype(int)
L[rng.random(60) < 0.4, normal] = 1
O = np.where(rng.random((60, m)) < 0.85, L, 1 - L) * (rng.random((60, m)) < 0.5 + 0.5 * L)
inactive = np.zeros_like(L); inactive[:, normal] = 1
obs, cor, ina = (np.nansum(W * confusion(L, X)) for X in (O, L, inactive))
# Record codes: one code per class (the first of an equivalence set, or the second for merged sets to test merging)
codes = [sorted(c)[-1] for c in classes]
out['challenge'] = {
    'labelCodes': [[codes[j] for j in range(m) if L[i, j]] for i in range(60)],
    'outputCodes': [[codes[j] for j in range(m) if O[i, j]] for i in range(60)],
    'score': (obs - ina) / (cor - ina),
}

# --- losses on logits
z = rng.normal(size=(6, 4)) * 2
y = (rng.random((6, 4)) < 0.4).astype(float)
pw = np.array([1.0, 2.5, 4.0, 1.5])
bce = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y), pos_weight=torch.tensor(pw))
p = 1 / (1 + np.exp(-z)); pm = np.maximum(p - 0.05, 0)
asl = -np.mean(y * np.log(np.maximum(p, 1e-8)) + (1 - y) * np.log(np.maximum(1 - pm, 1e-8)) * (pm + 1e-8) ** 0.2)
out['losses'] = {'logits': z.tolist(), 'targets': y.tolist(), 'posWeight': pw.tolist(), 'weightedBce': bce.item(), 'asymmetric': asl}

# --- AdamW with AMSGrad: 5 steps of fixed gradients, and the one-cycle schedule
w0 = rng.normal(size=(3, 2)); grads = [rng.normal(size=(3, 2)) for _ in range(5)]
wt = torch.tensor(w0, requires_grad=True)
opt = torch.optim.AdamW([wt], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05, amsgrad=True)
for g in grads:
    opt.zero_grad(); wt.grad = torch.tensor(g); opt.step()
out['adamw'] = {'w0': w0.tolist(), 'grads': [g.tolist() for g in grads], 'lr': 0.01, 'weightDecay': 0.05, 'after': wt.detach().numpy().tolist()}
q = torch.tensor([1.0], requires_grad=True)
o2 = torch.optim.SGD([q], lr=0.1)
sched = torch.optim.lr_scheduler.OneCycleLR(o2, max_lr=0.1, total_steps=50, pct_start=0.3, anneal_strategy='cos', div_factor=25, final_div_factor=1e4, cycle_momentum=False)
lrs = []
for _ in range(50):
    lrs.append(o2.param_groups[0]['lr']); o2.step(); sched.step()
out['oneCycle'] = {'maxLr': 0.1, 'totalSteps': 50, 'lrs': lrs}

path = os.path.join(root, 'tests', 'fixtures', 'ml', 'golden.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path, os.path.getsize(path), 'bytes')
