import { useDidShow } from '@tarojs/taro'
import { useCallback, useLayoutEffect, useRef, useState } from 'react'
import { fieldErrors, formMessage } from '../components/Field'
import { ApiError, ClientErrorCode } from '../services/http'
import { newIdempotencyKey } from '../services/points'

/**
 * What a page has to show: still loading, failed (with the server's reason and code when it gave them: some
 * pages show a refusal such as FORBIDDEN their own way), or its data.
 */
export type PageData<T> =
  { state: 'loading' } | { state: 'failed'; message?: string; code?: string } | { state: 'ready'; value: T }

/** Why a load failed, in words for the person: the server's message, or none for a lost network (the default advice). */
export function failureMessage(error: unknown): string | undefined {
  return error instanceof ApiError && error.status !== 0 ? error.message : undefined
}

/** A load that should show as failed with this message (e.g. "找不到这个商品"), thrown from a loader. */
export class NotFoundOnPage extends Error {}

/**
 * A page's data: loaded each time the page shows (so coming back from a form shows what changed), with a
 * reload for the retry button and for after a change. Only the latest load's answer is kept, so a slow
 * earlier load cannot overwrite a newer one. `enabled: false` (e.g. a new-item form with nothing to load)
 * makes the page ready at once with `initial`. `deps` are the values the loader reads that the person
 * changes on the page (a tab, a month): when one changes the data loads again, the old staying until then.
 */
export function usePageData<T>(
  loader: () => Promise<T>,
  options: { enabled?: boolean; initial?: T; onShow?: boolean; deps?: readonly unknown[] } = {},
) {
  const enabled = options.enabled ?? true
  const [data, setData] = useState<PageData<T>>(
    enabled ? { state: 'loading' } : { state: 'ready', value: options.initial as T },
  )
  const latest = useRef(0)
  const loaderRef = useRef(loader)
  loaderRef.current = loader

  /** Runs `run` in place of the page's loader (e.g. another filter, or the next page of a list): the latest load wins. */
  const load = useCallback(
    async (run: () => Promise<T>) => {
      if (!enabled) return
      const call = ++latest.current
      try {
        const value = await run()
        if (call === latest.current) setData({ state: 'ready', value })
      } catch (error) {
        if (call !== latest.current) return
        const message = error instanceof NotFoundOnPage ? error.message : failureMessage(error)
        setData({ state: 'failed', message, code: error instanceof ApiError ? error.code : undefined })
      }
    },
    [enabled],
  )
  const reload = useCallback(() => load(() => loaderRef.current()), [load])

  useDidShow(() => {
    if (options.onShow !== false || latest.current === 0) void reload()
  })

  // The first load is the page showing; only later changes load again, on their way before the page
  // shows the new choice (as a load started by the tap itself would be).
  const shown = useRef(false)
  useLayoutEffect(() => {
    if (shown.current) void reload()
    shown.current = true
  }, options.deps ?? [])

  /** Replaces the shown data with what a write answered, without another round trip. */
  const set = useCallback((value: T) => setData({ state: 'ready', value }), [])

  /** Changes a part of the shown data (e.g. what a write answered); nothing while there is none. */
  const update = useCallback(
    (change: (now: T) => T) =>
      setData((now) => (now.state === 'ready' ? { state: 'ready', value: change(now.value) } : now)),
    [],
  )

  return { data, reload, load, set, update, value: data.state === 'ready' ? data.value : undefined }
}

type Errors<F extends string> = Partial<Record<F, string>>

export interface SubmitOptions<F extends string> {
  /** Error codes whose message is shown under the whole form (the server's refusals the person can act on). */
  refusals?: readonly string[]
  /** Error codes whose message belongs under one field, e.g. `{ PHOTO_NOT_FOUND: 'evidence' }`. */
  fieldCodes?: Partial<Record<string, F>>
  /** When set, each submission carries an idempotency key with this prefix, kept for a retry after a lost network. */
  idempotency?: string
  /** Error codes kept out of the toast that the page shows its own way, in `onRefused`. */
  quiet?: readonly string[]
  /** Every other refusal from the server is said under the form (and its details under the fields) as well as toasted. */
  anyRefusal?: boolean
  /** The form field a detail's path is about, where it is not the path's last part ("location/latitude" → location). */
  fieldOf?: (path: string) => string
  /** Called after a refusal from the server has been shown, for what the page does besides (reload what went stale). */
  onRefused?: (error: ApiError) => unknown
  /** The server's names of fields the form calls otherwise, e.g. `{ startsAt: 'startTime' }` (a `fieldOf` by table). */
  serverFields?: Partial<Record<string, F>>
}

/** What `send` gets besides the input: the codes to keep quiet (shown by the form, not as a toast), and the key. */
export interface SendContext {
  handled: string[]
  idempotencyKey: string
}

/**
 * A form's submission: `saving` while it is on its way, the errors under each field and under the form,
 * the server's VALIDATION_FAILED details mapped onto the fields, and an idempotency key that stays the same
 * when the person retries after the network dropped (so the write counts once) and is new otherwise.
 *
 * `submit(input, found)` takes the errors the page found itself: when there are any (or there is no input to
 * send) it shows them and sends nothing. It resolves with the server's answer, or undefined when nothing was
 * sent or it was refused (the form then says why).
 */
export function useSubmit<F extends string, I, R>(
  fields: readonly F[],
  send: (input: I, context: SendContext) => Promise<R>,
  options: SubmitOptions<F> = {},
) {
  const [saving, setSaving] = useState(false)
  const [errors, setErrors] = useState<Errors<F>>({})
  const [formError, setFormError] = useState('')
  const key = useRef<string | null>(null)
  const sendRef = useRef(send)
  sendRef.current = send
  const handled = [
    'VALIDATION_FAILED',
    ...(options.refusals ?? []),
    ...Object.keys(options.fieldCodes ?? {}),
    ...(options.quiet ?? []),
  ]

  const refusal = (error: ApiError) => options.refusals?.includes(error.code) ?? false
  const lastPart = (path: string) => path.split(/[./]/).pop() ?? ''
  const fieldOf =
    options.fieldOf ??
    (options.serverFields ? (path: string) => options.serverFields?.[lastPart(path)] ?? lastPart(path) : undefined)

  async function submit(input: I | null, found: Errors<F> = {}): Promise<R | undefined> {
    setErrors(found)
    setFormError('')
    if (input === null || Object.values(found).some(Boolean)) return undefined
    if (options.idempotency) key.current ??= newIdempotencyKey(options.idempotency)
    setSaving(true)
    try {
      const result = await sendRef.current(input, { handled, idempotencyKey: key.current ?? '' })
      key.current = null
      return result
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      // Lost on the way: the same key goes with the retry.
      if (error.code !== ClientErrorCode.NETWORK) key.current = null
      const field = options.fieldCodes?.[error.code]
      const refused = error.status !== 0
      if (
        error.code === 'VALIDATION_FAILED' ||
        (options.anyRefusal && refused && !field && !refusal(error) && !options.quiet?.includes(error.code))
      ) {
        const mapped = fieldErrors(error.details, fields, fieldOf)
        setErrors(mapped.fields)
        setFormError(formMessage(mapped, error.message))
      } else if (field) setErrors({ [field]: error.message } as Errors<F>)
      else if (refusal(error)) setFormError(error.message)
      if (refused) await options.onRefused?.(error)
      return undefined
    } finally {
      setSaving(false)
    }
  }

  /** Starts a new attempt: the next submission gets a new idempotency key (e.g. the person chose another item). */
  const newAttempt = () => {
    key.current = null
  }

  /** Forgets what was said about the last submission, e.g. when the form opens again. */
  const clear = () => {
    setErrors({})
    setFormError('')
  }

  return { submit, saving, errors, setErrors, formError, setFormError, clear, newAttempt, handled }
}
