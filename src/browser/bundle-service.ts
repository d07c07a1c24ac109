/** Builds a training bundle in the Worker (data collection, template, zip) and hands back the bytes. */
import { buildBundleFiles, zipBundle } from '../bundle/build-bundle.ts';
import { checkBundleRequest } from '../bundle/methods.ts';
import { collectTrainingData } from '../bundle/training-data.ts';
import { userFileFromBlob } from '../sources/source.ts';
import { getSuite } from '../suites/registry.ts';
import { loadBundleTemplate } from './bundle-template.ts';
import { browserDataSource } from './data-source.ts';
import { RunStore } from './run-store.ts';

export interface BundleBuildRequest {
  suite: string;
  target: string;
  method: string;
  baseModel: string;
  splitSeed: number;
  order: 'fixed' | 'cyclic';
  benchmarkSplit?: string;
  /** The suite's options that shape the data (WVS microdata: country, questions, strata, minCount). */
  suiteOptions?: Record<string, string>;
  dataFile?: File;
  extraFiles?: Record<string, File>;
  hubHost?: string;
  githubRawHost?: string;
  hubToken?: string;
}

export interface BundleBuildResult {
  name: string;
  zip: Uint8Array;
  counts: { train: number; eval: number; benchmark: number };
  notes: string[];
  millis: number;
}

export async function buildBundleInWorker(request: BundleBuildRequest, log: (message: string) => void = () => {}): Promise<BundleBuildResult> {
  const started = performance.now();
  const { method } = checkBundleRequest(request.suite, request.method, request.target);
  if (!/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(request.baseModel)) throw new Error(`"${request.baseModel}" is not a Hugging Face model id (org/name)`);
  const store = await RunStore.open();
  const context = browserDataSource({
    store,
    hubHost: request.hubHost,
    githubRawHost: request.githubRawHost,
    hubToken: request.hubToken,
    userFile: request.dataFile ? userFileFromBlob(request.dataFile, request.dataFile.name) : undefined,
    extraFiles: request.extraFiles ? Object.fromEntries(Object.entries(request.extraFiles).map(([k, f]) => [k, userFileFromBlob(f, f.name)])) : undefined,
    log,
  });
  const data = await collectTrainingData(
    {
      suite: request.suite,
      target: request.target,
      method,
      splitSeed: request.splitSeed,
      benchmarkSplit: request.benchmarkSplit,
      ...(request.suiteOptions ? { suiteOptions: request.suiteOptions } : {}),
    },
    context,
  );
  log('packing the bundle');
  const files = buildBundleFiles(
    { suite: request.suite, suiteVersion: getSuite(request.suite).version, target: request.target, method, baseModel: request.baseModel, splitSeed: request.splitSeed, order: request.order },
    data,
    await loadBundleTemplate(),
  );
  const zip = zipBundle(files);
  return { name: `${files.root}.zip`, zip, counts: { train: data.train.length, eval: data.eval.length, benchmark: data.benchmark.length }, notes: data.notes, millis: performance.now() - started };
}
