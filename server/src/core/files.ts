import { ErrorCode } from '@liren/shared/contracts'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from './errors.js'

/** RFC 6266: an ASCII `filename` for old clients and `filename*` so Chinese names survive every browser. */
export function attachment(name: string, asciiName: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** The media type of an Excel workbook (.xlsx). */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A route's binary response body, for the OpenAPI document. */
export const binaryFile = (description: string) =>
  Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description })

/** What an upload route tells the person, in the words of what it takes (a photo, a roster file). */
export interface UploadWording {
  /** No file could be read from the request. */
  upload: string
  /** A form without a file in it. */
  choose: string
  tooLarge: string
  incomplete: string
}

const noFile = () => [{ field: 'file', message: '没有收到文件' }]

/** The one file (field `file`) of a multipart/form-data request, up to `maxBytes`. */
export async function readUploadedFile(req: FastifyRequest, maxBytes: number, say: UploadWording): Promise<Buffer> {
  if (!req.isMultipart()) throw new AppError(415, ErrorCode.UNSUPPORTED_FILE, say.upload, noFile())
  // A multipart header without a boundary, a body that is no multipart: the client's fault, not ours.
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } }).catch(() => {
    throw new AppError(400, ErrorCode.UNSUPPORTED_FILE, say.upload, noFile())
  })
  if (!part) throw new AppError(400, ErrorCode.VALIDATION_FAILED, say.choose, noFile())
  try {
    return await part.toBuffer()
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError(413, ErrorCode.FILE_TOO_LARGE, say.tooLarge, [
        { field: 'file', message: `超过 ${maxBytes / 2 ** 20} MB` },
      ])
    // The body ended inside the file (a cut-off upload, a closed connection): the stream's error, not ours.
    throw new AppError(400, ErrorCode.UNSUPPORTED_FILE, say.incomplete, [{ field: 'file', message: '文件不完整' }])
  }
}
