/**
 * Suite `global-opinions`: GlobalOpinionQA (Durmus et al. 2023; Hugging Face
 * Anthropic/llm_global_opinions, CC-BY-NC-SA 4.0), loaded at run time or from a file: WVS and
 * Pew Global Attitudes questions with per-country answer distributions. A model's answer
 * distribution is compared with every country's; the world table says whose opinions it is
 * closest to.
 */
import { sha256Hex } from '../../core/hash/sha256.ts';
import { DatasetError, readTable } from '../../sources/formats/table.ts';
import { hubDatasetFileUrl, type DataSourceContext } from '../../sources/source.ts';
import type { LoadedSuite, Suite, SuiteOptionValues } from '../suite.ts';
import { GLOBAL_OPINIONS_CITATION, GLOBAL_OPINIONS_LICENCE, globalOpinionsMeta } from './meta.ts';
import { labelIso3, NO_PERSONA, personaIso3, personaName } from './persona.ts';
import { countryPersonaPrompt, GLOBAL_OPINIONS_TEMPLATE, MAX_NEW_TOKENS } from './prompts.ts';
import { GLOBAL_OPINIONS_DATASET, GLOBAL_OPINIONS_FILE, releaseItems, type GlobalOpinionsRefs } from './release.ts';
import { scoreGlobalOpinions } from './score.ts';

export { GLOBAL_OPINIONS_CITATION, GLOBAL_OPINIONS_LICENCE } from './meta.ts';

export const globalOpinionsSuite: Suite = {
  ...globalOpinionsMeta,
  template() {
    return GLOBAL_OPINIONS_TEMPLATE;
  },
  async load(options: SuiteOptionValues, context: DataSourceContext): Promise<LoadedSuite> {
    const persona = personaIso3(options.persona);
    let bytes: Uint8Array;
    let name: string;
    let path: string;
    if (context.userFile) {
      name = path = context.userFile.name;
      bytes = await context.userFile.bytes();
    } else {
      path = hubDatasetFileUrl(context.hubHost, GLOBAL_OPINIONS_DATASET, 'main', GLOBAL_OPINIONS_FILE);
      name = GLOBAL_OPINIONS_FILE;
      context.log?.(`reading GlobalOpinionQA (${GLOBAL_OPINIONS_FILE})`);
      bytes = await context.fetchBytes(path, { signal: context.signal });
    }
    const table = await readTable(name, bytes);
    if (table.rows.length === 0) throw new DatasetError(`${name} has no rows`);
    let { items, notes } = releaseItems(table, name);
    if (items.length === 0) throw new DatasetError(`${name} has no question with a usable country distribution`);
    if (persona) {
      const countryName = personaName(persona);
      const system = countryPersonaPrompt(countryName);
      const mine = items.filter((item) => Object.keys((item.refs as unknown as GlobalOpinionsRefs).countries).some((label) => labelIso3(label) === persona));
      if (mine.length === 0) throw new DatasetError(`no question in ${name} has answers from ${countryName} (${persona})`);
      notes = [...notes, `persona ${countryName} (${persona}): ${mine.length} of ${items.length} questions have its answers`];
      items = mine.map((item) => ({ ...item, id: `${item.id}~${persona}`, system, meta: { ...item.meta, persona, baseId: item.id } }));
    }
    return {
      items,
      data: {
        source: context.userFile ? `file:${context.userFile.name}` : `hf:${GLOBAL_OPINIONS_DATASET}`,
        ...(context.userFile ? {} : { revision: 'main' }),
        split: 'global_opinions',
        files: [{ path, sha256: sha256Hex(bytes), bytes: bytes.byteLength }],
        licence: GLOBAL_OPINIONS_LICENCE,
        citation: GLOBAL_OPINIONS_CITATION,
      },
      stratifyBy: ['source'],
      notes,
    };
  },
  score(items, options, metrics) {
    return scoreGlobalOpinions(items, metrics, personaIso3(options.persona));
  },
};
