import { Type, type TInteger, type TLiteral, type TSchema, type TSchemaOptions, type TUnion } from 'typebox'

/** Path parameters of one numbered thing inside a village: `villageId` and its own id, titled for the error messages. */
export const villageItemParams = <K extends string>(key: K, title: string) => {
  // A computed key widens to a string index; the cast names the one key it is.
  const properties = {
    villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
    [key]: Type.Integer({ minimum: 1, title }),
  }
  return Type.Object(properties as { villageId: TInteger } & Record<K, TInteger>)
}

type Literals<T extends readonly string[]> = TUnion<{ -readonly [I in keyof T]: TLiteral<T[I]> }>

/** One of a fixed list of strings: the union of their literals, in the list's order. */
export const literals = <const T extends readonly string[]>(...values: T): Literals<T> =>
  Type.Union(values.map((v) => Type.Literal(v))) as Literals<T>

/** A row's id, or an id in a path or body. */
export const Id = Type.Integer({ minimum: 1 })

/** References to a village's roster and grids, titled for the error messages. */
export const PersonRef = Type.Integer({ minimum: 1, title: '花名册人员' })
export const HouseholdRef = Type.Integer({ minimum: 1, title: '户' })
export const GridRef = Type.Integer({ minimum: 1, title: '网格' })

/** A body that names one roster person: a check-in, a sign-up or a link made for them. */
export const PersonBody = Type.Object({ personId: PersonRef })

/** A moment, as an ISO 8601 date-time in UTC. */
export const When = Type.String({ format: 'date-time' })

/** The client's key for a request it may send again: the same key with the same payload is done once. */
export const IdempotencyKey = Type.String({
  minLength: 8,
  maxLength: 100,
  pattern: '^[A-Za-z0-9:_-]+$',
  title: '请求编号',
})

/** The schema, or null. */
export const nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions) =>
  Type.Union([schema, Type.Null()], options)
