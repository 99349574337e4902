// The min/max envelope of one lead over a whole record, one pair per pixel column of the overview strip.

/**
 * Min and max of `values` per column, the values spread evenly over `columns` in time order (raw samples or the
 * interleaved min/max pairs of a pyramid window alike: a pair's two values are adjacent in time). NaN for an empty column.
 */
export function columnEnvelope(values: ArrayLike<number>, columns: number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(columns).fill(NaN),
    max = new Float32Array(columns).fill(NaN);
  for (let i = 0; i < values.length; i++) {
    const c = Math.min(columns - 1, Math.floor((i / values.length) * columns));
    const v = values[i];
    if (!(v >= min[c])) min[c] = v;
    if (!(v <= max[c])) max[c] = v;
  }
  return { min, max };
}
