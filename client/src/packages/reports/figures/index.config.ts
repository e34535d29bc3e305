export default definePageConfig({ navigationBarTitleText: '上报统计' })
