export default defineAppConfig({
  // The privacy guide is part of the first sign-in, so it lives in the main package.
  pages: ['pages/index/index', 'pages/points/index', 'pages/mine/index', 'pages/login/index', 'pages/privacy/index'],
  subPackages: [
    {
      root: 'packages/member',
      pages: ['join/index', 'my-data/index', 'my-signups/index', 'my-topics/index', 'my-votes/index'],
    },
    {
      root: 'packages/points',
      pages: [
        'shop/index',
        'orders/index',
        'activities/index',
        'activity/index',
        'services/index',
        'service-new/index',
        'rankings/index',
        'notice/index',
        'earn/index',
      ],
    },
    {
      root: 'packages/committee',
      pages: [
        'applications/index',
        'roster/index',
        'person/index',
        'household/index',
        'households/index',
        'import/index',
        'points/index',
        'rules/index',
        'rule/index',
        'award/index',
        'approvals/index',
        'activities/index',
        'activity-new/index',
        'activity/index',
        'items/index',
        'item/index',
        'fulfil/index',
        'contact/index',
      ],
    },
    {
      root: 'packages/reports',
      pages: [
        'new/index',
        'feed/index',
        'detail/index',
        'queue/index',
        'figures/index',
        'open311/index',
        'inbox/index',
      ],
    },
    {
      root: 'packages/meetings',
      pages: [
        'list/index',
        'detail/index',
        'attendance/index',
        'new/index',
        'topics/index',
        'topic-new/index',
        'topic/index',
        'matters/index',
        'matter-new/index',
        'matter/index',
        'results/index',
        'petitions/index',
        'petition-new/index',
        'petition/index',
      ],
    },
    { root: 'packages/town', pages: ['villages/index', 'village/index', 'grid/index', 'committee/index'] },
  ],
  // 随手拍 picks the place of a report on WeChat's map.
  requiredPrivateInfos: ['chooseLocation'],
  // WeChat's own privacy check: its privacy APIs wait for the person's agreement (lib/privacy.ts).
  __usePrivacyCheck__: true,
  // H5 only: no sliding between pages. Taro's H5 router hides the page it leaves on a timer as long as the
  // slide; going back before that timer fires left the page one returned to hidden, a blank screen.
  ...(process.env.TARO_ENV === 'h5' ? { animation: false } : {}),
  window: {
    navigationBarBackgroundColor: '#b3261e',
    navigationBarTextStyle: 'white',
    navigationBarTitleText: '里仁',
    backgroundColor: '#f4f1ea',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    // WeChat: our own bar (src/custom-tab-bar), which enlarges its labels in 大字模式 as WeChat's cannot.
    // H5: Taro's bar (Taro's H5 router draws none for a custom one); app.css enlarges it.
    custom: process.env.TARO_ENV === 'weapp',
    color: '#4a4a4a',
    selectedColor: '#b3261e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/points/index',
        text: '积分',
        iconPath: 'assets/tab/points.png',
        selectedIconPath: 'assets/tab/points-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
})
