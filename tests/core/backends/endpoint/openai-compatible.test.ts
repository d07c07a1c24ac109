import { afterEach, describe, expect, it } from 'vitest';
import { corsAdvice, EndpointBackend, labelScoreFromTopLogprobs } from '../../../../src/core/backends/endpoint/openai-compatible.ts';
import { DEFAULT_SCORING, scoreItems } from '../../../../src/core/engine/score-items.ts';
import { startChatServer, type ChatServer } from '../../../helpers/chat-server.ts';
import { testItems, TEST_TEMPLATE } from '../../../helpers/items.ts';

let server: ChatServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const noWait = async () => {};

describe('OpenAI-compatible endpoint backend', () => {
  it('reads label probabilities from top_logprobs (with and without a leading space)', () => {
    const s = labelScoreFromTopLogprobs(
      [
        { token: 'B', logprob: Math.log(0.5) },
        { token: ' B', logprob: Math.log(0.1) },
        { token: 'A', logprob: Math.log(0.2) },
        { token: 'Sure', logprob: Math.log(0.2) },
      ],
      ['A', 'B', 'C'],
    );
    expect(s.labelMass).toBeCloseTo(0.8, 12);
    expect(s.probs[0]).toBeCloseTo(0.25, 12);
    expect(s.probs[1]).toBeCloseTo(0.75, 12);
    expect(s.probs[2]).toBe(0);
  });

  it('scores items end to end against a local server, retrying rate limits', async () => {
    server = await startChatServer({ apiKey: 'sk-test', failFirst: 2 });
    const backend = new EndpointBackend({ baseUrl: server.baseUrl, model: 'test-model', apiKey: 'sk-test', sleep: noWait });
    const items = testItems().slice(0, 5);
    const results = await scoreItems(items, backend, { ...DEFAULT_SCORING, template: TEST_TEMPLATE });
    expect(backend.stats.retries).toBe(2);
    for (const [i, r] of results.entries()) {
      const longest = items[i]!.options.reduce((best, o, k, all) => (o.length > all[best]!.length ? k : best), 0);
      expect(r.distribution!.indexOf(Math.max(...r.distribution!))).toBe(longest);
      expect(r.labelMass).toBeGreaterThan(0.7);
    }
    const call = server.calls.at(-1)!;
    expect(call.body).toMatchObject({ model: 'test-model', max_tokens: 1, logprobs: true, temperature: 0 });
    expect(call.authorization).toBe('Bearer sk-test');
    // Items with a persona send it as the system message.
    expect(server.calls.some((c) => (c.body.messages as Array<{ role: string }>)[0]!.role === 'system')).toBe(true);
  });

  it('generates n samples, asking again when the server ignores n', async () => {
    server = await startChatServer({ singleChoice: true });
    const backend = new EndpointBackend({ baseUrl: server.baseUrl, model: 'm', sleep: noWait });
    const [texts] = await backend.generate(
      [{ prompt: { user: 'Q?\nA. x\nB. y' }, samples: 3, temperature: 0.7, maxNewTokens: 8, seed: 1 }],
      {},
    );
    expect(texts).toEqual(['B. that one', 'B. that one', 'B. that one']);
    expect(server.calls).toHaveLength(3);
  });

  it('says the key was refused, and never repeats the key', async () => {
    server = await startChatServer({ apiKey: 'sk-right' });
    const backend = new EndpointBackend({ baseUrl: server.baseUrl, model: 'm', apiKey: 'sk-wrong-secret', sleep: noWait });
    const failure = backend.scoreLabels([{ prompt: { user: 'Q' }, labels: ['A', 'B'] }], { prefixReuse: false, batchSize: 1 });
    await expect(failure).rejects.toThrow(/check the API key/);
    await expect(failure).rejects.not.toThrow(/sk-wrong-secret/);
    expect(JSON.stringify(backend.info)).not.toContain('sk-wrong-secret');
  });

  it('explains CORS for a server on the user\'s machine when it cannot be reached', async () => {
    const backend = new EndpointBackend({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.2',
      origin: 'https://pluralscope.example',
      maxAttempts: 2,
      sleep: noWait,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(backend.scoreLabels([{ prompt: { user: 'Q' }, labels: ['A'] }], { prefixReuse: false, batchSize: 1 })).rejects.toThrow(
      /OLLAMA_ORIGINS="https:\/\/pluralscope.example"/,
    );
    expect(corsAdvice('https://api.example.com/v1', 'x')).toMatch(/allows cross-origin requests/);
  });

  it('outside a browser (no page origin) says the server could not be reached, with no CORS advice', async () => {
    const backend = new EndpointBackend({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.2',
      maxAttempts: 2,
      sleep: noWait,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
      },
    });
    const failure = backend.scoreLabels([{ prompt: { user: 'Q' }, labels: ['A'] }], { prefixReuse: false, batchSize: 1 });
    await expect(failure).rejects.toThrow(/^Could not reach the server at http:\/\/localhost:11434\/v1 \(ECONNREFUSED\)\. Check the URL .* that the server is running/);
    await expect(failure).rejects.not.toThrow(/this page|OLLAMA_ORIGINS|CORS|cross-origin/);
  });
});
