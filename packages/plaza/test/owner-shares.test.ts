/**
 * OwnerShares (who holds how much of a replay memory, and who pays when it is full) against a
 * plain model that counts per owner and scans for the payer, for random adds and removes by a
 * few owners moving between the two classes. Ties between owners holding the same count may be
 * broken either way: the payer is compared by its count and class.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { OwnerShares } from '../src/owner-shares.js'

class ModelShares {
  readonly count = new Map<string, number>()
  readonly standing = new Set<string>()
  add(owner: string, standing: boolean): void {
    this.count.set(owner, (this.count.get(owner) ?? 0) + 1)
    if (standing) this.standing.add(owner)
    else this.standing.delete(owner)
  }
  remove(owner: string): void {
    const c = this.count.get(owner) ?? 0
    if (c <= 1) {
      this.count.delete(owner)
      this.standing.delete(owner)
    } else this.count.set(owner, c - 1)
  }
  /** The biggest holder of a class other than `not`, as [count, class]. */
  top(not: string, standing: boolean): number {
    let best = 0
    for (const [o, c] of this.count) {
      if (o !== not && this.standing.has(o) === standing && c > best) best = c
    }
    return best
  }
  payer(owner: string, standing: boolean): { count: number; standing: boolean } | undefined {
    const mine = this.count.get(owner) ?? 0
    const rest = this.top(owner, false)
    if (rest > 0 && (standing || rest >= mine)) return { count: rest, standing: false }
    const known = this.top(owner, true)
    if (known > 0 && known >= mine) return { count: known, standing: true }
    return undefined
  }
}

describe('OwnerShares', () => {
  it('answers like the plain model for random adds, removes and class changes', () => {
    const random = seededRandom(20261204)
    const owners = ['a', 'b', 'c', 'd']
    for (let round = 0; round < 40; round++) {
      const shares = new OwnerShares()
      const model = new ModelShares()
      // Mostly one busy owner (alone at the top count), sometimes ties and class changes.
      for (let step = 0; step < 400; step++) {
        const owner = owners[random() < 0.6 ? 0 : Math.floor(random() * owners.length)] as string
        const standing = random() < 0.25
        if (random() < 0.6) {
          shares.add(owner, standing)
          model.add(owner, standing)
        } else {
          shares.remove(owner)
          model.remove(owner)
        }
        for (const o of owners) expect(shares.of(o)).toBe(model.count.get(o) ?? 0)
        expect(shares.owners).toBe(model.count.size)
        const asker = owners[Math.floor(random() * owners.length)] as string
        const askerStanding = random() < 0.5
        const payer = shares.payer(asker, askerStanding)
        const expected = model.payer(asker, askerStanding)
        if (expected === undefined) expect(payer).toBeUndefined()
        else {
          expect(payer).toBeDefined()
          expect(payer).not.toBe(asker)
          expect({
            count: model.count.get(payer as string),
            standing: model.standing.has(payer as string),
          }).toEqual(expected)
        }
      }
    }
  })
})
