/** Where the committee's roster pages live; every one is about one village. */
export const rosterPaths = {
  roster: (villageId: number) => `/packages/committee/roster/index?villageId=${villageId}`,
  person: (villageId: number, personId: number) =>
    `/packages/committee/person/index?villageId=${villageId}&personId=${personId}`,
  household: (villageId: number, householdId: number) =>
    `/packages/committee/household/index?villageId=${villageId}&householdId=${householdId}`,
  households: (villageId: number) => `/packages/committee/households/index?villageId=${villageId}`,
  import: (villageId: number) => `/packages/committee/import/index?villageId=${villageId}`,
}

/** The committee's points pages (积分管理). */
export const pointsAdminPaths = {
  hub: (villageId: number) => `/packages/committee/points/index?villageId=${villageId}`,
  rules: (villageId: number) => `/packages/committee/rules/index?villageId=${villageId}`,
  rule: (villageId: number, code?: string) =>
    `/packages/committee/rule/index?villageId=${villageId}${code ? `&code=${encodeURIComponent(code)}` : ''}`,
  award: (villageId: number) => `/packages/committee/award/index?villageId=${villageId}`,
  approvals: (villageId: number) => `/packages/committee/approvals/index?villageId=${villageId}`,
  activities: (villageId: number) => `/packages/committee/activities/index?villageId=${villageId}`,
  newActivity: (villageId: number) => `/packages/committee/activity-new/index?villageId=${villageId}`,
  activity: (villageId: number, activityId: number) =>
    `/packages/committee/activity/index?villageId=${villageId}&activityId=${activityId}`,
  items: (villageId: number) => `/packages/committee/items/index?villageId=${villageId}`,
  item: (villageId: number, itemId?: number) =>
    `/packages/committee/item/index?villageId=${villageId}${itemId ? `&itemId=${itemId}` : ''}`,
  fulfil: (villageId: number) => `/packages/committee/fulfil/index?villageId=${villageId}`,
}
