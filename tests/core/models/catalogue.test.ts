import { describe, expect, it } from 'vitest';
import rawCatalogue from '../../../static-data/models.json';
import {
  CATALOGUE,
  CatalogueSchema,
  DTYPES,
  HubCheckError,
  catalogueEntry,
  checkAgainstHub,
  estimateDownloadBytes,
  listedDtypes,
  loadOptions,
  modelFileName,
  parseCatalogue,
  pickDtype,
  weightFiles,
  type HubFetch,
  type HubFetchResponse,
  type ModelEntry,
} from '../../../src/core/models/catalogue.ts';
import { dtypeOfFileName, externalDataFileNames, usesFp16 } from '../../../src/core/models/dtypes.ts';
import { nextLink } from '../../../src/core/models/hub-check.ts';
import modelInfoFixture from './fixtures/hub-model-info.qwen2.5-0.5b.json';
import treeFixture from './fixtures/hub-tree-onnx.llama-3.2-1b.json';

const clone = <T>(v: T): T => structuredClone(v);

function entry(id: string): ModelEntry {
  const e = catalogueEntry(id);
  if (!e) throw new Error(`missing catalogue entry ${id}`);
  return e;
}

const QWEN05 = 'onnx-community/Qwen2.5-0.5B-Instruct';
const QWEN3 = 'onnx-community/Qwen3-0.6B-ONNX';
const LLAMA = 'onnx-community/Llama-3.2-1B-Instruct';
const GEMMA = 'onnx-community/gemma-3-1b-it-ONNX';
const PHI = 'onnx-community/Phi-3.5-mini-instruct-onnx-web';
const SMOL360 = 'HuggingFaceTB/SmolLM2-360M-Instruct';

describe('catalogue JSON', () => {
  it('validates and holds at least the curated models', () => {
    expect(() => parseCatalogue(rawCatalogue)).not.toThrow();
    const ids = CATALOGUE.map((m) => m.id);
    for (const id of [
      QWEN05,
      'onnx-community/Qwen2.5-1.5B-Instruct',
      QWEN3,
      LLAMA,
      SMOL360,
      'HuggingFaceTB/SmolLM2-1.7B-Instruct',
      GEMMA,
      PHI,
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('has unique ids (case-insensitive, as the Hub resolves them)', () => {
    const ids = CATALOGUE.map((m) => m.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    const dup = clone(rawCatalogue);
    dup.models.push(clone(dup.models[0]!));
    expect(CatalogueSchema.safeParse(dup).success).toBe(false);
    expect(() => parseCatalogue(dup)).toThrow(/duplicate id/);
  });

  it("names every dtype's file by transformers.js's rule", () => {
    for (const m of CATALOGUE) {
      for (const d of listedDtypes(m)) {
        expect(m.dtypes[d]?.file, `${m.id} ${d}`).toBe(modelFileName(d));
      }
    }
    expect(modelFileName('fp32')).toBe('model.onnx');
    expect(modelFileName('fp16')).toBe('model_fp16.onnx');
    expect(modelFileName('q8')).toBe('model_quantized.onnx');
    expect(modelFileName('int8')).toBe('model_int8.onnx');
    expect(modelFileName('uint8')).toBe('model_uint8.onnx');
    expect(modelFileName('q4')).toBe('model_q4.onnx');
    expect(modelFileName('q4f16')).toBe('model_q4f16.onnx');
    expect(modelFileName('bnb4')).toBe('model_bnb4.onnx');
  });

  it('rejects a file name that breaks the rule, an unknown dtype and a recommendation that is not listed', () => {
    const badFile = clone(rawCatalogue);
    badFile.models[0]!.dtypes.q8!.file = 'model_q8.onnx';
    expect(() => parseCatalogue(badFile)).toThrow(/models\.0\.dtypes\.q8\.file: transformers\.js loads model_quantized\.onnx/);

    const badDtype = clone(rawCatalogue) as { models: Array<{ dtypes: Record<string, unknown> }> };
    badDtype.models[0]!.dtypes.q3 = { file: 'model_q3.onnx', bytes: 1, externalData: 0 };
    expect(() => parseCatalogue(badDtype)).toThrow(/invalid model catalogue/);

    const badRec = clone(rawCatalogue);
    badRec.models[4]!.recommended.wasm = 'q8'; // SmolLM2-360M publishes no q8
    expect(() => parseCatalogue(badRec)).toThrow(/recommended\.wasm: q8 is not listed/);

    const fp16Wasm = clone(rawCatalogue);
    fp16Wasm.models[0]!.recommended.wasm = 'q4f16';
    expect(() => parseCatalogue(fp16Wasm)).toThrow(/computes in fp16/);
  });

  it('keeps sizes consistent with the external-data counts and records how each entry was verified', () => {
    for (const m of CATALOGUE) {
      expect(m.verified.confirmed.length, m.id).toBeGreaterThan(0);
      expect(m.verified.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const d of listedDtypes(m)) {
        const spec = m.dtypes[d]!;
        // Graphs over protobuf's 2 GB limit must keep their weights outside the .onnx file.
        if (spec.bytes !== null && spec.bytes > 2.2e9) expect(spec.externalData, `${m.id} ${d}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('chat facts', () => {
  it('marks Gemma as having no system role', () => {
    expect(entry(GEMMA).chat.systemRole).toBe(false);
    for (const m of CATALOGUE.filter((m) => m.family !== 'gemma3')) expect(m.chat.systemRole, m.id).toBe(true);
  });

  it('turns Qwen3 thinking off through the template', () => {
    expect(entry(QWEN3).chat.templateKwargs).toEqual({ enable_thinking: false });
  });

  it("pins Llama's date so prompts do not change with the calendar", () => {
    expect(entry(LLAMA).chat.templateKwargs).toEqual({ date_string: '26 Jul 2024' });
  });

  it('records licences and the gated upstreams', () => {
    expect(entry(LLAMA)).toMatchObject({ licence: 'llama3.2', source: 'meta-llama/Llama-3.2-1B-Instruct' });
    expect(entry(GEMMA)).toMatchObject({ licence: 'gemma', source: 'google/gemma-3-1b-it' });
    expect(entry(PHI).licence).toBe('mit');
    expect(entry(QWEN05).licence).toBe('apache-2.0');
  });
});

describe('catalogueEntry', () => {
  it('finds entries case-insensitively and returns undefined for unknown ids', () => {
    expect(catalogueEntry('ONNX-COMMUNITY/qwen3-0.6b-onnx')?.id).toBe(QWEN3);
    expect(catalogueEntry('someone/unknown')).toBeUndefined();
  });
});

describe('pickDtype', () => {
  it('uses q4f16 on WebGPU when the adapter has shader-f16', () => {
    expect(pickDtype(entry(QWEN05), 'webgpu', true)).toMatchObject({ dtype: 'q4f16', degraded: false });
    expect(pickDtype(entry(LLAMA), 'webgpu', true).reason).toMatch(/shader-f16/);
  });

  it('falls back to q4 on WebGPU without shader-f16', () => {
    const choice = pickDtype(entry(QWEN05), 'webgpu', false);
    expect(choice).toMatchObject({ dtype: 'q4', degraded: false });
    expect(choice.reason).toMatch(/lacks shader-f16/);
    expect(pickDtype(entry(GEMMA), 'webgpu', false).dtype).toBe('q4');
  });

  it('returns no dtype on WebGPU without shader-f16 when only fp16 builds exist', () => {
    const phi = pickDtype(entry(PHI), 'webgpu', false);
    expect(phi.dtype).toBeNull();
    expect(phi.reason).toMatch(/only q4f16 is published/);
    expect(pickDtype(entry(QWEN3), 'webgpu', false).dtype).toBeNull();
  });

  it('prefers the integer builds on WASM', () => {
    expect(pickDtype(entry(QWEN05), 'wasm', false)).toMatchObject({ dtype: 'q8', degraded: false });
    expect(pickDtype(entry(QWEN05), 'wasm', true).dtype).toBe('q8');
    expect(pickDtype(entry(SMOL360), 'wasm', false).dtype).toBe('q4');
    expect(pickDtype(entry(GEMMA), 'wasm', false).dtype).toBe('q4');
  });

  it('falls back down the WASM order when the recommendation is absent', () => {
    const noRec = { ...entry(QWEN05), recommended: { webgpu: 'q4f16' as const, wasm: null } };
    expect(pickDtype(noRec, 'wasm', false).dtype).toBe('q8');
    const fp32Only = { ...entry(QWEN05), dtypes: { fp32: entry(QWEN05).dtypes.fp32! }, recommended: { webgpu: 'fp32' as const, wasm: null } };
    expect(pickDtype(fp32Only, 'wasm', false).dtype).toBe('fp32');
    expect(pickDtype(fp32Only, 'webgpu', false).dtype).toBe('fp32');
  });

  it('flags an fp16-only model on WASM as degraded', () => {
    const phi = pickDtype(entry(PHI), 'wasm', false);
    expect(phi).toMatchObject({ dtype: 'q4f16', degraded: true });
    expect(phi.reason).toMatch(/emulates fp16/);
  });

  it('never picks an fp16-compute dtype on WebGPU without shader-f16, for any entry', () => {
    for (const m of CATALOGUE) {
      const { dtype } = pickDtype(m, 'webgpu', false);
      if (dtype !== null) expect(usesFp16(dtype), m.id).toBe(false);
      const wasm = pickDtype(m, 'wasm', false);
      if (wasm.dtype !== null && !wasm.degraded) expect(usesFp16(wasm.dtype), m.id).toBe(false);
    }
  });
});

describe('download size and load options', () => {
  it('adds the external data and tokenizer.json to the weights', () => {
    const q15 = entry('onnx-community/Qwen2.5-1.5B-Instruct');
    expect(estimateDownloadBytes(q15, 'fp32')).toBe(6_211_060_000 + 7_030_000);
    expect(estimateDownloadBytes(q15, 'q4f16')).toBe(1_220_000_000 + 7_030_000);
    expect(estimateDownloadBytes(entry(QWEN05), 'q8')).toBe(512_000_000); // tokenizer size unknown: weights only
  });

  it('returns null for unconfirmed sizes and throws for unlisted dtypes', () => {
    expect(estimateDownloadBytes(entry(GEMMA), 'q4')).toBeNull();
    expect(() => estimateDownloadBytes(entry(PHI), 'q4')).toThrow(/does not list dtype q4/);
  });

  it('lists the files and the transformers.js options a dtype needs', () => {
    expect(weightFiles(entry(PHI), 'q4f16')).toEqual(['onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data']);
    expect(loadOptions(entry(PHI), 'q4f16')).toEqual({ dtype: 'q4f16', use_external_data_format: 1 });
    expect(loadOptions(entry(QWEN05), 'q8')).toEqual({ dtype: 'q8' });
    expect(externalDataFileNames('model.onnx', 3)).toEqual(['model.onnx_data', 'model.onnx_data_1', 'model.onnx_data_2']);
    expect(dtypeOfFileName('model_quantized.onnx')).toBe('q8');
    expect(dtypeOfFileName('model.onnx_data')).toBeNull();
    expect(DTYPES.map((d) => dtypeOfFileName(modelFileName(d)))).toEqual([...DTYPES]);
  });
});

/** A fake fetch that answers from a table of URL -> response and records every URL asked for. */
function fakeHub(routes: Record<string, { status?: number; body?: unknown; headers?: Record<string, string> }>) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetchFn: HubFetch = async (url, init) => {
    calls.push({ url, headers: init?.headers ?? {} });
    const route = routes[url];
    const status = route?.status ?? (route ? 200 : 404);
    const headers = new Map(Object.entries(route?.headers ?? (route ? {} : { 'x-error-code': 'EntryNotFound' })).map(([k, v]) => [k.toLowerCase(), v]));
    const res: HubFetchResponse = {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
      json: async () => clone(route?.body ?? { error: 'not found' }),
    };
    return res;
  };
  return { fetchFn, calls };
}

const HUB = 'https://huggingface.co';
const infoUrl = (id: string) => `${HUB}/api/models/${id}?blobs=true`;
const treeUrl = (id: string, rev = 'main') => `${HUB}/api/models/${id}/tree/${rev}/onnx`;

describe('checkAgainstHub', () => {
  it('confirms every fact from a model-info answer with blobs', async () => {
    const { fetchFn, calls } = fakeHub({ [infoUrl(QWEN05)]: { body: modelInfoFixture } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn);
    expect(calls.map((c) => c.url)).toEqual([infoUrl(QWEN05)]);
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.listing).toBe('blobs');
    expect(result.gated).toEqual({ expected: false, actual: false, mode: false, holds: true });
    expect(result.dtypes.map((d) => d.dtype)).toEqual(listedDtypes(entry(QWEN05)));
    expect(result.dtypes.every((d) => d.present && d.sizeHolds === true)).toBe(true);
    expect(result.extraDtypes).toEqual([]);
  });

  it('reports a file that is missing', async () => {
    const info = clone(modelInfoFixture);
    info.siblings = info.siblings.filter((s) => s.rfilename !== 'onnx/model_q4f16.onnx');
    const { fetchFn } = fakeHub({ [infoUrl(QWEN05)]: { body: info } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn);
    expect(result.ok).toBe(false);
    const q4f16 = result.dtypes.find((d) => d.dtype === 'q4f16')!;
    expect(q4f16).toMatchObject({ present: false, actualBytes: null, sizeHolds: null });
    expect(result.problems).toEqual(['q4f16: onnx/model_q4f16.onnx is missing on the Hub']);
  });

  it('reports a size that changed beyond the rounding tolerance, and ignores rounding-sized drift', async () => {
    const info = clone(modelInfoFixture);
    const q4 = info.siblings.find((s) => s.rfilename === 'onnx/model_q4.onnx')!;
    q4.size = 900_000_000;
    q4.lfs!.size = 900_000_000;
    const q8 = info.siblings.find((s) => s.rfilename === 'onnx/model_quantized.onnx')!;
    q8.size = 512_400_000; // 0.08 % off: within the rounding of "512 MB"
    q8.lfs!.size = 512_400_000;
    const { fetchFn } = fakeHub({ [infoUrl(QWEN05)]: { body: info } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn);
    expect(result.dtypes.find((d) => d.dtype === 'q8')?.sizeHolds).toBe(true);
    expect(result.dtypes.find((d) => d.dtype === 'q4')).toMatchObject({ sizeHolds: false, actualBytes: 900_000_000, expectedBytes: 786_000_000 });
    expect(result.problems).toEqual(['q4: size changed, catalogue 786000000 B, Hub 900000000 B (+14.5%)']);
  });

  it('reports a gated flag that changed', async () => {
    const info = { ...clone(modelInfoFixture), gated: 'manual' };
    const { fetchFn } = fakeHub({ [infoUrl(QWEN05)]: { body: info } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn);
    expect(result.gated).toEqual({ expected: false, actual: true, mode: 'manual', holds: false });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['gated: catalogue says false, Hub says gated (manual)']);
  });

  it('reports dtypes the Hub publishes but the catalogue does not list', async () => {
    const info = clone(modelInfoFixture);
    info.siblings.push({ rfilename: 'onnx/model_q2.onnx', blobId: 'f'.repeat(40), size: 1, lfs: { sha256: 'f'.repeat(64), size: 1, pointerSize: 130 } });
    const { fetchFn } = fakeHub({ [infoUrl(QWEN05)]: { body: info } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn);
    expect(result.extraDtypes).toEqual(['q2']);
    expect(result.ok).toBe(true); // an extra dtype is news, not a broken fact
  });

  it('lists onnx/ with the tree endpoint and counts external-data chunks', async () => {
    const info = { id: LLAMA, gated: false, siblings: [] as unknown[] };
    const { fetchFn, calls } = fakeHub({
      [infoUrl(LLAMA)]: { body: info },
      [treeUrl(LLAMA)]: { body: treeFixture },
    });
    const ok = await checkAgainstHub(entry(LLAMA), fetchFn, HUB, { via: 'tree' });
    expect(calls.map((c) => c.url)).toEqual([infoUrl(LLAMA), treeUrl(LLAMA)]);
    expect(ok.listing).toBe('tree');
    expect(ok.problems).toEqual([]);
    const fp32 = ok.dtypes.find((d) => d.dtype === 'fp32')!;
    expect(fp32.files.map((f) => f.path)).toEqual(['onnx/model.onnx', 'onnx/model.onnx_data']);
    expect(fp32.actualBytes).toBe(4_940_524_000);

    const split = clone(treeFixture);
    split.push({ ...clone(split[1]!), path: 'onnx/model.onnx_data_1' });
    const { fetchFn: f2 } = fakeHub({ [infoUrl(LLAMA)]: { body: info }, [treeUrl(LLAMA)]: { body: split } });
    const r2 = await checkAgainstHub(entry(LLAMA), f2, HUB, { via: 'tree' });
    expect(r2.dtypes.find((d) => d.dtype === 'fp32')?.extraChunks).toEqual(['onnx/model.onnx_data_1']);
    expect(r2.problems).toContain('fp32: the Hub has external-data chunks the catalogue does not count: onnx/model.onnx_data_1');
  });

  it('falls back to the tree when the model info has no file sizes, following Link pagination', async () => {
    const info = { id: LLAMA, gated: false, siblings: treeFixture.map((t) => ({ rfilename: t.path })) };
    const page2 = `${treeUrl(LLAMA)}?cursor=abc`;
    const { fetchFn, calls } = fakeHub({
      [infoUrl(LLAMA)]: { body: info },
      [treeUrl(LLAMA)]: { body: treeFixture.slice(0, 4), headers: { Link: `<${page2}>; rel="next"` } },
      [page2]: { body: treeFixture.slice(4) },
    });
    const result = await checkAgainstHub(entry(LLAMA), fetchFn);
    expect(calls.map((c) => c.url)).toEqual([infoUrl(LLAMA), treeUrl(LLAMA), page2]);
    expect(result.listing).toBe('tree');
    expect(result.ok).toBe(true);
  });

  it('uses the revision endpoints, a custom host and a token', async () => {
    const host = 'https://hub.example.org/';
    const rev = 'refs/pr/2';
    const url = `https://hub.example.org/api/models/${QWEN05}/revision/refs%2Fpr%2F2?blobs=true`;
    const { fetchFn, calls } = fakeHub({ [url]: { body: modelInfoFixture } });
    const result = await checkAgainstHub(entry(QWEN05), fetchFn, host, { revision: rev, token: 'hf_test' });
    expect(calls[0]).toEqual({ url, headers: { accept: 'application/json', authorization: 'Bearer hf_test' } });
    expect(result.revision).toBe(rev);
  });

  it('explains an anonymous HTTP 401 (missing, renamed or private repository)', async () => {
    const { fetchFn } = fakeHub({
      [infoUrl(QWEN05)]: { status: 401, body: { error: 'Invalid username or password.' }, headers: { 'X-Error-Code': 'RepoNotFound', 'X-Error-Message': 'Invalid username or password.' } },
    });
    const err = await checkAgainstHub(entry(QWEN05), fetchFn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubCheckError);
    expect(err).toMatchObject({ status: 401, code: 'RepoNotFound', url: infoUrl(QWEN05) });
    expect((err as Error).message).toMatch(/^HTTP 401 for onnx-community\/Qwen2\.5-0\.5B-Instruct: the Hub answers 401 to anonymous requests when a repository does not exist, was renamed or is private/);
    expect((err as Error).message).toContain('Hub: "Invalid username or password."');
  });

  it('explains a gated repository', async () => {
    const { fetchFn } = fakeHub({ [infoUrl(GEMMA)]: { status: 403, headers: { 'X-Error-Code': 'GatedRepo' } } });
    await expect(checkAgainstHub(entry(GEMMA), fetchFn)).rejects.toThrow(
      'onnx-community/gemma-3-1b-it-ONNX is gated: accept its licence at https://huggingface.co/onnx-community/gemma-3-1b-it-ONNX and pass a token with access (HTTP 403)',
    );
  });

  it('explains HTTP 404 for a missing repository, revision and onnx/ folder', async () => {
    const gone = fakeHub({ [infoUrl(PHI)]: { status: 404, headers: { 'X-Error-Code': 'RepoNotFound' } } });
    await expect(checkAgainstHub(entry(PHI), gone.fetchFn, HUB, { token: 't' })).rejects.toThrow(
      'onnx-community/Phi-3.5-mini-instruct-onnx-web was not found on the Hub (HTTP 404, RepoNotFound): it may have been renamed or deleted',
    );

    const noRev = fakeHub({ [`${HUB}/api/models/${PHI}/revision/v9?blobs=true`]: { status: 404, headers: { 'X-Error-Code': 'RevisionNotFound' } } });
    await expect(checkAgainstHub(entry(PHI), noRev.fetchFn, HUB, { revision: 'v9' })).rejects.toThrow(
      'onnx-community/Phi-3.5-mini-instruct-onnx-web has no revision "v9" (HTTP 404)',
    );

    const noOnnx = fakeHub({ [infoUrl(PHI)]: { body: { id: PHI, gated: false } } }); // no siblings: tree is asked, and 404s
    const err = await checkAgainstHub(entry(PHI), noOnnx.fetchFn).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'EntryNotFound', url: treeUrl(PHI) });
    expect((err as Error).message).toBe('onnx-community/Phi-3.5-mini-instruct-onnx-web has no onnx/ folder at revision "main" (HTTP 404)');
  });

  it('reports a network failure and an answer that is not the expected shape', async () => {
    const down: HubFetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(checkAgainstHub(entry(QWEN05), down)).rejects.toThrow(/could not reach the Hub for onnx-community\/Qwen2\.5-0\.5B-Instruct .*fetch failed/);
    const weird = fakeHub({ [infoUrl(QWEN05)]: { body: ['not', 'an', 'object'] } });
    await expect(checkAgainstHub(entry(QWEN05), weird.fetchFn)).rejects.toThrow(/expected a JSON object/);
  });

  it('parses Link headers', () => {
    expect(nextLink('<https://huggingface.co/api/models/x/tree/main?cursor=1>; rel="next"')).toBe('https://huggingface.co/api/models/x/tree/main?cursor=1');
    expect(nextLink('<https://a/prev>; rel="prev", <https://a/next>; rel="next"')).toBe('https://a/next');
    expect(nextLink(null)).toBeNull();
  });
});
