import type { Clock, TimerHandle } from './clock.js'
import type { Logger } from './logger.js'
import type { BrokerConnection, RefusedTopic } from './mqtt-connection.js'

/** Pauses before the 2nd and 3rd SUBSCRIBE attempt of a topic, ms (Go: 1 s, then 2 s). */
export const SUBSCRIBE_RETRY_MS = [1000, 2000] as const

/** Subscribes with Go's retries; the pause between attempts runs on the injected clock. */
export interface SubscribeRetry {
  /**
   * Subscribes to `topics` on `connection`, retrying the refused ones after 1 s and then 2 s.
   * Returns the topics still refused with their last error, or undefined once all are
   * subscribed (or when `isCurrent()` turns false: the connection was replaced or closed).
   */
  run(
    connection: BrokerConnection,
    topics: readonly string[],
    isCurrent: () => boolean,
  ): Promise<RefusedTopic[] | undefined>
  /** Cuts every pending pause short (a disconnect or `stop()`); the runs then end. */
  cancel(): void
}

export function createSubscribeRetry(clock: Clock, logger: Logger): SubscribeRetry {
  const waits = new Set<{ handle: TimerHandle; wake: () => void }>()
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const wait = {
        handle: clock.setTimeout(() => {
          waits.delete(wait)
          resolve()
        }, ms),
        wake: resolve,
      }
      waits.add(wait)
    })
  return {
    async run(connection, topics, isCurrent) {
      let todo = [...topics]
      let refused: RefusedTopic[] = []
      for (const delayMs of [0, ...SUBSCRIBE_RETRY_MS]) {
        if (delayMs > 0) {
          logger.warn(
            { brokerUrl: connection.url, topics: todo, delayMs },
            'plaza subscribe failed, retrying',
          )
          await pause(delayMs)
        }
        if (!isCurrent()) return undefined
        refused = await connection.subscribe(todo)
        if (!isCurrent() || refused.length === 0) return undefined
        todo = refused.map((r) => r.topic)
      }
      return refused
    },
    cancel() {
      for (const wait of waits) {
        clock.clearTimeout(wait.handle)
        wait.wake()
      }
      waits.clear()
    },
  }
}
