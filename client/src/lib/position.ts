/**
 * Where the phone is, from the browser (H5 only: the mini-program picks a place on WeChat's map instead).
 * Rejects with a sentence a person understands when the browser refuses or cannot tell.
 */
export function browserPosition(): Promise<{ latitude: number; longitude: number }> {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject(new Error('这个浏览器取不到位置，请在下面写个地点。'))
      return
    }
    navigator.geolocation.getCurrentPosition(
      // Six decimals: about a tenth of a metre, more than any phone knows.
      ({ coords }) => resolve({ latitude: round(coords.latitude), longitude: round(coords.longitude) }),
      (error) =>
        reject(
          new Error(
            error.code === error.PERMISSION_DENIED
              ? '没有得到用位置的允许。可以在下面写个地点；想用位置，请在浏览器里允许后再点一次。'
              : '现在取不到位置，请到开阔的地方再试，或者在下面写个地点。',
          ),
        ),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    )
  })
}

const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6

/** 北纬 30.2741°，东经 120.1551°: a point in words (the villages are all north and east). */
export function pointWords(point: { latitude: number; longitude: number }): string {
  return `北纬 ${point.latitude.toFixed(4)}°，东经 ${point.longitude.toFixed(4)}°`
}

/** The point on Amap's web map (browser coordinates are WGS-84; Amap draws them in its own). */
export function mapLink(point: { latitude: number; longitude: number }): string {
  return `https://uri.amap.com/marker?position=${point.longitude},${point.latitude}&coordinate=wgs84&callnative=0`
}
