export default definePageConfig({ navigationBarTitleText: '加分扣分' })
