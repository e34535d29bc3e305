import type Taro from '@tarojs/taro'

declare module '@tarojs/taro' {
  namespace scanCode {
    /** WeChat's scanType also takes wxCode (小程序码), which Taro's types leave out. */
    interface ScanType {
      wxCode: unknown
    }
  }
}

/**
 * Sign-in codes of activities and meetings (`<village>.<id>.<signature>`, made by the server). Opened by
 * WeChat's own scanner from a mini-program code, a page gets only `scene`: the code itself.
 */
export function fromScene(scene: string | undefined): { villageId: number; id: number; token: string } | null {
  const token = scene ? decodeURIComponent(scene) : ''
  const match = /^(\d+)\.(\d+)\.[A-Za-z0-9_-]{16}$/.exec(token)
  return match ? { villageId: Number(match[1]), id: Number(match[2]), token } : null
}

/** What a scan read: a QR code's text, or a mini-program code's `scene` parameter. */
export function scannedToken(result: { result?: string; path?: string }): string {
  const scene = result.path ? /[?&]scene=([^&]+)/.exec(result.path)?.[1] : undefined
  return (scene ? decodeURIComponent(scene) : (result.result ?? '')).trim()
}

/**
 * How the in-app scanner reads a venue code: from the camera (the code is on the organiser's screen or
 * the door), as WeChat's mini-program code (what the mini-program shows and prints) or as a plain QR.
 * Without wxCode in scanType, WeChat's camera does not read a mini-program code.
 */
export const VENUE_SCAN: Taro.scanCode.Option = { onlyFromCamera: true, scanType: ['wxCode', 'qrCode'] }
