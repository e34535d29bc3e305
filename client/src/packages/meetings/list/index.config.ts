export default definePageConfig({ navigationBarTitleText: '会议与表决' })
