import { naraVitestConfig } from '@nara/vitest-config'

export default naraVitestConfig()
