import { Type, type TInteger, type TLiteral, type TUnion } from 'typebox'

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
