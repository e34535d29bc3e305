export default definePageConfig({ navigationBarTitleText: '怎么挣积分' })
