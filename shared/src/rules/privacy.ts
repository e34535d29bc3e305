/** How a name is shown in public views: 张*明, 张*, 欧阳**华; a single character stays as it is. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** A villager's name as one viewer sees it: in full for the committee (and for themselves), masked for everyone else. */
export function shownName(name: string, full: boolean): string {
  return full ? name : maskName(name)
}

/**
 * Liren's privacy guide (用户隐私保护指引), shown and accepted before anything personal is collected. A
 * change to what it says gets a new version, and everyone is asked again.
 */
export const PRIVACY_GUIDE = {
  version: '2026-12-01',
  title: '里仁用户隐私保护指引',
  sections: [
    {
      heading: '我们收集什么',
      body: '微信登录后的账号标识（不是您的微信号）；申请加入村（社区）时您填的姓名、住址、出生年份；您愿意时，用微信授权的手机号；您上报问题时拍的照片、写的文字和选的位置；积分、投票和参会的记录。',
    },
    {
      heading: '为什么收集',
      body: '姓名、住址和出生年份用来让村（居）委会核对您是本村（社区）的人；手机号只在村（居）委会需要联系您时用；照片和位置用来找到、处理您反映的问题；积分和参会记录用来给您记分、兑换。',
    },
    {
      heading: '谁能看到',
      body: '只有您所在村（社区）的村（居）委会和网格员能看到您的全名、住址和手机号；别人看到的名字是打了星号的（如 张*明），除非您同意在排行榜上显示全名。匿名上报不会显示您是谁。无记名投票不会记下您投了什么。手机号加密保存，任何公开页面都不会出现。',
    },
    {
      heading: '保存多久',
      body: '您的账号在您注销前一直保存。不公开的上报办结后，照片和文字按村里定的期限（默认一年）删除。积分和会议记录是村里的账目，您注销后仍保留，但不再带您的姓名。',
    },
    {
      heading: '您的权利',
      body: '在“我的 → 我的数据”里，可以下载里仁保存的您的全部信息，也可以注销账号。注销后，您的个人信息会被删除或抹去，您的上报变为匿名。有疑问可以找村（居）委会。',
    },
  ],
} as const
