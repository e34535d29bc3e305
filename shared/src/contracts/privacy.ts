import { Type, type Static } from 'typebox'
import { nullable, When } from './fragments.js'

// ---- privacy (个人信息保护) ----

/** Liren's privacy guide (用户隐私保护指引): what is collected, why, for how long, who sees it. */
export const PrivacyGuide = Type.Object({
  version: Type.String(),
  title: Type.String(),
  sections: Type.Array(Type.Object({ heading: Type.String(), body: Type.String() })),
})
export type PrivacyGuide = Static<typeof PrivacyGuide>

/** The user accepts one version of the guide; a newer version asks again. */
export const ConsentBody = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 16, title: '隐私保护指引版本' }),
})
export type ConsentBody = Static<typeof ConsentBody>
export const ConsentState = Type.Object({
  /** The guide's current version. */
  version: Type.String(),
  /** Whether the caller has accepted that version. */
  accepted: Type.Boolean(),
  acceptedAt: nullable(When),
})
export type ConsentState = Static<typeof ConsentState>

/** Deleting one's account is final: the member types 注销 to confirm. */
export const DeleteAccountBody = Type.Object({ confirm: Type.Literal('注销', { title: '确认注销' }) })
export type DeleteAccountBody = Static<typeof DeleteAccountBody>
export const AccountDeleted = Type.Object({ deleted: Type.Literal(true) })

/** The committee retires a roster person who moved away (迁出) or died: their account goes as if they had left. */
export const RetirePersonBody = Type.Object({
  status: Type.Union([Type.Literal('moved_out'), Type.Literal('deceased')], { title: '迁出或去世' }),
})
export type RetirePersonBody = Static<typeof RetirePersonBody>
