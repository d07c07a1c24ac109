/**
 * Persona prompts for subgroups, in our own words (the paper's wording is not published):
 *
 *   "You are a woman aged 35-54, of Malay ethnicity, Muslim, living in Singapore."
 *
 * Built as: "You are " + the sex noun ("a man", "a woman"; "a person" when the subgroup has no
 * sex) + " aged <group>" when it has an age group + ", <phrase>" for every other attribute in the
 * order sex, age_group, ethnicity, religion, income, education, marital, language + ", living in
 * <country name>." Only the subgroup's own attributes are named: a persona of the ethnicity
 * stratum says nothing about sex or age.
 */
import type { Codebook } from '../../sources/wvs/codebook.ts';
import { ATTRIBUTE_IDS, ATTRIBUTES, type AttributeId } from './attributes.ts';

export function personaPrompt(categories: Partial<Record<AttributeId, number>>, countryName: string, codebook: Codebook): string {
  const sex = categories.sex;
  let text = `You are ${sex === undefined ? 'a person' : ATTRIBUTES.sex.phrase(sex, codebook)}`;
  const age = categories.age_group;
  if (age !== undefined) text += ` ${ATTRIBUTES.age_group.phrase(age, codebook)}`;
  for (const id of ATTRIBUTE_IDS) {
    if (id === 'sex' || id === 'age_group') continue;
    const key = categories[id];
    if (key !== undefined) text += `, ${ATTRIBUTES[id].phrase(key, codebook)}`;
  }
  return `${text}, living in ${countryName}.`;
}
