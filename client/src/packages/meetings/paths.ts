/** Where the meetings pages (议事与表决) live; every one is about one village. */
export const meetingPaths = {
  list: (villageId: number) => `/packages/meetings/list/index?villageId=${villageId}`,
  detail: (villageId: number, meetingId: number) =>
    `/packages/meetings/detail/index?villageId=${villageId}&meetingId=${meetingId}`,
  /** 表决结果公示: open to anyone, signed in or not (the board's QR code, the share card). */
  results: (villageId: number, meetingId: number) =>
    `/packages/meetings/results/index?villageId=${villageId}&meetingId=${meetingId}`,
  new: (villageId: number) => `/packages/meetings/new/index?villageId=${villageId}`,
  /** 说事: the matters residents want a meeting to take up. */
  topics: (villageId: number) => `/packages/meetings/topics/index?villageId=${villageId}`,
  topicNew: (villageId: number) => `/packages/meetings/topic-new/index?villageId=${villageId}`,
  topic: (villageId: number, topicId: number) =>
    `/packages/meetings/topic/index?villageId=${villageId}&topicId=${topicId}`,
  /** 四议两公开: the village's major matters (重大事项), each with its six stages and 监督评议. */
  matters: (villageId: number) => `/packages/meetings/matters/index?villageId=${villageId}`,
  matterNew: (villageId: number) => `/packages/meetings/matter-new/index?villageId=${villageId}`,
  matter: (villageId: number, matterId: number) =>
    `/packages/meetings/matter/index?villageId=${villageId}&matterId=${matterId}`,
}
