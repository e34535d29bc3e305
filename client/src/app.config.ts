export default defineAppConfig({
  pages: ['pages/index/index', 'pages/mine/index', 'pages/login/index'],
  subPackages: [
    { root: 'packages/member', pages: ['join/index'] },
    {
      root: 'packages/committee',
      pages: ['applications/index', 'roster/index', 'person/index', 'household/index', 'households/index', 'import/index'],
    },
    { root: 'packages/town', pages: ['villages/index', 'village/index', 'grid/index', 'committee/index'] },
  ],
  window: {
    navigationBarBackgroundColor: '#b3261e',
    navigationBarTextStyle: 'white',
    navigationBarTitleText: '里仁',
    backgroundColor: '#f4f1ea',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
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
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
})
