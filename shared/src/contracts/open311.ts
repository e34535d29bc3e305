import { Type, type Static } from 'typebox'
import { When } from './fragments.js'

/** An Open311 api_key as the committee sees it afterwards: only its label (the key itself is never kept). */
export const Open311Key = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  createdAt: When,
  revoked: Type.Boolean(),
})
export type Open311Key = Static<typeof Open311Key>
export const Open311KeyList = Type.Array(Open311Key)
/** A key just made: the only time `key` is sent. */
export const IssuedOpen311Key = Type.Object({ id: Type.Integer(), key: Type.String(), label: Type.String() })
export type IssuedOpen311Key = Static<typeof IssuedOpen311Key>
export const CreateOpen311KeyBody = Type.Object({
  label: Type.String({ minLength: 1, maxLength: 60, title: '给谁用' }),
})
export type CreateOpen311KeyBody = Static<typeof CreateOpen311KeyBody>
export const Open311KeyParams = Type.Object({
  villageId: Type.Integer({ minimum: 1 }),
  keyId: Type.Integer({ minimum: 1, title: '密钥' }),
})
export type Open311KeyParams = Static<typeof Open311KeyParams>
