/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    TARO_ENV: 'weapp' | 'h5'
    /** API origin for the mini-program (an absolute URL). */
    TARO_APP_API_BASE?: string
    /** API origin for the H5 build; empty means the page's own origin. */
    TARO_APP_H5_API_BASE?: string
  }
}
