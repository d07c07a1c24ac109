/**
 * Our own FAIR-SP templates: well-formed, one advantage form per topic, wording that is ours
 * (none of the release's template phrases), and loud failure on a malformed edit.
 */
import { describe, expect, it } from 'vitest';
import templatesJson from '../../static-data/fair-pp/local-templates.json' with { type: 'json' };
import {
  ADVANTAGE_FORMS,
  flatTopics,
  loadLocalTemplates,
  loadTaxonomy,
  parseLocalTemplates,
  placeholders,
} from '../../src/suites/fair-pp-local/taxonomy.ts';

const clone = (): any => structuredClone(templatesJson);

describe('local templates (static-data/fair-pp/local-templates.json)', () => {
  const tax = loadTaxonomy();
  const templates = loadLocalTemplates();

  it('has a forward and a justification template for each of the 5 dimensions', () => {
    expect(templates.templates.map((t) => t.dimension)).toEqual([1, 2, 3, 4, 5]);
    for (const t of templates.templates) {
      expect(new Set(placeholders(t.forward.stem))).toEqual(new Set(['topic', 'group']));
      expect(new Set(placeholders(t.justification.stem))).toEqual(new Set(['group', 'advantage']));
      for (const p of [t.forward, t.justification]) {
        expect(p.stem).toMatch(/\?$/);
        expect(p.options.C).toBe('N/A');
        expect(p.options.A).not.toBe(p.options.B);
        for (const option of [p.options.A, p.options.B]) {
          expect(option).toMatch(/^[A-Z][^{}]*[^.]$/);
          expect(option.split(' ').length).toBeLessThanOrEqual(14);
        }
      }
    }
  });

  it('gives every taxonomy topic exactly one advantage form', () => {
    const names = flatTopics(tax).map((t) => t.topic.name);
    expect(Object.keys(templates.topicForms).sort()).toEqual([...names].sort());
    for (const form of Object.values(templates.topicForms)) expect(ADVANTAGE_FORMS).toContain(form);
    for (const form of ADVANTAGE_FORMS) expect(placeholders(templates.advantageForms[form].text)).toEqual(['topic']);
    // Taxes are never "received"; topics that open with an evaluative adjective never take "more".
    const forms = templates.topicForms;
    for (const t of flatTopics(tax).filter((x) => x.category === 'tax')) expect(forms[t.topic.name]).toBe('tax');
    for (const name of names) {
      if (/^(accessible|affordable|effective|quality|reliable|stable|basic|essential|routine|subsidized|free|culturally|equitable|unbiased|guaranteed|ensured|protected)\b/.test(name)) {
        expect(forms[name], name).not.toBe('quantity');
      }
    }
  });

  it('is written in our words: no phrase of the release’s templates', () => {
    const ours = JSON.stringify(templates.templates) + JSON.stringify(templates.advantageForms);
    for (const phrase of [/in your opinion/i, /criterion/i, /\bAssuming\b/, /which of the following explanations/i, /allocation based on/i, /fair competition with equal rules/i, /targeted support/i, /deserve compensation/i, /moral constrain/i]) {
      expect(ours).not.toMatch(phrase);
    }
  });

  describe('a malformed edit fails loudly', () => {
    it('rejects a stray placeholder', () => {
      const raw = clone();
      raw.templates[0].forward.stem = 'Is {topic} for {groups} fair?';
      expect(() => parseLocalTemplates(raw, tax)).toThrow(/placeholders must be exactly \{topic\}, \{group\}/);
    });
    it('rejects a topic without a form and a form for an unknown topic', () => {
      const raw = clone();
      delete raw.topicForms['food'];
      raw.topicForms['fodo'] = 'quantity';
      expect(() => parseLocalTemplates(raw, tax)).toThrow(/missing: food[\s\S]*not in the taxonomy: fodo/);
    });
    it('rejects an unknown form, a changed N/A and out-of-order dimensions', () => {
      const form = clone();
      form.topicForms['food'] = 'amount';
      expect(() => parseLocalTemplates(form, tax)).toThrow();
      const na = clone();
      na.templates[2].justification.options.C = 'Neither';
      expect(() => parseLocalTemplates(na, tax)).toThrow();
      const order = clone();
      [order.templates[0], order.templates[1]] = [order.templates[1], order.templates[0]];
      expect(() => parseLocalTemplates(order, tax)).toThrow(/expected 1/);
    });
  });
});
