/** The bundle's Python template, read from src/bundle/template on disk (Node). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_ROOT } from './paths.ts';

export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'src', 'bundle', 'template');

export function readBundleTemplate(dir = TEMPLATE_DIR): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (name === '__pycache__' || name.endsWith('.pyc')) continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path).split('\\').join('/'), new Uint8Array(readFileSync(path)));
    }
  };
  walk(dir);
  return out;
}
