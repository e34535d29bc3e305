import { villagePage } from '../../lib/paths'

/** 我的: the lists of my own things in one village. */
export const memberPaths = {
  mySignups: villagePage('member/my-signups'),
  myTopics: villagePage('member/my-topics'),
  myVotes: villagePage('member/my-votes'),
}
