/**
 * The live web page of the plaza on the status port (`GET /`, see `@nara/web`). It watches
 * through the receiver the naras already have (a town's, or a single nara's own): every message
 * verified once per process, each nara's own included. Presence follows the same rules and
 * threshold as the agent's neighbourhood table.
 */
import {
  attachPlaza,
  createPlazaView,
  createWebRoutes,
  type PlazaSource,
  type WebRoutes,
} from '@nara/web'
import type { Timings } from './config.js'
import { redactBrokerUrl } from './secrets.js'

export interface WebViewOptions {
  mode: 'nara' | 'town'
  timings: Pick<Timings, 'missingAfterS' | 'gossipMissingAfterS'>
}

export interface WebView {
  /** Mount on the status server (the page answers before the broker is known). */
  routes: WebRoutes
  /** Watches through the naras' receiver (a town's, or a single nara's). */
  attach(source: PlazaSource & { readonly brokerUrl: string }): void
  stop(): Promise<void>
}

export function createWebView(o: WebViewOptions): WebView {
  let brokerLabel = '…'
  const view = createPlazaView({
    mode: o.mode,
    broker: () => brokerLabel,
    missingAfterS: o.timings.missingAfterS,
    gossipMissingAfterS: o.timings.gossipMissingAfterS,
  })
  const routes = createWebRoutes({ view })
  let detach: (() => void) | undefined
  const attach: WebView['attach'] = (source) => {
    if (detach) return
    brokerLabel = redactBrokerUrl(source.brokerUrl)
    detach = attachPlaza(view, source)
    view.start()
  }
  return {
    routes,
    attach,
    async stop() {
      routes.close()
      detach?.()
      view.stop()
    },
  }
}
