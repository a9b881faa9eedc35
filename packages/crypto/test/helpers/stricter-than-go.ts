/** The table lives in the public API now; re-exported for the existing imports. */
export { STRICTER_THAN_GO } from './public-api.js'
