/**
 * A Hub model that cannot be fetched says why in the user's terms: no answer at all (offline, a
 * blocked host) or a refusal (a gated model without a token), not the bare "Failed to fetch".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCausalLM, ModelLoadError } from '../../../../src/core/backends/transformers/load-model.ts';

let refusing: Server;
let refusingUrl: string;

beforeAll(async () => {
  refusing = createServer((_req, res) => res.writeHead(401).end());
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
});
afterAll(() => refusing.close());

describe('Hub load failures', () => {
  it('a host that does not answer: says it could not be reached, and what still works offline', async () => {
    // Port 9 (discard) on this machine: nothing listens, the connection is refused.
    const error = await loadCausalLM({ kind: 'hub', id: 'someorg/some-model', host: 'http://127.0.0.1:9/' }, { device: 'cpu', dtype: 'q4' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/^the Hub model someorg\/some-model: could not reach 127\.0\.0\.1:9 \(.+\)\. This browser may be offline/);
  });

  it('a host that refuses (401): names the Hub token', async () => {
    const error = await loadCausalLM({ kind: 'hub', id: 'meta-llama/Llama-3.2-1B-Instruct', host: refusingUrl }, { device: 'cpu', dtype: 'q4' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/refused access \(Unauthorized access to file: .+\)\. A gated model needs a Hub access token/);
  });
});
