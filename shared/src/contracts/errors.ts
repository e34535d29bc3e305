import { Type, type Static } from 'typebox'

/** Stable error codes: the client branches on these, never on messages. */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  VILLAGE_NOT_FOUND: 'VILLAGE_NOT_FOUND',
  APPLICATION_NOT_FOUND: 'APPLICATION_NOT_FOUND',
  HOUSEHOLD_NOT_FOUND: 'HOUSEHOLD_NOT_FOUND',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  ALREADY_APPLIED: 'ALREADY_APPLIED',
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  NOT_A_MEMBER: 'NOT_A_MEMBER',
  TOWN_NOT_FOUND: 'TOWN_NOT_FOUND',
  GRID_NOT_FOUND: 'GRID_NOT_FOUND',
  VILLAGE_CODE_TAKEN: 'VILLAGE_CODE_TAKEN',
  GRID_NAME_TAKEN: 'GRID_NAME_TAKEN',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  PERSON_ALREADY_LINKED: 'PERSON_ALREADY_LINKED',
  MEMBER_ALREADY_LINKED: 'MEMBER_ALREADY_LINKED',
  HOUSEHOLD_NUMBER_TAKEN: 'HOUSEHOLD_NUMBER_TAKEN',
  PERSON_ALREADY_ON_ROSTER: 'PERSON_ALREADY_ON_ROSTER',
  IMPORT_HAS_ERRORS: 'IMPORT_HAS_ERRORS',
  UNSUPPORTED_FILE: 'UNSUPPORTED_FILE',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export const FieldError = Type.Object({
  field: Type.String({ description: 'path of the field at fault, e.g. "realName" or "body.birthYear"' }),
  message: Type.String(),
})
export type FieldError = Static<typeof FieldError>

/** The one error shape of every 4xx and 5xx response. */
export const ApiErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String({ description: 'Chinese, for the person using the app' }),
  details: Type.Optional(Type.Array(FieldError)),
})
export type ApiErrorBody = Static<typeof ApiErrorBody>
