/**
 * Hooks onnxruntime's `InferenceSession.create` (the one transformers.js calls) so that every
 * decoder it opens gets last-position logits (`logits-to-keep.ts`). Each runtime installs it
 * once with its own onnxruntime: the engine Worker with onnxruntime-web, Node with
 * onnxruntime-node (which also gives a way to edit models that arrive as file paths).
 *
 * The outcome is attached to the session, so the backend and the run record can say whether
 * the model had the input, got it here, or could not be given it (and why).
 */
import { addLogitsToKeep, type LogitsToKeep } from './logits-to-keep.ts';

export type LogitsToKeepOutcome = { kind: 'native' } | { kind: 'added'; lmHead: string } | { kind: 'unsupported'; reason: string } | { kind: 'off' };

type CreateFn = (model: unknown, ...rest: unknown[]) => Promise<object>;
interface SessionClass {
  create: CreateFn;
}

/** A model given as a file path, edited: the bytes (or the same path) and session options to add. */
export interface EditedModel {
  model: string | Uint8Array;
  outcome: LogitsToKeepOutcome;
  sessionOptions?: { extra?: Record<string, Record<string, string>> };
}

export interface SessionEditingOptions {
  /** Node: reads and edits a model that onnxruntime would open from a file path. */
  editPath?: (path: string) => Promise<EditedModel>;
}

const OUTCOME = Symbol.for('pluralscope.logitsToKeep');
const INSTALLED = Symbol.for('pluralscope.sessionEditing');
let enabled = true;

/** Turns the editing on or off for sessions created from now on (benchmarks compare both). */
export function setSessionEditing(on: boolean): void {
  enabled = on;
}

export function sessionEditingEnabled(): boolean {
  return enabled;
}

export function summarize(result: LogitsToKeep): LogitsToKeepOutcome {
  return result.kind === 'added' ? { kind: 'added', lmHead: result.lmHead } : result;
}

/** Installs the hook on an onnxruntime InferenceSession class; a second call is a no-op. */
export function installSessionEditing(sessionClass: SessionClass, options: SessionEditingOptions = {}): void {
  const marked = sessionClass as SessionClass & { [INSTALLED]?: boolean };
  if (marked[INSTALLED]) return;
  const original: CreateFn = sessionClass.create.bind(sessionClass);
  const create: CreateFn = async (model, ...rest) => {
    // Only the (model, options?) forms; (buffer, byteOffset, byteLength, options?) passes through.
    if (!enabled || typeof rest[0] === 'number') return annotate(await original(model, ...rest), { kind: 'off' });
    let outcome: LogitsToKeepOutcome = { kind: 'off' };
    let arg: unknown = model;
    let plainRest = rest;
    if (model instanceof Uint8Array || model instanceof ArrayBuffer) {
      const result = addLogitsToKeep(model instanceof Uint8Array ? model : new Uint8Array(model));
      outcome = summarize(result);
      if (result.kind === 'added') arg = result.bytes;
    } else if (typeof model === 'string' && options.editPath) {
      const edited = await options.editPath(model);
      arg = edited.model;
      outcome = edited.outcome;
      if (edited.sessionOptions?.extra) {
        const given = (rest[0] ?? {}) as { extra?: Record<string, Record<string, string>> };
        const extra = { ...given.extra };
        for (const [group, entries] of Object.entries(edited.sessionOptions.extra)) extra[group] = { ...extra[group], ...entries };
        rest = [{ ...given, extra }, ...rest.slice(1)];
      }
    }
    if (outcome.kind !== 'added') return annotate(await original(arg, ...rest), outcome);
    try {
      return annotate(await original(arg, ...rest), outcome);
    } catch (error) {
      // Never worse than no edit: a graph onnxruntime refuses once edited is opened as it was.
      const why = error instanceof Error ? error.message : String(error);
      return annotate(await original(model, ...plainRest), { kind: 'unsupported', reason: `onnxruntime refused the edited graph (${why.slice(0, 200)})` });
    }
  };
  sessionClass.create = create;
  marked[INSTALLED] = true;
}

function annotate(session: object, outcome: LogitsToKeepOutcome): object {
  Object.defineProperty(session, OUTCOME, { value: outcome, configurable: true });
  return session;
}

/** What happened to this session's model (`off` when no hook was installed or it was off). */
export function logitsToKeepOutcome(session: object | undefined): LogitsToKeepOutcome {
  return (session as { [OUTCOME]?: LogitsToKeepOutcome } | undefined)?.[OUTCOME] ?? { kind: 'off' };
}
