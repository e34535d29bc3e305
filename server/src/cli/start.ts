import { buildClientIfStale } from './client-build.js'

/** `npm start`: build the clients if needed, then run the server (which migrates and seeds at boot). */
buildClientIfStale()
await import('../main.js')
