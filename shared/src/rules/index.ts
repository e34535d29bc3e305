export * from './geo.js'
export * from './identity.js'
export * from './roster.js'
export * from './points.js'
