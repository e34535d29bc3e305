/** The town admin's pages. A village's page needs its town (the village comes from the town's list). */
export const townPaths = {
  villages: () => '/packages/town/villages/index',
  village: (townId: number, villageId: number) =>
    `/packages/town/village/index?townId=${townId}&villageId=${villageId}`,
  grid: (townId: number, villageId: number, gridId: number) =>
    `/packages/town/grid/index?townId=${townId}&villageId=${villageId}&gridId=${gridId}`,
  committee: (townId: number, villageId: number) =>
    `/packages/town/committee/index?townId=${townId}&villageId=${villageId}`,
}
