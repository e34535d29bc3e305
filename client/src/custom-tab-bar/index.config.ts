// WeChat's custom tab bar (app.config.ts sets tabBar.custom in the weapp build): a component, not a page.
export default { component: true }
