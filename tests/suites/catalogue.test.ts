import { describe, expect, it } from 'vitest';
import { SUITE_CATALOGUE } from '../../src/suites/catalogue.ts';
import { SUITES } from '../../src/suites/registry.ts';

describe('suite catalogue and registry', () => {
  it('list the same suites with the same metadata', () => {
    expect(SUITE_CATALOGUE.map((s) => s.id)).toEqual(SUITES.map((s) => s.id));
    for (const meta of SUITE_CATALOGUE) {
      const suite = SUITES.find((s) => s.id === meta.id)!;
      for (const key of ['title', 'description', 'version', 'licence', 'citation', 'family'] as const) expect(suite[key]).toBe(meta[key]);
      expect(suite.options).toEqual(meta.options);
      expect(suite.inputs).toEqual(meta.inputs);
    }
  });
  it('every suite names its data licence and a citation', () => {
    for (const s of SUITE_CATALOGUE) {
      expect(s.licence.length).toBeGreaterThan(3);
      expect(s.citation.length).toBeGreaterThan(20);
    }
  });
});
