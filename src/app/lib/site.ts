/** Where the site's own files live, honouring a deployment base path. */
export const BASE_URL: string = import.meta.env.BASE_URL;

/** The site's model folder as a path (transformers.js in a Worker needs a path, not a URL). */
export const SITE_MODELS_ROOT = `${BASE_URL.endsWith('/') ? BASE_URL : `${BASE_URL}/`}models/`;
