import { villageItemPage, villagePage } from '../../lib/paths'

/** Where the meetings pages (议事与表决) live; every one is about one village. */
export const meetingPaths = {
  list: villagePage('meetings/list'),
  detail: villageItemPage('meetings/detail', 'meetingId'),
  /** 表决结果公示: open to anyone, signed in or not (the board's QR code, the share card). */
  results: villageItemPage('meetings/results', 'meetingId'),
  /** 到会名单 (committee): who is called, who came and how; ticks people off; prints the 签到表. */
  attendance: villageItemPage('meetings/attendance', 'meetingId'),
  new: villagePage('meetings/new'),
  /** The same form, on a draft: edited in full before it is announced. */
  edit: villageItemPage('meetings/new', 'meetingId'),
  /** 说事: the matters residents want a meeting to take up. */
  topics: villagePage('meetings/topics'),
  topicNew: villagePage('meetings/topic-new'),
  topic: villageItemPage('meetings/topic', 'topicId'),
  /** 四议两公开: the village's major matters (重大事项), each with its six stages and 监督评议. */
  matters: villagePage('meetings/matters'),
  matterNew: villagePage('meetings/matter-new'),
  matter: villageItemPage('meetings/matter', 'matterId'),
  /** 提议召集: villagers' petitions that make the committee convene a meeting. The server's notices open `petition`. */
  petitions: villagePage('meetings/petitions'),
  petitionNew: villagePage('meetings/petition-new'),
  petition: villageItemPage('meetings/petition', 'petitionId'),
}
