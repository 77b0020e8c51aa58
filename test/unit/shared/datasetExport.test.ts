import { describe, expect, it } from 'vitest';
import { qwenJsonText } from '../../../shared/dataset/export/qwenJson';
import type { QwenSample } from '../../../shared/dataset/export/qwenJson';
import { sharegptDatasetInfo, sharegptJsonText, toSharegpt } from '../../../shared/dataset/export/sharegpt';
import { swiftJsonlText, toSwift } from '../../../shared/dataset/export/swift';

const TWO_PICTURES: QwenSample = {
  id: 'apples',
  conversations: [
    { from: 'user', value: 'Picture 1: <img>/data/imgs/a.jpg</img>\nPicture 2: <img>/data/imgs/b.jpg</img>\n两张图有什么不同？' },
    { from: 'assistant', value: '第一张有<ref>两个苹果</ref><box>(302,257),(582,671)</box><box>(603,252),(878,642)</box>。' },
    { from: 'user', value: '框出图中的碗' },
    { from: 'assistant', value: '<ref>碗</ref><box>(2,269),(304,674)</box>' },
  ],
};

const TEXT_ONLY: QwenSample = { id: 'hello', conversations: [{ from: 'user', value: '你好' }, { from: 'assistant', value: '我是Qwen-VL。' }] };

describe('Qwen-VL JSON', () => {
  it('is one JSON list with Chinese as is and a final newline', () => {
    const text = qwenJsonText([TEXT_ONLY]);
    expect(text).toBe('[\n  {\n    "id": "hello",\n    "conversations": [\n      {\n        "from": "user",\n        "value": "你好"\n      },\n      {\n        "from": "assistant",\n        "value": "我是Qwen-VL。"\n      }\n    ]\n  }\n]\n');
    expect(JSON.parse(text)).toEqual([TEXT_ONLY]);
  });
});

describe('LLaMA-Factory sharegpt export', () => {
  it('puts <image> where each picture line was, lists the paths, and keeps the boxes as Qwen-VL text', () => {
    const { records, problems } = toSharegpt([TWO_PICTURES, TEXT_ONLY]);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        messages: [
          { role: 'user', content: '<image><image>两张图有什么不同？' },
          { role: 'assistant', content: '第一张有<ref>两个苹果</ref><box>(302,257),(582,671)</box><box>(603,252),(878,642)</box>。' },
          { role: 'user', content: '框出图中的碗' },
          { role: 'assistant', content: '<ref>碗</ref><box>(2,269),(304,674)</box>' },
        ],
        images: ['/data/imgs/a.jpg', '/data/imgs/b.jpg'],
      },
      { messages: [{ role: 'user', content: '你好' }, { role: 'assistant', content: '我是Qwen-VL。' }], images: [] },
    ]);
    expect(JSON.parse(sharegptJsonText(records))).toEqual(records);
  });

  it('keeps text around an image without a Picture label, and the newline after it', () => {
    const sample: QwenSample = { id: 'bare', conversations: [{ from: 'user', value: '看<img>x.png</img>\n这是什么' }, { from: 'assistant', value: '猫' }] };
    expect(toSharegpt([sample]).records[0]?.messages[0]?.content).toBe('看<image>\n这是什么');
  });

  it('gives the dataset_info.json entry that reads role/content messages', () => {
    expect(sharegptDatasetInfo('qwen_grounding.json')).toEqual({
      file_name: 'qwen_grounding.json',
      formatting: 'sharegpt',
      columns: { messages: 'messages', images: 'images' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    });
  });
});

describe('ms-swift export', () => {
  it('replaces refs and boxes by placeholders and lists them in objects as norm1 fractions', () => {
    const { records, problems } = toSwift([TWO_PICTURES, TEXT_ONLY]);
    expect(problems).toEqual([]);
    expect(records[0]).toEqual({
      messages: [
        { role: 'user', content: '<image><image>两张图有什么不同？' },
        { role: 'assistant', content: '第一张有<ref-object><bbox><bbox>。' },
        { role: 'user', content: '框出图中的碗' },
        { role: 'assistant', content: '<ref-object><bbox>' },
      ],
      images: ['/data/imgs/a.jpg', '/data/imgs/b.jpg'],
      objects: {
        ref: ['两个苹果', '碗'],
        // each integer / 1000: ms-swift multiplies back by 1000 for Qwen-VL
        bbox: [
          [0.302, 0.257, 0.582, 0.671],
          [0.603, 0.252, 0.878, 0.642],
          [0.002, 0.269, 0.304, 0.674],
        ],
        bbox_type: 'norm1',
      },
    });
    expect(records[1]).toEqual({ messages: [{ role: 'user', content: '你好' }, { role: 'assistant', content: '我是Qwen-VL。' }], images: [] });
  });

  it('gives back exactly the integers when ms-swift scales norm1 to 1000 (truncating or rounding)', () => {
    const values = Array.from({ length: 1000 }, (_, value) => value);
    const sample: QwenSample = { id: 'all', conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\nx' }, { from: 'assistant', value: values.map((v) => `<box>(${v},${v}),(${v},${v})</box>`).join('') }] };
    const [record] = toSwift([sample]).records;
    const scaled = record?.objects?.bbox.map(([x]) => x! * 1000) ?? [];
    expect(scaled.map(Math.trunc)).toEqual(values);
    expect(scaled.map(Math.round)).toEqual(values);
  });

  it('writes JSON Lines with objects as a JSON string', () => {
    const text = swiftJsonlText(toSwift([TWO_PICTURES, TEXT_ONLY]).records);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0]!) as { objects: string };
    expect(typeof first.objects).toBe('string');
    expect(JSON.parse(first.objects)).toMatchObject({ ref: ['两个苹果', '碗'], bbox_type: 'norm1' });
    expect(lines[1]).toBe('{"messages":[{"role":"user","content":"你好"},{"role":"assistant","content":"我是Qwen-VL。"}],"images":[]}');
  });
});

describe('samples the exports refuse', () => {
  const bad = (id: string, values: string[], froms?: string[]): QwenSample => ({
    id,
    conversations: values.map((value, index) => ({ from: (froms?.[index] ?? (index % 2 ? 'assistant' : 'user')) as 'user' | 'assistant', value })),
  });
  const samples = [
    bad('human', ['hi', 'yo'], ['human', 'gpt']),
    bad('order', ['hi', 'yo'], ['assistant', 'user']),
    bad('odd', ['hi']),
    bad('empty', []),
    bad('placeholder', ['<image>hi', 'yo']),
    bad('unclosed', ['Picture 1: <img>a.png\nhi', 'yo']),
    bad('no-path', ['Picture 1: <img></img>\nhi', 'yo']),
    bad('float', ['hi', '<ref>a</ref><box>(1.5,2),(3,4)</box>']),
    bad('token', ['hi<|im_end|>', 'yo']),
    bad('ref-object', ['hi <ref-object>', 'yo']),
    bad('fine', ['Picture 1: <img>a.png</img>\nhi', '<ref>a</ref><box>(1,2),(3,4)</box>']),
  ];

  it('sharegpt: each with its reason, the rest converted', () => {
    const { records, problems } = toSharegpt(samples);
    expect(problems).toEqual([
      { id: 'human', message: 'turn 1 is from "human"; only user and assistant turns can be converted' },
      { id: 'order', message: 'turn 1 is from assistant; turns must alternate user, assistant, starting with user' },
      { id: 'odd', message: 'the conversation does not end with an assistant turn' },
      { id: 'empty', message: 'the conversation has no turns' },
      { id: 'placeholder', message: 'turn 1 already contains <image>, which the target format reads as a placeholder' },
      { id: 'unclosed', message: 'turn 1: <img> is never closed' },
      { id: 'no-path', message: 'turn 1: an <img></img> holds no path' },
      { id: 'float', message: 'turn 2: <box> does not hold integer corners like (x1,y1),(x2,y2)' },
      { id: 'token', message: 'turn 1: <|im_end|> is a special token inside the text' },
    ]);
    expect(records).toHaveLength(2);
  });

  it('ms-swift: its own placeholders too', () => {
    const { records, problems } = toSwift(samples);
    expect(problems.map(({ id }) => id)).toEqual(['human', 'order', 'odd', 'empty', 'placeholder', 'unclosed', 'no-path', 'float', 'token', 'ref-object']);
    expect(problems.at(-1)?.message).toBe('turn 1 already contains <ref-object>, which the target format reads as a placeholder');
    expect(records).toEqual([{ messages: [{ role: 'user', content: '<image>hi' }, { role: 'assistant', content: '<ref-object><bbox>' }], images: ['a.png'], objects: { ref: ['a'], bbox: [[0.001, 0.002, 0.003, 0.004]], bbox_type: 'norm1' } }]);
  });
});
