/**
 * WVS-7 ingestion: throughput and peak memory of the streaming reader on a large WVS-shaped CSV,
 * so the claim "the file is never held, not even once" is measured, not asserted.
 *
 *   npx tsx bench/wvs-ingest.ts [MB=300] [--file <csv>] [--keep] [--repeat N=3]
 *
 * Without --file it writes a ~MB WVS-shaped CSV with the fixture generator's --large mode into a
 * temporary folder (deleted afterwards unless --keep). Each scenario runs in a fresh Node process
 * (so one scenario's heap does not inflate the next one's peak) and reports: seconds, throughput
 * (MiB of file per second), the process's peak RSS (the OS's maxRSS) and the peak of rss and
 * heapUsed sampled after every chunk, each also as the rise over the process's baseline before
 * reading, beside the file size. Each scenario runs N times (default 3): the fastest time is
 * reported (the machine may be shared) and the largest of each memory figure.
 *
 * Scenarios:
 *   scan only        a country absent from the file: every byte scanned, nothing kept
 *   reader GBR       the reader keeping GBR (about 10% of the generated rows)
 *   reader SGP       the reader keeping SGP (about 75% of the rows: a worst case; a real WVS
 *                    country is 1-4% of the file's ~97,000 rows)
 *   reader SGP+hash  the same with SHA-256 of the file while streaming (what the suite does)
 *   suite SGP        the whole suite load: read + subgroups + MDS + items (OOD split)
 *   papaparse SGP    papaparse streaming over the decoded text (row arrays of strings), with the
 *                    same filter and integer parsing: the alternative we measured against
 *   whole file       for contrast: read the file into memory and decode it to one string
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { userFileFromPath } from '../src/node/data-source.ts';
import { readWvsCsv } from '../src/sources/wvs/stream-reader.ts';
import { wvsMicrodataSuite } from '../src/suites/wvs-microdata/definition.ts';
import { nodeDataSource } from '../src/node/data-source.ts';
import { resolveSuiteOptions } from '../src/suites/suite.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
/** The columns the suite keeps by default on the fixture's questions. */
const COLUMNS = ['Q260', 'Q262', 'Q290', 'Q289', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q27', 'Q29', 'Q36', 'Q46', 'Q49', 'Q50', 'Q60', 'Q131'];

const SCENARIOS = ['scan only', 'reader GBR', 'reader SGP', 'reader SGP+hash', 'suite SGP', 'papaparse SGP', 'whole file'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Result {
  scenario: Scenario;
  seconds: number;
  rowsRead: number;
  rowsKept: number;
  items?: number;
  baselineRss: number;
  baselineHeap: number;
  peakRss: number;
  peakHeap: number;
  maxRss: number;
}

/** Samples rss and heapUsed; call often. */
function sampler() {
  const peak = { rss: 0, heap: 0 };
  return {
    peak,
    sample() {
      const m = process.memoryUsage();
      if (m.rss > peak.rss) peak.rss = m.rss;
      if (m.heapUsed > peak.heap) peak.heap = m.heapUsed;
    },
  };
}

async function runScenario(scenario: Scenario, path: string): Promise<Result> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  const s = sampler();
  s.sample();
  const timer = setInterval(() => s.sample(), 5);
  const t0 = performance.now();
  let rowsRead = 0;
  let rowsKept = 0;
  let items: number | undefined;
  const file = userFileFromPath(path);
  try {
    if (scenario === 'suite SGP') {
      const options = resolveSuiteOptions(wvsMicrodataSuite, { country: 'SGP' });
      const loaded = await wvsMicrodataSuite.load(options, { ...nodeDataSource({ cache: false }), userFile: file, log: () => s.sample() });
      items = loaded.items.length;
      rowsKept = Number(/(\d+) respondents of (\d+) rows/.exec(loaded.notes[0] ?? '')?.[1] ?? 0);
      rowsRead = Number(/(\d+) respondents of (\d+) rows/.exec(loaded.notes[0] ?? '')?.[2] ?? 0);
    } else if (scenario === 'papaparse SGP') {
      await new Promise<void>((done, fail) => {
        let header: string[] | null = null;
        let countryAt = -1;
        let keepAt: number[] = [];
        const kept = COLUMNS.map(() => [] as number[]);
        Papa.parse(createReadStream(path, { highWaterMark: MiB, encoding: 'utf8' }) as unknown as File, {
          step: (row: Papa.ParseStepResult<string[]>) => {
            const fields = row.data;
            if (!header) {
              header = fields.map((f) => f.trim().toUpperCase());
              countryAt = header.indexOf('B_COUNTRY_ALPHA');
              keepAt = COLUMNS.map((c) => header!.indexOf(c));
              return;
            }
            rowsRead++;
            if ((rowsRead & 8191) === 0) s.sample();
            if (fields[countryAt] !== 'SGP') return;
            rowsKept++;
            keepAt.forEach((at, j) => {
              const v = Number(fields[at]);
              kept[j]!.push(Number.isInteger(v) ? v : -2147483648);
            });
          },
          complete: () => done(),
          error: (e: Error) => fail(e),
        });
      });
    } else if (scenario === 'whole file') {
      const text = new TextDecoder().decode(readFileSync(path));
      s.sample();
      let lines = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      rowsRead = lines - 1;
    } else {
      const countries = scenario === 'scan only' ? ['ZZZ'] : scenario === 'reader GBR' ? ['GBR'] : ['SGP'];
      const r = await readWvsCsv(file.stream(), {
        fileName: file.name,
        totalBytes: file.size,
        countries,
        select: () => COLUMNS,
        hash: scenario === 'reader SGP+hash',
        onProgress: () => s.sample(),
      });
      rowsRead = r.rowsInFile;
      rowsKept = r.data.rows;
    }
  } finally {
    clearInterval(timer);
  }
  s.sample();
  const seconds = (performance.now() - t0) / 1000;
  return {
    scenario,
    seconds,
    rowsRead,
    rowsKept,
    ...(items === undefined ? {} : { items }),
    baselineRss: base.rss,
    baselineHeap: base.heapUsed,
    peakRss: s.peak.rss,
    peakHeap: s.peak.heap,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

const mib = (b: number) => (b / MiB).toFixed(0).padStart(6);

async function main(argv: string[]) {
  const scenarioFlag = argv.indexOf('--scenario');
  const fileFlag = argv.indexOf('--file');
  if (scenarioFlag >= 0) {
    const result = await runScenario(argv[scenarioFlag + 1] as Scenario, argv[fileFlag + 1]!);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const mb = Number(argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--repeat') ?? 300);
  let path = fileFlag >= 0 ? resolve(argv[fileFlag + 1]!) : '';
  let temp: string | null = null;
  if (!path) {
    temp = mkdtempSync(join(tmpdir(), 'wvs-bench-'));
    path = join(temp, 'wvs-large.csv');
    console.log(`writing a ${mb} MiB WVS-shaped CSV with the fixture generator (--large) to ${path} …`);
    const gen = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/fixtures/make-fixtures.ts'), '--large', String(mb), path], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('the fixture generator failed');
  }
  if (!existsSync(path)) throw new Error(`no file ${path}`);
  const size = statSync(path).size;
  console.log(`file: ${path}, ${(size / MiB).toFixed(1)} MiB (${size} bytes)`);
  console.log(`node ${process.version}, ${process.platform}-${process.arch}, ${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; one fresh process per run; MiB = 2^20 bytes\n`);
  console.log('scenario          seconds   MiB/s   rows read    kept rows | peak RSS  rise | peak heapUsed  rise | OS maxRSS');
  try {
    const repeatAt = argv.indexOf('--repeat');
    const repeat = repeatAt >= 0 ? Math.max(1, Number(argv[repeatAt + 1]) || 1) : 3;
    for (const scenario of SCENARIOS) {
      const runs: Result[] = [];
      let failure = '';
      for (let k = 0; k < repeat && !failure; k++) {
        const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--scenario', scenario, '--file', path], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        });
        if (child.status !== 0) failure = child.stderr.trim().split('\n').slice(-3).join(' / ');
        else runs.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Result);
      }
      if (failure) {
        console.log(`${scenario.padEnd(16)}  failed: ${failure}`);
        continue;
      }
      const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const most = (f: (r: Result) => number) => Math.max(...runs.map(f));
      const r = { ...best, peakRss: most((x) => x.peakRss), maxRss: most((x) => x.maxRss), peakHeap: most((x) => x.peakHeap) };
      console.log(
        `${r.scenario.padEnd(16)} ${r.seconds.toFixed(2).padStart(8)} ${(size / MiB / r.seconds).toFixed(1).padStart(7)} ${String(r.rowsRead).padStart(11)} ${String(r.rowsKept).padStart(12)} |` +
          `${mib(r.peakRss)} ${mib(most((x) => x.peakRss - x.baselineRss))} |${mib(r.peakHeap).padStart(13)} ${mib(most((x) => x.peakHeap - x.baselineHeap))} | ${mib(r.maxRss)}` +
          (r.items === undefined ? '' : `   (${r.items} items)`),
      );
    }
    console.log(`\nfile size for comparison: ${(size / MiB).toFixed(1)} MiB. Memory columns in MiB; "rise" = peak minus the process's level just before reading.`);
  } finally {
    if (temp && !argv.includes('--keep')) rmSync(temp, { recursive: true, force: true });
    else if (temp) console.log(`kept ${path}`);
  }
}

await main(process.argv.slice(2));
