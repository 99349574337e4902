// Binary cross-entropy on logits with per-class positive weights (rare classes count more).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean over batch and classes of -[w_c * y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z))], computed from logits
 * with softplus for stability. `posWeight` has one entry per class; undefined means 1 for all.
 */
export function weightedBce(logits: tf.Tensor2D, targets: tf.Tensor2D, posWeight?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    // -log(sigmoid(z)) = softplus(-z); -log(1 - sigmoid(z)) = softplus(z)
    const pos = tf.mul(targets, tf.softplus(tf.neg(logits)));
    const neg = tf.mul(tf.sub(1, targets), tf.softplus(logits));
    return tf.mean(tf.add(posWeight ? tf.mul(pos, posWeight) : pos, neg)) as tf.Scalar;
  });
}

/** Positive weights negatives/positives per class from a multi-hot label matrix, clipped to [1, maxWeight]. */
export function positiveWeights(labels: Uint8Array[], classes: number, maxWeight = 10): Float32Array {
  const w = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let pos = 0;
    for (const row of labels) pos += row[c];
    const neg = labels.length - pos;
    w[c] = pos === 0 ? 1 : Math.min(maxWeight, Math.max(1, neg / pos));
  }
  return w;
}
