import type { SuiteMeta } from '../suite.ts';

export const WVS_LICENCE =
  'World Values Survey data: free for non-commercial research after registration at worldvaluessurvey.org; the file is the user\'s own and is never redistributed';
export const WVS_CITATION =
  'Haerpfer, C., Inglehart, R., Moreno, A., Welzel, C., Kizilova, K., Diez-Medrano, J., Lagos, M., Norris, P., Ponarin, E. & Puranen, B. (eds.) World Values Survey: Round Seven - Country-Pooled Datafile. JD Systems Institute & WVSA Secretariat (cite the version of the file you loaded). Method: subgroup-aware alignment on Singapore\'s WVS-7 data (intersectional personas, Modal Diversity Score, compositional OOD split), applied here to any country.';

export const SPLIT_CHOICES = ['ood', 'train', 'all'] as const;

export const wvsMicrodataMeta: SuiteMeta = {
  id: 'wvs-microdata',
  title: 'WVS-7 subgroups from your own microdata (any country)',
  description:
    'Intersectional personas (sex x age group x ethnicity x religion) built from your WVS Wave 7 CSV for a country you pick; each (subgroup, question) item is scored against the subgroup\'s modal answer. Accuracy, NMAE and their fairness spread (normalised range, CV) across subgroups on the compositional out-of-distribution split, with the Modal Diversity Score of every question. Singapore reproduces the setting of the seed paper; the numbers are ours, not the paper\'s.',
  version: '1',
  licence: WVS_LICENCE,
  citation: WVS_CITATION,
  options: [
    { key: 'country', description: 'the country (ISO alpha-3 code or name; --country on the CLI)', type: 'string', default: 'SGP' },
    { key: 'questions', description: 'WVS question codes, comma-separated (default: every question with metadata present in the file)', type: 'string', default: '' },
    { key: 'strata', description: 'persona attributes, comma-separated; the first is crossed with each other one in training (sex, age_group, ethnicity, religion, income, education, marital, language)', type: 'string', default: 'sex,age_group,ethnicity,religion' },
    { key: 'keep', description: 'keep only some groups of a strata attribute, by WVS code or label: ethnicity=702001|702002|702003 (Singapore\'s Chinese, Malay and Indian, the seed paper\'s three; by name, ethnicity=Chinese|Malay|Indian, with a codebook file, since ethnic groups and languages differ by country); several as ethnicity=...;religion=...; respondents of other groups are in no subgroup of that attribute (default: every group)', type: 'string', default: '' },
    { key: 'minCount', description: 'respondents a subgroup needs, and valid answers a (subgroup, question) pair needs', type: 'number', default: 30 },
    { key: 'split', description: 'ood = unseen attribute pairs (the paper\'s evaluation), train = single attributes and pairs with the first, all = both', type: 'string', default: 'ood', choices: SPLIT_CHOICES },
  ],
  family: 'wvs',
  inputs: [
    { role: 'data', label: 'Your WVS Wave 7 CSV (from the WVS website, free after registration; streamed, never uploaded)', accept: '.csv,.txt', required: true },
    { role: 'codebook', label: 'Codebook labels for country-specific codes (optional: JSON or CSV of variable, code, label)', accept: '.json,.csv', required: false },
    { role: 'metadata', label: 'Question metadata for questions Pluralscope does not ship (optional: JSON or CSV)', accept: '.json,.csv', required: false },
  ],
  defaults() {
    return { mode: 'likelihood', parser: 'label', maxNewTokens: 16 };
  },
  baselines: ['majority'],
};
