export default definePageConfig({ navigationBarTitleText: '拟定会议' })
