import { naraVitestConfig } from './src/config.js'

export default naraVitestConfig()
