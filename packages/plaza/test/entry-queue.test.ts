/**
 * EntryQueue (the replay memory's queues, oldest first, with lazy deletion): entries forgotten
 * out of order are skipped, the order of the rest is kept, and the stale slots stay bounded.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { EntryQueue } from '../src/entry-queue.js'

interface Item {
  readonly n: number
  live: boolean
}

function forget(queue: EntryQueue<Item>, item: Item): void {
  item.live = false
  queue.forgot(item)
}

describe('EntryQueue', () => {
  it('skips entries forgotten out of order and pops the rest oldest first', () => {
    const queue = new EntryQueue<Item>()
    const items = Array.from({ length: 10 }, (_, n) => ({ n, live: true }))
    for (const item of items) queue.push(item)
    for (const n of [7, 3, 5]) forget(queue, items[n] as Item)
    expect(queue.size).toBe(7)
    const popped: number[] = []
    for (let first = queue.first(); first !== undefined; first = queue.first()) {
      popped.push(first.n)
      forget(queue, first)
    }
    expect(popped).toEqual([0, 1, 2, 4, 6, 8, 9])
    expect([queue.size, queue.slack]).toEqual([0, 0])
  })

  it('keeps order and at most 3 spare slots per live entry for any mix of operations', () => {
    const random = seededRandom(20261204)
    for (let round = 0; round < 20; round++) {
      const queue = new EntryQueue<Item>()
      const model: Item[] = []
      let n = 0
      for (let step = 0; step < 3000; step++) {
        const r = random()
        // Phases that grow, then drain from anywhere, then from the head.
        const growing = step % 1000 < 500
        if (model.length === 0 || (growing && r < 0.6)) {
          const item = { n: n++, live: true }
          queue.push(item)
          model.push(item)
        } else {
          const at = r < 0.5 ? 0 : Math.floor(random() * model.length)
          forget(queue, model.splice(at, 1)[0] as Item)
        }
        expect(queue.size).toBe(model.length)
        expect(queue.first()).toBe(model[0])
        expect(queue.slack).toBeLessThanOrEqual(3 * queue.size)
      }
      const order: number[] = []
      for (let first = queue.first(); first !== undefined; first = queue.first()) {
        order.push(first.n)
        forget(queue, first)
      }
      expect(order).toEqual(model.map((item) => item.n))
    }
  })

  it('a queue popped at its head (expiry) keeps at most as many consumed slots as live entries', () => {
    const queue = new EntryQueue<Item>()
    let n = 0
    for (; n < 100; n++) queue.push({ n, live: true })
    let shifted = 0
    for (let step = 0; step < 10_000; step++) {
      queue.push({ n: n++, live: true })
      const slack = queue.slack
      forget(queue, queue.first() as Item)
      if (queue.slack < slack) shifted++
      expect(queue.slack).toBeLessThanOrEqual(queue.size)
      expect(queue.first()?.n).toBe(step + 1)
    }
    expect(shifted).toBeGreaterThan(0)
  })

  it('an owner that only ever deletes its newest keys never grows its array', () => {
    const queue = new EntryQueue<Item>()
    const head = { n: -1, live: true }
    queue.push(head)
    for (let n = 0; n < 10_000; n++) {
      const item = { n, live: true }
      queue.push(item)
      forget(queue, item)
      expect(queue.slack).toBeLessThanOrEqual(1)
    }
    expect(queue.first()).toBe(head)
  })
})
