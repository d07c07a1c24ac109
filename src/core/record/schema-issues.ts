/**
 * zod validation problems as one line a user can act on: "path: message" for the first few.
 * A missing field reads "missing" (zod's own words are "expected string, received undefined").
 */
import type { z } from 'zod';

/** Parse parameters: missing fields say so. Pass as `schema.safeParse(value, MISSING_IS_MISSING)`. */
export const MISSING_IS_MISSING: z.core.ParseContext<z.core.$ZodIssue> = {
  error: (issue) => (issue.input === undefined ? 'missing' : undefined),
};

export function describeIssues(issues: readonly z.core.$ZodIssue[], limit: number): string {
  const shown = issues.slice(0, limit).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return `${shown.join('; ')}${more}`;
}
