#!/usr/bin/env node
// Builds the page into dist/page/: the Preact sources under page/ bundled by esbuild into one
// ES module (app.js), plus index.html and app.css copied as they are. Runs at build time only;
// the served page loads nothing from anywhere else.
import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}dist/page/`
mkdirSync(out, { recursive: true })
await build({
  entryPoints: [`${root}page/main.tsx`],
  bundle: true,
  format: 'esm',
  target: ['chrome120', 'firefox120'],
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: `${out}app.js`,
  logLevel: 'warning',
  legalComments: 'none',
})
copyFileSync(`${root}page/index.html`, `${out}index.html`)
copyFileSync(`${root}page/app.css`, `${out}app.css`)
