/** Where the committee's roster pages live; every one is about one village. */
export const rosterPaths = {
  roster: (villageId: number) => `/packages/committee/roster/index?villageId=${villageId}`,
  person: (villageId: number, personId: number) => `/packages/committee/person/index?villageId=${villageId}&personId=${personId}`,
  household: (villageId: number, householdId: number) =>
    `/packages/committee/household/index?villageId=${villageId}&householdId=${householdId}`,
  households: (villageId: number) => `/packages/committee/households/index?villageId=${villageId}`,
  import: (villageId: number) => `/packages/committee/import/index?villageId=${villageId}`,
}
