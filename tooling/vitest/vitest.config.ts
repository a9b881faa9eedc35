import { naraVitestConfig } from './src/config.mjs'

export default naraVitestConfig()
