export * from './geo.js'
export * from './identity.js'
export * from './roster.js'
