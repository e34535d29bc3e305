/** Where the meetings pages (议事与表决) live; every one is about one village. */
export const meetingPaths = {
  list: (villageId: number) => `/packages/meetings/list/index?villageId=${villageId}`,
  detail: (villageId: number, meetingId: number) => `/packages/meetings/detail/index?villageId=${villageId}&meetingId=${meetingId}`,
  new: (villageId: number) => `/packages/meetings/new/index?villageId=${villageId}`,
}
