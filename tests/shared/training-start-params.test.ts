// The UI's training request over either transport: the image input and the worker count are checked by the contract.
import { describe, expect, it } from 'vitest';
import { validateParams } from '../../src-shared/api.ts';
import { IMAGE_INPUT_KINDS } from '../../src-shared/image-inputs.ts';

describe("'training.start' params", () => {
  it('takes each image input kind and a worker count', () => {
    for (const input of IMAGE_INPUT_KINDS)
      expect(validateParams('training.start', { arch: 'image-cnn', leads: 12, input, workers: 2 })).toMatchObject({ input, workers: 2 });
  });

  it('refuses an unknown input and a worker count out of range', () => {
    expect(() => validateParams('training.start', { arch: 'image-cnn', leads: 12, input: 'wavelet' })).toThrow(/training\.start: .*input/);
    expect(() => validateParams('training.start', { arch: 'small-cnn', leads: 12, workers: 0 })).toThrow(/training\.start: .*workers/);
    expect(() => validateParams('training.start', { arch: 'small-cnn', leads: 12, workers: 9 })).toThrow(/training\.start: .*workers/);
  });
});
