export default definePageConfig({ navigationBarTitleText: '村（社区）设置' })
