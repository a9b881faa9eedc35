/** Entry point of the page bundle. */
import { render } from 'preact'
import { App } from './app.js'
import { connect } from './store.js'

const root = document.getElementById('app')
if (root) {
  root.textContent = ''
  const store = connect((state) => render(<App store={store} state={state} />, root))
  render(<App store={store} state={store.get()} />, root)
}
