import { describe, expect, it } from 'vitest';
import { localizeIssues, messageText } from '../../../shared/guide/fieldRules';
import { GuideParams, PARAM_LABELS, resolveParams } from '../../../shared/guide/guideParams';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';

describe('the guide’s ${…} params', () => {
  it('fall back to the guide’s defaults', () => {
    expect(resolveParams(guide.defaults, {})).toEqual({ ok: true, params: guide.defaults });
    expect(resolveParams(guide.defaults, { workDir: undefined })).toEqual({ ok: true, params: guide.defaults });
  });

  it('take the user’s answers once valid', () => {
    const answers = { workDir: '/data/qwen', containerWorkDir: '/home/ma-user/work', containerName: 'qwen_train', image: '2aee4091297a' };
    expect(resolveParams(guide.defaults, answers)).toEqual({ ok: true, params: answers });
  });

  it('explain what is wrong in both languages, per field', () => {
    const result = resolveParams(guide.defaults, { containerWorkDir: '/home/ma-user', containerName: 'my container', workDir: 7 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual(['workDir', 'containerWorkDir', 'containerName']);
    expect(result.errors[0]?.message).toEqual({ zh: '取值无效（Invalid input: expected string, received number）', en: 'Invalid input: expected string, received number' });
    expect(result.errors[1]?.message).toEqual(messageText('maUserHome'));
    expect(result.errors[1]?.message.en).toContain('mounting there conflicts with the base image');
    expect(result.errors[2]?.message).toEqual(messageText('containerName'));
  });

  it('have a label in the guide’s words for each', () => {
    expect(Object.keys(PARAM_LABELS).sort()).toEqual(Object.keys(GuideParams.shape).sort());
    for (const label of Object.values(PARAM_LABELS)) {
      expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(label.en.length).toBeGreaterThan(10);
    }
  });

  it('localise zod’s own messages too', () => {
    const parsed = GuideParams.safeParse({});
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(localizeIssues(parsed.error).map((error) => error.field)).toEqual(['workDir', 'containerWorkDir', 'containerName', 'image']);
  });
});
