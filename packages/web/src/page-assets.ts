/**
 * The page's files, bundled at build time into `dist/page/` (`scripts/build-page.mjs`: the
 * Preact sources under `page/` compiled by esbuild into one module and one stylesheet). Read
 * once; nothing is fetched from the internet at run time.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PageNotBuiltError } from './errors.js'

export interface PageAsset {
  contentType: string
  body: Buffer
}

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

/** `dist/page/` beside the compiled module, or (running from `src/` in tests) the package's. */
export function pageDir(): string {
  const beside = fileURLToPath(new URL('./page/', import.meta.url))
  if (existsSync(beside)) return beside
  return fileURLToPath(new URL('../dist/page/', import.meta.url))
}

/** @throws PageNotBuiltError when `dist/page/` is missing a file. */
export function loadPageAssets(dir: string = pageDir()): Map<string, PageAsset> {
  const assets = new Map<string, PageAsset>()
  for (const [path, file] of Object.entries(FILES)) {
    const full = `${dir}${dir.endsWith('/') ? '' : '/'}${file}`
    if (!existsSync(full)) {
      throw new PageNotBuiltError(full)
    }
    assets.set(path, {
      contentType: TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
      body: readFileSync(full),
    })
  }
  return assets
}
