/**
 * The live web page of the plaza on the status port (`GET /`, see `@nara/web`). A town's page
 * watches through the town's receiver (every message verified once, a nara's own included). A
 * single nara's page watches through its own listening plaza with a throwaway identity that never
 * publishes (like `nara web`), since a nara's plaza never delivers its own messages. Either way,
 * presence follows the same rules and threshold as the agent's neighbourhood table.
 */
import { encodeSoul, generateSoul } from '@nara/crypto'
import { createPlaza, type Plaza } from '@nara/plaza'
import {
  attachPlaza,
  createPlazaView,
  createWebRoutes,
  type PlazaSource,
  type WebRoutes,
} from '@nara/web'
import type { BrokerConfig, Timings } from './config.js'
import type { Logger } from './logger.js'
import { brokerConnection } from './plaza-adapter.js'
import { redactBrokerUrl } from './secrets.js'

export interface WebViewOptions {
  mode: 'nara' | 'town'
  timings: Pick<Timings, 'missingAfterS' | 'gossipMissingAfterS'>
  logger: Logger
}

export interface WebView {
  /** Mount on the status server (the page answers before the broker is known). */
  routes: WebRoutes
  /** Watches through a receiver that is already there (a town's). */
  attach(source: PlazaSource & { readonly brokerUrl: string }): void
  /** Watches `broker` through a listening plaza of its own. */
  start(broker: BrokerConfig): Promise<void>
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
  let plaza: Plaza | undefined
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
    async start(broker) {
      if (detach) return
      const throwaway = generateSoul()
      plaza = createPlaza(
        {
          ...brokerConnection(broker),
          // Listens only: never announces itself, never publishes.
          identity: { name: `web-${throwaway.name}`, soul: encodeSoul(throwaway.soul) },
          heyThereOnConnect: false,
        },
        { logger: o.logger.child({ component: 'web-view' }) },
      )
      attach(plaza)
      await plaza.start()
    },
    async stop() {
      routes.close()
      detach?.()
      view.stop()
      await plaza?.stop()
    },
  }
}
