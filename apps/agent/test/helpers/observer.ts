/** A test-side nara (a real @nara/plaza) to watch the plaza and inject raw messages. */
import { encodeSoul, generateSoul } from '@nara/crypto'
import { createPlaza, type Plaza } from '@nara/plaza'

export async function startObserver(brokerUrl: string, name = 'mallory'): Promise<Plaza> {
  const { soul } = generateSoul(name)
  const plaza = createPlaza({
    brokerUrl,
    identity: { name, soul: encodeSoul(soul) },
    heyThereOnConnect: false,
  })
  await plaza.start()
  await plaza.waitConnected()
  return plaza
}
