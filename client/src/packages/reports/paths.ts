import { villageItemPage, villagePage } from '../../lib/paths'

/** Where the reports pages (随手拍) live; every one is about one village, but the town's figures and my messages. */
export const reportPaths = {
  inbox: '/packages/reports/inbox/index',
  new: villagePage('reports/new'),
  feed: (villageId: number, mine = false) =>
    `/packages/reports/feed/index?villageId=${villageId}${mine ? '&tab=mine' : ''}`,
  detail: villageItemPage('reports/detail', 'reportId'),
  queue: villagePage('reports/queue'),
  figures: villagePage('reports/figures'),
  townFigures: (townId: number) => `/packages/reports/figures/index?townId=${townId}`,
  open311: villagePage('reports/open311'),
}
