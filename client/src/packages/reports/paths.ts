/** Where the reports pages (随手拍) live; every one is about one village, but the town's figures and my messages. */
export const reportPaths = {
  inbox: '/packages/reports/inbox/index',
  new: (villageId: number) => `/packages/reports/new/index?villageId=${villageId}`,
  feed: (villageId: number, mine = false) =>
    `/packages/reports/feed/index?villageId=${villageId}${mine ? '&tab=mine' : ''}`,
  detail: (villageId: number, reportId: number) =>
    `/packages/reports/detail/index?villageId=${villageId}&reportId=${reportId}`,
  queue: (villageId: number) => `/packages/reports/queue/index?villageId=${villageId}`,
  figures: (villageId: number) => `/packages/reports/figures/index?villageId=${villageId}`,
  townFigures: (townId: number) => `/packages/reports/figures/index?townId=${townId}`,
  open311: (villageId: number) => `/packages/reports/open311/index?villageId=${villageId}`,
}
