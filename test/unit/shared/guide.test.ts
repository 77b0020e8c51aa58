import { describe, expect, it } from 'vitest';
import { modelartsQwenVl6310 } from '../../../shared/guide/modelartsQwenVl6310';

describe('the 6.3.910 guide outline', () => {
  it('has the guide’s six steps in order, each in both languages', () => {
    expect(modelartsQwenVl6310.steps.map((step) => step.id)).toEqual(['environment', 'container', 'code', 'training-env', 'dataset', 'training']);
    for (const step of modelartsQwenVl6310.steps) {
      expect(step.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(step.title.en).toMatch(/^[A-Z]/);
      expect(step.summary.zh.length).toBeGreaterThan(10);
      expect(step.summary.en.length).toBeGreaterThan(10);
    }
  });
});
