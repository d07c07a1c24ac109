import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../../../src/sources/wvs/codebook.ts';
import { mergeQuestionSpecs, parseUserQuestionMetadata } from '../../../src/sources/wvs/user-metadata.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('user codebook (role codebook)', () => {
  it('reads JSON variable -> code -> label, also under "codes", and an array of entries', async () => {
    const expected = new Map([['Q290', new Map([[702001, 'Chinese'], [702002, 'Malay']])]]);
    expect(await parseCodebook('c.json', bytes('{"q290": {"702001": "Chinese", "702002": " Malay "}}'))).toEqual(expected);
    expect(await parseCodebook('c.json', bytes('{"codes": {"Q290": {"702001": "Chinese", "702002": "Malay"}}}'))).toEqual(expected);
    expect(
      await parseCodebook('c.json', bytes('[{"variable": "Q290", "code": 702001, "label": "Chinese"}, {"variable": "Q290", "value": "702002", "label": "Malay"}]')),
    ).toEqual(expected);
  });
  it('reads CSV with variable, code and label columns in any order', async () => {
    const cb = await parseCodebook('c.csv', bytes('Label,Code,Variable,notes\nChinese,702001,Q290,x\n"Malay, Singapore",702002,Q290,\nEnglish,1400,Q272,\n'));
    expect(cb.get('Q290')?.get(702002)).toBe('Malay, Singapore');
    expect(cb.get('Q272')?.get(1400)).toBe('English');
  });
  it('bad codebooks get specific messages', async () => {
    await expect(parseCodebook('c.json', bytes('{"Q290": {"x": "Chinese"}}'))).rejects.toThrow(/Q290\.x: code "x" is not an integer/);
    await expect(parseCodebook('c.json', bytes('{"Q290": ["Chinese"]}'))).rejects.toThrow(/"Q290" must map codes to labels/);
    await expect(parseCodebook('c.json', bytes('{"Q290": {'))).rejects.toThrow(/not valid JSON/);
    await expect(parseCodebook('c.csv', bytes('var,code\nQ290,1\n'))).rejects.toThrow(/needs the columns variable, code and label; it has no label/);
    await expect(parseCodebook('c.json', bytes('{}'))).rejects.toThrow(/no entries/);
  });
});

describe('user question metadata (role metadata)', () => {
  it('reads JSON questions with labels in code order', async () => {
    const [q] = await parseUserQuestionMetadata('m.json', bytes('{"questions": [{"code": "q57", "text": "Trust?", "options": [{"code": 1, "label": "Yes"}, {"code": 2, "label": "No"}], "ordinal": false}]}'));
    expect(q).toEqual({ code: 'Q57', text: 'Trust?', options: ['Yes', 'No'], ordinal: false, source: 'user' });
  });
  it('reads CSV with options separated by "|"', async () => {
    const qs = await parseUserQuestionMetadata('m.csv', bytes('code,text,ordinal,options,section\nQ57,"Trust, generally?",no,Can be trusted | Be careful,Trust\nQ200,Scale?,true,Low|Mid|High,\n'));
    expect(qs.map((q) => [q.code, q.options, q.ordinal, q.section])).toEqual([
      ['Q57', ['Can be trusted', 'Be careful'], false, 'Trust'],
      ['Q200', ['Low', 'Mid', 'High'], true, undefined],
    ]);
  });
  it('refuses unclear metadata', async () => {
    await expect(parseUserQuestionMetadata('m.json', bytes('[{"code": "Q57", "text": "T", "options": ["a", "b"]}]'))).rejects.toThrow(/question 1: ordinal/);
    await expect(parseUserQuestionMetadata('m.json', bytes('[{"code": "Q57", "text": "T", "options": [{"code": 2, "label": "a"}, {"code": 1, "label": "b"}], "ordinal": true}]'))).rejects.toThrow(/codes must be 1\.\.K in order/);
    await expect(parseUserQuestionMetadata('m.json', bytes('[{"code": "religion", "text": "T", "options": ["a", "b"], "ordinal": true}]'))).rejects.toThrow(/a WVS variable code/);
    await expect(parseUserQuestionMetadata('m.csv', bytes('code,text,ordinal,options\nQ1,T,maybe,a|b\n'))).rejects.toThrow(/row 2: ordinal must be true or false/);
    await expect(parseUserQuestionMetadata('m.json', bytes('[{"code": "Q1", "text": "T", "options": ["a", "b"], "ordinal": true}, {"code": "Q1", "text": "T", "options": ["a", "b"], "ordinal": true}]'))).rejects.toThrow(/listed twice/);
  });
  it('user entries replace shipped ones of the same code and add new codes', async () => {
    const user = await parseUserQuestionMetadata('m.json', bytes('[{"code": "Q1", "text": "Family?", "options": ["a", "b", "c", "d"], "ordinal": true}, {"code": "Q57", "text": "T", "options": ["a", "b"], "ordinal": false}]'));
    const { specs, replaced } = mergeQuestionSpecs(user);
    expect(replaced).toEqual(['Q1']);
    expect(specs[0]!.text).toBe('Family?');
    expect(specs.at(-1)!.code).toBe('Q57');
  });
});
