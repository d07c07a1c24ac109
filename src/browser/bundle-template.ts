/** The bundle's Python template, bundled into the site by Vite (loaded when a bundle is built). */
const modules = import.meta.glob(['../bundle/template/**/*', '!**/__pycache__/**'], { query: '?raw', import: 'default' });

export async function loadBundleTemplate(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  for (const [path, load] of Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const text = (await load()) as string;
    out.set(path.replace('../bundle/template/', ''), encoder.encode(text));
  }
  return out;
}
