#!/usr/bin/python3
"""Writes tests/fixtures/dsp/*.json: scipy reference outputs for src-main/dsp on short real leads.

Inputs: LUDB record 1 lead II, 2 s from sample 1000 (500 Hz, ODC-By 1.0, Kalyakulina et al. 2020);
MIT-BIH record 100 MLII, 2 s from sample 3600 (360 Hz, ODC-By 1.0, Moody & Mark 2001).
Run from the repository root: /usr/bin/python3 scripts/make-dsp-golden.py
"""
import json
import os

import numpy as np
from scipy import ndimage, signal

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'dsp')


def ludb_lead_ii():
    raw = np.fromfile(os.path.join(DATA, 'ludb', 'data', '1.dat'), dtype='<i2').reshape(-1, 12)
    return raw[1000:2000, 1].astype(np.float64) / 1206.0  # lead ii, gain 1206/mV, baseline 0


def mitdb_100_mlii():
    b = np.fromfile(os.path.join(DATA, 'mitdb', '100.dat'), dtype=np.uint8).reshape(-1, 3).astype(np.int32)
    s0 = b[:, 0] | ((b[:, 1] & 0x0F) << 8)
    s0 = np.where(s0 > 2047, s0 - 4096, s0)
    return (s0[3600:4320] - 1024) / 200.0  # format 212, baseline 1024, gain 200/mV


def arr(x):
    return [float('%.9g' % v) for v in x]


def write(name, obj):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, separators=(',', ':'))


def main():
    os.makedirs(OUT, exist_ok=True)
    x = ludb_lead_ii()
    fs = 500
    n = len(x)
    cases = {}
    b = signal.firwin(501, [0.5, 60], pass_zero=False, fs=fs)
    cases['bandpass_default'] = arr(signal.filtfilt(b, [1.0], x, padlen=min(3 * 501, n - 1)))
    b2 = signal.firwin(101, [1, 40], pass_zero=False, fs=fs)
    cases['bandpass_1_40_101'] = arr(signal.filtfilt(b2, [1.0], x))
    cases['fir_1_40_101'] = arr(b2)
    bn, an = signal.iirnotch(50, 30, fs=fs)
    cases['notch_50'] = arr(signal.filtfilt(bn, an, x))
    bn6, an6 = signal.iirnotch(60, 30, fs=fs)
    cases['notch_60'] = arr(signal.filtfilt(bn6, an6, x))
    base = ndimage.median_filter(ndimage.median_filter(x, size=101, mode='nearest'), size=301, mode='nearest')
    cases['baseline_removed'] = arr(x - base)
    cases['resample_500_100'] = arr(signal.resample_poly(x, 1, 5))
    cases['resample_257_500'] = arr(signal.resample_poly(x, 500, 257))
    cases['resample_1000_500'] = arr(signal.resample_poly(x, 1, 2))
    cases['zscore'] = arr((x - x.mean()) / x.std())
    write('ludb-1-ii.json', {'source': 'LUDB record 1, lead ii, samples 1000-1999, mV', 'fs': fs, 'x': arr(x), 'expected': cases})

    m = mitdb_100_mlii()
    write('mitdb-100-mlii.json', {
        'source': 'MIT-BIH record 100, MLII, samples 3600-4319, mV', 'fs': 360, 'x': arr(m),
        'expected': {'resample_360_500': arr(signal.resample_poly(m, 25, 18))},
    })


if __name__ == '__main__':
    main()
