import { Type } from 'typebox'

/** RFC 6266: an ASCII `filename` for old clients and `filename*` so Chinese names survive every browser. */
export function attachment(name: string, asciiName: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** A route's binary response body, for the OpenAPI document. */
export const binaryFile = (description: string) =>
  Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description })
