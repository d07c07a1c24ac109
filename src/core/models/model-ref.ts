/**
 * Model references, as typed on the command line or stored in a run record:
 *   onnx-community/Qwen2.5-0.5B-Instruct[@revision]   a Hugging Face Hub id
 *   folder:<path> (or ./path, /path)                  a folder of model files
 *   synthetic:<preset>                                the project's random-weight test model
 *   endpoint:<base url>#<model>                       an OpenAI-compatible server
 *   baseline:<name>                                   a null baseline (uniform, majority, population)
 */

export type ModelRef =
  | { kind: 'hub'; id: string; revision?: string }
  | { kind: 'folder'; path: string }
  | { kind: 'synthetic'; preset: string }
  | { kind: 'endpoint'; baseUrl: string; model: string }
  | { kind: 'baseline'; name: string };

export class ModelRefError extends Error {
  override name = 'ModelRefError';
}

const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function parseModelRef(text: string): ModelRef {
  const ref = text.trim();
  if (!ref) throw new ModelRefError('the model reference is empty');
  const colon = ref.indexOf(':');
  const scheme = colon > 0 ? ref.slice(0, colon) : '';
  const rest = colon > 0 ? ref.slice(colon + 1) : '';
  switch (scheme) {
    case 'baseline':
      if (!/^[a-z][a-z0-9-]*$/.test(rest)) throw new ModelRefError(`"${ref}": a baseline is named like baseline:uniform`);
      return { kind: 'baseline', name: rest };
    case 'synthetic':
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(rest)) throw new ModelRefError(`"${ref}": a synthetic model is named like synthetic:tiny`);
      return { kind: 'synthetic', preset: rest };
    case 'folder':
      if (!rest) throw new ModelRefError(`"${ref}": give the folder after folder:`);
      return { kind: 'folder', path: rest };
    case 'endpoint': {
      const hash = rest.lastIndexOf('#');
      if (hash < 0 || hash === rest.length - 1) {
        throw new ModelRefError(`"${ref}": an endpoint is written endpoint:<base url>#<model>, e.g. endpoint:http://localhost:11434/v1#llama3.2`);
      }
      const baseUrl = rest.slice(0, hash);
      let url: URL;
      try {
        url = new URL(baseUrl);
      } catch {
        throw new ModelRefError(`"${baseUrl}" is not a valid URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ModelRefError(`endpoint URLs must be http or https, got ${url.protocol}`);
      return { kind: 'endpoint', baseUrl, model: rest.slice(hash + 1) };
    }
    case 'http':
    case 'https':
      throw new ModelRefError(`"${ref}": for a server write endpoint:${ref}#<model>; for a Hub model give its id (org/name)`);
    default:
      break;
  }
  if (ref.startsWith('./') || ref.startsWith('../') || ref.startsWith('/')) return { kind: 'folder', path: ref };
  const at = ref.indexOf('@');
  const id = at >= 0 ? ref.slice(0, at) : ref;
  const revision = at >= 0 ? ref.slice(at + 1) : undefined;
  if (!HUB_ID.test(id)) {
    throw new ModelRefError(
      `"${ref}" is not a model reference: use a Hub id (org/name[@revision]), folder:<path>, synthetic:<preset>, endpoint:<url>#<model> or baseline:<name>`,
    );
  }
  if (revision !== undefined && !REVISION.test(revision)) throw new ModelRefError(`"${revision}" is not a valid revision`);
  return revision ? { kind: 'hub', id, revision } : { kind: 'hub', id };
}

export function formatModelRef(ref: ModelRef): string {
  switch (ref.kind) {
    case 'hub':
      return ref.revision ? `${ref.id}@${ref.revision}` : ref.id;
    case 'folder':
      return `folder:${ref.path}`;
    case 'synthetic':
      return `synthetic:${ref.preset}`;
    case 'endpoint':
      return `endpoint:${ref.baseUrl}#${ref.model}`;
    case 'baseline':
      return `baseline:${ref.name}`;
  }
}
