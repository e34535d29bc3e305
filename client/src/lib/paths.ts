/** The path of a page (under src/packages) about one village: `villagePage('points/shop')(villageId)`. */
export function villagePage(page: string): (villageId: number) => string {
  return (villageId) => `/packages/${page}/index?villageId=${villageId}`
}

/**
 * The path of a page about one thing of a village, the thing's id under `key`:
 * `villageItemPage('meetings/detail', 'meetingId')(villageId, meetingId)`.
 */
export function villageItemPage(page: string, key: string): (villageId: number, id: number) => string {
  return (villageId, id) => `/packages/${page}/index?villageId=${villageId}&${key}=${id}`
}
