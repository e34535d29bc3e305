import { villageItemPage, villagePage } from '../../lib/paths'

/** Where the committee's roster pages live; every one is about one village. */
export const rosterPaths = {
  roster: villagePage('committee/roster'),
  person: villageItemPage('committee/person', 'personId'),
  household: villageItemPage('committee/household', 'householdId'),
  households: villagePage('committee/households'),
  import: villagePage('committee/import'),
}

/** The committee's points pages (积分管理). */
export const pointsAdminPaths = {
  hub: villagePage('committee/points'),
  rules: villagePage('committee/rules'),
  rule: (villageId: number, code?: string) =>
    `/packages/committee/rule/index?villageId=${villageId}${code ? `&code=${encodeURIComponent(code)}` : ''}`,
  award: villagePage('committee/award'),
  approvals: villagePage('committee/approvals'),
  activities: villagePage('committee/activities'),
  newActivity: villagePage('committee/activity-new'),
  activity: villageItemPage('committee/activity', 'activityId'),
  items: villagePage('committee/items'),
  item: (villageId: number, itemId?: number) =>
    `/packages/committee/item/index?villageId=${villageId}${itemId ? `&itemId=${itemId}` : ''}`,
  fulfil: villagePage('committee/fulfil'),
}
