// Imported by the weapp tests for its side effect only: it merges WeChat's components into Taro's runtime.
declare module '@tarojs/plugin-platform-weapp/dist/runtime.js'
