import Taro from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'

/**
 * A form's draft, kept on the phone under `key` at every change until it is sent, so nothing is lost when the
 * person leaves the page or WeChat closes it. `fromKept` reads what was kept (null when it is not a draft of
 * this form); `restored` says a kept draft with something in it (`worthKeeping`) was brought back.
 */
export function useKeptDraft<D>(
  key: string,
  options: { empty: () => D; fromKept: (kept: unknown) => D | null; worthKeeping: (draft: D) => boolean },
) {
  const [initial] = useState(() => {
    try {
      return options.fromKept(Taro.getStorageSync(key))
    } catch {
      return null
    }
  })
  const [draft, setDraft] = useState<D>(initial ?? options.empty())
  const [restored, setRestored] = useState(initial !== null && options.worthKeeping(initial))
  const sent = useRef(false)

  useEffect(() => {
    if (!sent.current) Taro.setStorageSync(key, draft)
  }, [draft, key])

  /** Throws the draft away: the form starts empty. */
  function startOver() {
    Taro.removeStorageSync(key)
    setDraft(options.empty())
    setRestored(false)
  }

  /** The draft has been sent: it is kept no longer. */
  function markSent() {
    sent.current = true
    Taro.removeStorageSync(key)
  }

  return { draft, setDraft, restored, startOver, markSent }
}
