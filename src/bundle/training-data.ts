/**
 * Where each suite's training data comes from, with splits that never leak benchmark items:
 *   fair-pp        the release's own train split to train on, its test split to benchmark
 *   fair-pp-local  an anchor pack's questions split 80/20 with a seeded shuffle
 *   dvmap          the corpus train split to train on; a test or benchmark split to benchmark
 * A seeded 10% of the training questions is held out as eval.jsonl (validation during
 * training); the benchmark items are what eval_server.py scores afterwards.
 */
import { argmax, sampleTierWeights, countTiers, tierWeights, tierOf } from '../core/metrics/index.ts';
import type { Item } from '../core/items/item.ts';
import type { PromptTemplate } from '../core/prompts/template.ts';
import { createRng } from '../core/random/prng.ts';
import type { RunRecord } from '../core/record/schema.ts';
import type { DataSourceContext } from '../sources/source.ts';
import { readTableOrArrow } from '../sources/formats/arrow.ts';
import { getSuite } from '../suites/registry.ts';
import { resolveSuiteOptions } from '../suites/suite.ts';
import type { TrainingExample } from './examples.ts';
import { BundleError, type Method } from './methods.ts';

export interface TrainingData {
  train: TrainingExample[];
  eval: TrainingExample[];
  benchmark: Item[];
  /** The template training prompts are rendered with (the benchmark's own). */
  template: PromptTemplate;
  benchmarkTemplate: PromptTemplate;
  suiteOptions: Record<string, string | number | boolean>;
  data: RunRecord['suite']['data'];
  tiers?: Record<string, { count: number; weight: number }>;
  dpoSkippedNa?: number;
  notes: string[];
}

export interface TrainingRequest {
  suite: string;
  target: string;
  method: Method;
  splitSeed: number;
  /** The benchmark split where a suite has several (dvmap: test, dev, cross-*). */
  benchmarkSplit?: string;
  /** Other suite options (wvs-microdata: country, strata, ...). */
  suiteOptions?: Record<string, string>;
}

/** A seeded shuffle, then the first `share` of the items (rounded) and the rest. */
export function seededSplit<T>(items: readonly T[], share: number, seed: number): [T[], T[]] {
  const copy = [...items];
  const rng = createRng(seed);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  const cut = Math.round(copy.length * share);
  return [copy.slice(0, cut), copy.slice(cut)];
}

const VALIDATION_SHARE = 0.1;

function withValidation(examples: TrainingExample[], seed: number): { train: TrainingExample[]; eval: TrainingExample[] } {
  const [evalPart, trainPart] = seededSplit(examples, VALIDATION_SHARE, seed + 1);
  return { train: trainPart, eval: evalPart };
}

/** FAIR-SP: target = the target segment's answer; tiers from the other six segments' answers. */
function fairSpExamples(items: Item[], target: string, method: Method): { examples: TrainingExample[]; skippedNa: number } {
  const examples: TrainingExample[] = [];
  let skippedNa = 0;
  for (const item of items) {
    const anchors = (item.refs as { anchors?: Record<string, number[]> }).anchors ?? {};
    const own = anchors[target];
    if (!own) continue;
    const answer = argmax(own);
    const others = Object.entries(anchors)
      .filter(([segment]) => segment !== target)
      .map(([, d]) => argmax(d));
    const example: TrainingExample = { item, answer, tier: tierOf(answer, others) };
    if (method === 'dpo' || method === 'wdpo') {
      const substantive = item.options.length - item.fixedTail;
      if (answer >= substantive || substantive !== 2) {
        // N/A answers (and questions without exactly two substantive options) make no DPO pair.
        skippedNa++;
        continue;
      }
      example.rejected = 1 - answer;
    }
    examples.push(example);
  }
  return { examples, skippedNa };
}

function applyTierWeights(train: TrainingExample[], maxTier: number): Record<string, { count: number; weight: number }> {
  const tiers = train.map((e) => e.tier ?? 1);
  const weights = sampleTierWeights(tiers, maxTier);
  train.forEach((e, i) => (e.weight = weights[i]!));
  const counts = countTiers(tiers, maxTier);
  const raw = tierWeights(counts);
  return Object.fromEntries(counts.map((count, t) => [String(t + 1), { count, weight: raw[t]! }]));
}

/** What the model sees of an item: persona, question, options and template variables (not its id, which names the split). */
function promptKey(item: Item): string {
  const vars = item.vars ? Object.keys(item.vars).sort().map((k) => `${k}=${item.vars![k]}`) : [];
  return [item.system ?? '', item.question, item.options.join('\u0001'), ...vars].join('\u0000');
}

/** Above this share of benchmark prompts also in training, the files are taken to be mixed up. */
const LEAK_REFUSE_SHARE = 0.5;

/**
 * The guard behind "splits never leak": counts the benchmark items whose prompt (persona,
 * question, options) is also a training or validation prompt. Most of them: the training file is
 * the benchmark split itself (a test file given as the training data), so the bundle is refused.
 * A few: real data can repeat a prompt across splits (two respondents with one profile), so the
 * bundle is built and a note says how many.
 */
export function checkBenchmarkOverlap(data: Pick<TrainingData, 'train' | 'eval' | 'benchmark'>): string | null {
  const training = new Set([...data.train, ...data.eval].map((e) => promptKey(e.item)));
  const shared = data.benchmark.filter((item) => training.has(promptKey(item))).length;
  if (shared === 0) return null;
  if (shared >= LEAK_REFUSE_SHARE * data.benchmark.length) {
    throw new BundleError(
      `${shared} of the ${data.benchmark.length} benchmark questions are also training questions (the same persona, question and options): the training data looks like the benchmark split itself. Give the training split as the data file (--data) and the benchmark split separately (--file test=…), or leave them out to use the release's own files`,
    );
  }
  return `${shared} of the ${data.benchmark.length} benchmark prompts (persona, question and options) also occur in the training data; the splits are the source's own, so they are kept, but the benchmark is not wholly unseen`;
}

export async function collectTrainingData(request: TrainingRequest, context: DataSourceContext): Promise<TrainingData> {
  const data = await collectSplits(request, context);
  const overlap = checkBenchmarkOverlap(data);
  return overlap ? { ...data, notes: [...data.notes, overlap] } : data;
}

async function collectSplits(request: TrainingRequest, context: DataSourceContext): Promise<TrainingData> {
  const suite = getSuite(request.suite);
  const notes: string[] = [];
  if (request.suite === 'fair-pp' || request.suite === 'fair-pp-local') {
    const baseOptions = resolveSuiteOptions(suite, {});
    let trainItems: Item[];
    let benchmark: Item[];
    let data: RunRecord['suite']['data'];
    if (request.suite === 'fair-pp') {
      const trainOptions = resolveSuiteOptions(suite, { split: 'train' });
      const trainLoaded = await suite.load(trainOptions, { ...context, userFile: context.extraFiles?.train ?? context.userFile });
      const testLoaded = await suite.load(resolveSuiteOptions(suite, { split: 'test' }), { ...context, userFile: context.extraFiles?.test });
      trainItems = trainLoaded.items;
      benchmark = testLoaded.items;
      data = { ...trainLoaded.data, split: 'train (training) / test (benchmark)', files: [...trainLoaded.data.files, ...testLoaded.data.files] };
      notes.push('training questions: the release\'s train split; benchmark: its test split');
    } else {
      if (!context.extraFiles?.anchors) throw new BundleError('a fair-pp-local bundle needs an anchor pack (--anchors <pack.json>): our bank has no anchors of its own');
      const loaded = await suite.load(baseOptions, context);
      [trainItems, benchmark] = seededSplit(loaded.items, 0.8, request.splitSeed);
      data = loaded.data;
      notes.push(`the anchor pack's ${loaded.items.length} questions split 80/20 with seed ${request.splitSeed}`);
    }
    const { examples, skippedNa } = fairSpExamples(trainItems, request.target, request.method);
    if (examples.length === 0) throw new BundleError(`no training question has an answer for ${request.target}`);
    const { train, eval: evalSet } = withValidation(examples, request.splitSeed);
    const tiers = request.method === 'wsft' || request.method === 'wdpo' ? applyTierWeights(train, 7) : undefined;
    if (tiers) {
      // Validation examples carry the tier and the weight of their tier (scaled like train's).
      const byTier = new Map(train.map((e) => [e.tier, e.weight]));
      for (const e of evalSet) e.weight = byTier.get(e.tier) ?? 1;
    }
    const template = suite.template('likelihood', baseOptions);
    return {
      train,
      eval: evalSet,
      benchmark,
      template,
      benchmarkTemplate: template,
      suiteOptions: request.suite === 'fair-pp' ? { ...baseOptions, split: 'test' } : baseOptions,
      data,
      ...(tiers ? { tiers } : {}),
      ...(request.method === 'dpo' || request.method === 'wdpo' ? { dpoSkippedNa: skippedNa } : {}),
      notes: skippedNa > 0 ? [...notes, `${skippedNa} questions whose target answer is N/A make no DPO pair and are left out`] : notes,
    };
  }

  if (request.suite === 'dvmap') {
    const prompt = request.method === 'grpo' ? 'reasoning' : 'direct';
    const split = request.benchmarkSplit ?? 'test';
    const options = resolveSuiteOptions(suite, { split, prompt });
    const { fetchDvmapSplit } = await import('../suites/dvmap/definition.ts');
    const { releaseItems } = await import('../suites/dvmap/release.ts');
    let trainTable;
    if (context.extraFiles?.train) {
      const f = context.extraFiles.train;
      trainTable = { table: await readTableOrArrow(f.name, await f.bytes()), source: `file:${f.name}` };
    } else {
      const fetched = await fetchDvmapSplit('train', context);
      trainTable = { table: fetched.table, source: fetched.source };
    }
    const trainItems = releaseItems(trainTable.table, { split: 'train', source: trainTable.source, prompt }).items;
    const loaded = await suite.load(options, context);
    const examples: TrainingExample[] = trainItems.map((item) => ({ item, answer: (item.refs as { gold: number }).gold }));
    const { train, eval: evalSet } = withValidation(examples, request.splitSeed);
    notes.push(`training questions: the DVMap corpus train split; benchmark: the ${split} split`);
    const template = suite.template(prompt === 'reasoning' ? 'generate' : 'likelihood', options);
    const benchmarkOptions = resolveSuiteOptions(suite, { split, prompt: 'direct' });
    return {
      train,
      eval: evalSet,
      benchmark: prompt === 'direct' ? loaded.items : (await suite.load(benchmarkOptions, context)).items,
      template,
      benchmarkTemplate: suite.template('likelihood', benchmarkOptions),
      suiteOptions: benchmarkOptions,
      data: loaded.data,
      notes,
    };
  }
  if (request.suite === 'wvs-microdata') {
    // The compositional split: train strata to train on, the unseen attribute pairs to benchmark.
    const given = { ...(request.suiteOptions ?? {}) };
    const trainLoaded = await suite.load(resolveSuiteOptions(suite, { ...given, split: 'train' }), context);
    const benchmarkOptions = resolveSuiteOptions(suite, { ...given, split: 'ood' });
    const benchmarkLoaded = await suite.load(benchmarkOptions, context);
    const examples: TrainingExample[] = trainLoaded.items.map((item) => ({ item, answer: (item.refs as { mode: number }).mode }));
    const { train, eval: evalSet } = withValidation(examples, request.splitSeed);
    const template = suite.template('likelihood', benchmarkOptions);
    return {
      train,
      eval: evalSet,
      benchmark: benchmarkLoaded.items,
      template,
      benchmarkTemplate: template,
      suiteOptions: benchmarkOptions,
      data: benchmarkLoaded.data,
      notes: ['training (subgroup, question) pairs: the training strata (single attributes and pairs with the first); benchmark: the unseen attribute pairs (compositional split); targets: each subgroup\'s modal answer'],
    };
  }
  throw new BundleError(`suite ${request.suite} has no training data adapter`);
}
