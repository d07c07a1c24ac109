/**
 * Suite `fair-pp-local`: the product's own FAIR-SP question bank (28,420 questions built from
 * the taxonomy with templates written by this project). Works offline. It has no anchors of
 * its own: score it against an anchor pack (role-play anchors generated with any model, or
 * imported). Never mixed with the release's questions in one score.
 */
import { sha256Hex } from '../../core/hash/sha256.ts';
import { applyAnchorPack, parseAnchorPack } from '../fair-pp/anchors.ts';
import { LOCAL_EVAL_TEMPLATE } from '../fair-pp/prompts.ts';
import { expandRoleplay } from '../fair-pp/roleplay.ts';
import { fairPpStatistics, scoreFairPp } from '../fair-pp/score.ts';
import { personaSet } from '../fair-pp/segments.ts';
import type { Suite } from '../suite.ts';
import { buildLocalBank } from './bank.ts';
import { LOCAL_DATASET_ID, type PersonaSetId } from './taxonomy.ts';
import { LOCAL_CITATION, LOCAL_LICENCE, fairPpLocalMeta } from './meta.ts';

export const fairPpLocalSuite: Suite = {
  ...fairPpLocalMeta,
  template() {
    return LOCAL_EVAL_TEMPLATE;
  },
  async load(options, context) {
    let items = buildLocalBank() as import('../../core/items/item.ts').Item[];
    const notes: string[] = [];
    const packFile = context.extraFiles?.anchors;
    const files = [];
    if (packFile) {
      const packBytes = await packFile.bytes();
      const pack = parseAnchorPack(new TextDecoder().decode(packBytes));
      const applied = applyAnchorPack(items, pack);
      items = applied.items;
      notes.push(...applied.notes, `anchors: anchor pack ${packFile.name}: ${pack.provenance.description}`);
      files.push({ path: packFile.name, sha256: sha256Hex(packBytes), bytes: packBytes.byteLength });
    } else {
      notes.push('no anchor pack: distributions are recorded, and similarity needs an anchor pack (generate one by role-play, or import one)');
    }
    const roleplay = String(options.roleplay);
    if (roleplay !== 'none') items = expandRoleplay(items, personaSet(roleplay as PersonaSetId));
    return {
      items,
      data: { source: `builtin:${LOCAL_DATASET_ID}`, files, licence: LOCAL_LICENCE, citation: LOCAL_CITATION },
      stratifyBy: roleplay !== 'none' ? ['persona', 'dimension', 'phrasing'] : ['dimension', 'phrasing', 'theme'],
      notes,
    };
  },
  score(items, options, metrics) {
    const result = scoreFairPp(items, metrics, { roleplay: options.roleplay !== 'none', officialQuestions: false });
    return { ...result, suite: 'fair-pp-local' };
  },
  statistics(items) {
    return fairPpStatistics(items);
  },
};
