// Asymmetric loss (Ridnik et al. 2021) for multi-label classification with many easy negatives.
import * as tf from '@tensorflow/tfjs-core';

export interface AsymmetricLossOptions {
  /** Focusing exponent for positives (0 = plain cross-entropy). */
  gammaPos?: number;
  /** Focusing exponent for negatives. */
  gammaNeg?: number;
  /** Probability margin: negatives with p below it contribute nothing. */
  clip?: number;
  eps?: number;
}

/**
 * L = -y (1-p)^g+ log p - (1-y) p_m^g- log(1 - p_m), p_m = max(p - clip, 0); mean over batch and classes.
 * Defaults gamma+ = 0, gamma- = 0.2, clip 0.05.
 */
export function asymmetricLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, o: AsymmetricLossOptions = {}): tf.Scalar {
  const { gammaPos = 0, gammaNeg = 0.2, clip = 0.05, eps = 1e-8 } = o;
  return tf.tidy(() => {
    const p = tf.sigmoid(logits);
    const pm = clip > 0 ? tf.relu(tf.sub(p, clip)) : p;
    let lossPos: tf.Tensor = tf.mul(targets, tf.log(tf.maximum(p, eps)));
    if (gammaPos > 0) lossPos = tf.mul(lossPos, tf.pow(tf.sub(1, p), gammaPos));
    let lossNeg: tf.Tensor = tf.mul(tf.sub(1, targets), tf.log(tf.maximum(tf.sub(1, pm), eps)));
    // pow(0, g) has an undefined gradient at 0; add eps inside.
    if (gammaNeg > 0) lossNeg = tf.mul(lossNeg, tf.pow(tf.add(pm, eps), gammaNeg));
    return tf.neg(tf.mean(tf.add(lossPos, lossNeg))) as tf.Scalar;
  });
}
