/** The one failure this package throws: its page was not built (run the package build). */
export class PageNotBuiltError extends Error {
  override readonly name = 'PageNotBuiltError'
  constructor(file: string) {
    super(`the web page is not built (${file} is missing): run the package build`)
  }
}
